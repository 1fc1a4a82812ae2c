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
  private static final Hooks NONE = new Hooks(List.of(), List.of());

  private record Entry(HookPattern pattern, Hook hook) {}

  private final List<Entry> entries;
  private final List<Splice> splices;

  private Hooks(List<Entry> entries, List<Splice> splices) {
    this.entries = List.copyOf(entries);
    this.splices = List.copyOf(splices);
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
    return new Hooks(more, splices);
  }

  /** These hooks followed by another set's (and both sets' splices). */
  public Hooks and(Hooks other) {
    List<Entry> more = new ArrayList<>(entries);
    more.addAll(other.entries);
    List<Splice> both = new ArrayList<>(splices);
    both.addAll(other.splices);
    return new Hooks(more, both);
  }

  /** No hooks, one splice (e.g. an SAE at its hook point). */
  public static Hooks splicing(Splice splice) {
    return NONE.splice(splice);
  }

  /**
   * These hooks with {@code splice} spliced in at its point: its sub-points become hook points
   * of the run (hooks and cache patterns may name them).
   *
   * @throws io.anw.WorkbenchException if another splice is already at that point
   */
  public Hooks splice(Splice splice) {
    for (Splice s : splices) {
      if (s.point().equals(splice.point())) {
        throw new io.anw.WorkbenchException("two splices at " + splice.point());
      }
    }
    List<Splice> more = new ArrayList<>(splices);
    more.add(splice);
    return new Hooks(entries, more);
  }

  /** The splices, in registration order. */
  public List<Splice> splices() {
    return splices;
  }

  /**
   * The hook points of a run with these splices: the model's names, each splice's sub-points
   * right after its point.
   *
   * @throws io.anw.WorkbenchException if a splice's point is not one of {@code names}
   */
  public List<String> pointNames(List<String> names) {
    if (splices.isEmpty()) {
      return names;
    }
    List<String> out = new ArrayList<>(names.size() + 8 * splices.size());
    for (String n : names) {
      out.add(n);
      for (Splice s : splices) {
        if (s.point().equals(n)) {
          out.addAll(s.subPoints());
        }
      }
    }
    for (Splice s : splices) {
      if (!names.contains(s.point())) {
        throw new io.anw.WorkbenchException("cannot splice at " + s.point()
            + ": not a hook point of this model");
      }
    }
    return List.copyOf(out);
  }

  /** Whether there are no hooks and no splices. */
  public boolean isEmpty() {
    return entries.isEmpty() && splices.isEmpty();
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
    List<String> parts = new ArrayList<>(entries.stream().map(e -> e.pattern.toString())
        .toList());
    splices.forEach(s -> parts.add("splice at " + s.point()));
    return "Hooks" + parts;
  }
}
