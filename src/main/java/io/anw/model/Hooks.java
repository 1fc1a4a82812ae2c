package io.anw.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable set of hooks for one run, each registered on a {@link HookPattern} glob.
 * Several hooks on one point compose in registration order. Hooks live only for the call they
 * are passed to; an empty set costs one map lookup per hook point.
 *
 * <pre>{@code
 * Hooks h = Hooks.of("blocks.5.mlp.hook_post", Hook.zeroUnits(1, 2, 3))
 *     .and("blocks.*.hook_resid_post", (ctx, x) -> { System.out.println(ctx.name()); return x; });
 * }</pre>
 */
public final class Hooks {
  private static final Hooks NONE = new Hooks(List.of());

  private record Entry(HookPattern pattern, Hook hook) {}

  private final List<Entry> entries;

  private Hooks(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /** No hooks. */
  public static Hooks none() {
    return NONE;
  }

  /** One hook on the hook points a glob matches. */
  public static Hooks of(String pattern, Hook hook) {
    return NONE.and(pattern, hook);
  }

  /** Zero-ablates neurons of one layer ({@code blocks.{layer}.mlp.hook_post}). */
  public static Hooks zeroNeurons(int layer, int... neurons) {
    return of(HookNames.neurons(layer), Hook.zeroUnits(neurons));
  }

  /** These hooks plus one more, applied after those already registered on the same point. */
  public Hooks and(String pattern, Hook hook) {
    List<Entry> more = new ArrayList<>(entries);
    more.add(new Entry(HookPattern.of(pattern), hook));
    return new Hooks(more);
  }

  /** These hooks followed by another set's. */
  public Hooks and(Hooks other) {
    List<Entry> more = new ArrayList<>(entries);
    more.addAll(other.entries);
    return new Hooks(more);
  }

  /** Whether there are no hooks. */
  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /**
   * The composed hook for each hook point that has one.
   *
   * @param names the model's hook point names
   * @throws io.anw.WorkbenchException if a pattern matches no name
   */
  public Map<String, Hook> resolve(List<String> names) {
    Map<String, Hook> out = new HashMap<>();
    for (Entry e : entries) {
      List<String> hit = e.pattern.select(names);
      if (hit.isEmpty()) {
        throw HookPattern.noMatch(e.pattern.toString());
      }
      for (String n : hit) {
        out.merge(n, e.hook, Hook::andThen);
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return entries.isEmpty() ? "Hooks[]" : "Hooks" + entries.stream()
        .map(e -> e.pattern.toString()).toList();
  }
}
