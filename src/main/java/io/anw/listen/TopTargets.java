package io.anw.listen;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.anw.GradMode;
import io.anw.WorkbenchException;
import io.anw.model.HookNames;
import io.anw.model.HookPattern;
import io.anw.model.Hooks;
import io.anw.model.AudioModel;
import io.anw.model.UnitSpace;
import io.anw.neuron.Neuron;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The units a top-activation pass ranks: some or all outputs of one or more hook points of
 * shape {@code [batch, tokens, units]} (the MLP neurons, an SAE's features, or any such point),
 * and the hooks every run needs (e.g. the SAE splice). Units are numbered in point order, then
 * index order.
 */
public final class TopTargets {
  private final String hook;
  private final Hooks base;
  private final List<TopUnit> units;
  private final Map<String, int[]> byPoint; // point -> indices (ascending)
  private final Map<String, Integer> offsets; // point -> first unit number

  private TopTargets(String hook, Hooks base, List<TopUnit> units) {
    if (units.isEmpty()) {
      throw new WorkbenchException("no units to rank: the selection is empty");
    }
    this.hook = hook;
    this.base = base;
    this.units = List.copyOf(units);
    Map<String, List<Integer>> grouped = new LinkedHashMap<>();
    for (TopUnit u : this.units) {
      grouped.computeIfAbsent(u.point(), p -> new ArrayList<>()).add(u.index());
    }
    byPoint = new LinkedHashMap<>();
    offsets = new LinkedHashMap<>();
    int at = 0;
    for (Map.Entry<String, List<Integer>> e : grouped.entrySet()) {
      byPoint.put(e.getKey(), e.getValue().stream().mapToInt(Integer::intValue).toArray());
      offsets.put(e.getKey(), at);
      at += e.getValue().size();
    }
  }

  /**
   * Units of a unit space (the model's neurons, or an SAE's features), written as
   * {@code (layer, index)}; for a one-layer space (an SAE) the layer may be 0 or the SAE's block.
   *
   * @throws WorkbenchException naming the first unit outside the space
   */
  public static TopTargets of(UnitSpace space, Collection<Neuron> chosen) {
    List<TopUnit> out = new ArrayList<>();
    for (Neuron n : new TreeSet<>(chosen)) {
      int layer = n.layer();
      if (space.layers() == 1 && layer == space.block()) {
        layer = 0;
      }
      if (layer < 0 || layer >= space.layers()) {
        throw new WorkbenchException("unit " + n + ": layer " + n.layer() + " is outside "
            + space + (space.layers() == 1 ? " (use 0 or " + space.block() + ")" : ""));
      }
      if (n.index() < 0 || n.index() >= space.units()) {
        throw new WorkbenchException("unit " + n + ": index " + n.index() + " is outside the "
            + space.units() + " " + space.kind() + "s per layer of " + space.hook());
      }
      out.add(unit(space, layer, n.index()));
    }
    return new TopTargets(space.hook(), space.base(), out);
  }

  /** Every unit of a unit space. */
  public static TopTargets all(UnitSpace space) {
    List<TopUnit> out = new ArrayList<>();
    for (int l = 0; l < space.layers(); l++) {
      for (int i = 0; i < space.units(); i++) {
        out.add(unit(space, l, i));
      }
    }
    return new TopTargets(space.hook(), space.base(), out);
  }

  private static TopUnit unit(UnitSpace space, int layer, int index) {
    String point = space.point(layer);
    int shown = space.layers() == 1 ? space.block() : layer;
    return new TopUnit(point, shown, index, space.kind());
  }

  /**
   * Units of the hook points {@code glob} matches (run with {@code base}, e.g. an SAE splice,
   * whose sub-points then match too): every output with {@code all}, else the given
   * {@code (layer, index)} pairs, the layer being the point's block. The width of each point is
   * read from one short forward pass.
   *
   * @throws WorkbenchException for a glob that matches nothing, a point that is not
   *     {@code [batch, tokens, units]}, or a unit outside its point
   */
  public static TopTargets hook(AudioModel model, String glob, Hooks base, boolean all,
      Collection<Neuron> chosen) {
    if (!all && (chosen == null || chosen.isEmpty())) {
      throw new WorkbenchException("--hook " + glob + ": give --all (every unit of the matched"
          + " points) or --units L:N,...");
    }
    List<String> names = base.pointNames(model.hookNames());
    List<String> points = new ArrayList<>(HookPattern.selectAll(names, glob));
    Map<String, Long> widths = widths(model, base, points);
    String kind = glob.endsWith("mlp.hook_post") ? "neuron"
        : glob.endsWith(io.anw.sae.SaeSplice.ACTS) ? "feature" : "unit";
    List<TopUnit> out = new ArrayList<>();
    for (String p : points) {
      int width = widths.get(p).intValue();
      int block = HookNames.blockOf(p);
      if (all) {
        for (int i = 0; i < width; i++) {
          out.add(new TopUnit(p, block, i, kind));
        }
      }
    }
    if (!all) {
      for (Neuron n : new TreeSet<>(chosen)) {
        String p = points.stream().filter(q -> HookNames.blockOf(q) == n.layer()).findFirst()
            .orElseThrow(() -> new WorkbenchException("unit " + n + ": no point of '" + glob
                + "' is in block " + n.layer()));
        if (n.index() < 0 || n.index() >= widths.get(p)) {
          throw new WorkbenchException("unit " + n + ": index " + n.index() + " is outside the "
              + widths.get(p) + " units of " + p);
        }
        out.add(new TopUnit(p, n.layer(), n.index(), kind));
      }
    }
    return new TopTargets(glob, base, out);
  }

  /** The last-axis width of each point, from one forward pass on a second of silence. */
  private static Map<String, Long> widths(AudioModel model, Hooks base, List<String> points) {
    GradMode.disableOnCurrentThread();
    Map<String, Long> out = new LinkedHashMap<>();
    Hooks probe = base;
    for (String p : points) {
      probe = probe.and(p, (ctx, x) -> {
        if (x.getShape().dimension() != 3) {
          throw new WorkbenchException(p + " has shape " + x.getShape() + "; top activations"
              + " rank units of [batch, tokens, units] points (blocks.*.mlp.hook_post,"
              + " blocks.*.hook_resid_post, ...)");
        }
        out.putIfAbsent(p, x.getShape().get(2));
        return x;
      });
    }
    float[][] silence = model.input(new io.anw.audio.Clip(new float[model.sampleRate()],
        model.sampleRate()));
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = io.anw.TorchArrays.of(m, silence).expandDims(0); // [1, rows, frames]
      model.run(x, probe).close();
    }
    return out;
  }

  /**
   * The units a user asked for, the one rule the REPL and the CLI share: with {@code hookGlob},
   * the points it matches ({@code all} of their units, or {@code chosen}); else the model's
   * neurons, or the features of {@code sae} when one is given ({@code all}, or {@code chosen}).
   *
   * @param sae an SAE whose features are the units (spliced in), or null
   * @param chosen units as {@code (layer, index)}, or null with {@code all}
   * @param hookGlob a hook point glob, or null
   */
  public static TopTargets choose(AudioModel model, io.anw.sae.SparseAutoencoder sae,
      Collection<Neuron> chosen, String hookGlob, boolean all) {
    if (!all && (chosen == null || chosen.isEmpty())) {
      throw new WorkbenchException("no units chosen: give neurons (--neurons, --units) or --all");
    }
    if (hookGlob != null) {
      Hooks base = sae == null ? Hooks.none() : io.anw.sae.SaeSplice.hooks(sae);
      return hook(model, hookGlob, base, all, chosen);
    }
    UnitSpace space = sae == null ? UnitSpace.neurons(model) : io.anw.sae.SaeSplice.units(sae);
    return all ? all(space) : of(space, chosen);
  }

  /**
   * Parses units written {@code L:N,L:N,...} (also {@code L3.N17}), e.g. {@code 3:17,5:2}.
   *
   * @throws WorkbenchException naming the first bad item
   */
  public static List<Neuron> parseUnits(String text) {
    List<Neuron> out = new ArrayList<>();
    for (String part : text.split(",")) {
      String p = part.strip();
      if (p.isEmpty()) {
        continue;
      }
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+):(\\d+)").matcher(p);
      if (m.matches()) {
        out.add(new Neuron(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
        continue;
      }
      java.util.regex.Matcher n = java.util.regex.Pattern.compile("L(\\d+)\\.[NFU](\\d+)")
          .matcher(p);
      if (n.matches()) {
        out.add(new Neuron(Integer.parseInt(n.group(1)), Integer.parseInt(n.group(2))));
        continue;
      }
      throw new WorkbenchException("--units: '" + p + "' is not LAYER:INDEX (e.g. 3:17)");
    }
    if (out.isEmpty()) {
      throw new WorkbenchException("--units: no units in '" + text + "'");
    }
    return out;
  }

  /** What the units are, for provenance: the hook glob or point. */
  public String hook() {
    return hook;
  }

  /** Hooks every run of these units needs. */
  public Hooks base() {
    return base;
  }

  /** The units in order. */
  public List<TopUnit> units() {
    return units;
  }

  /** Number of units. */
  public int size() {
    return units.size();
  }

  /** The hook points with units, in order. */
  public List<String> points() {
    return List.copyOf(byPoint.keySet());
  }

  /** The unit indices at {@code point}, ascending. */
  int[] indicesAt(String point) {
    return byPoint.get(point);
  }

  /** The number of the first unit at {@code point}. */
  int offsetOf(String point) {
    return offsets.get(point);
  }

  /** The number of a unit in {@link #units()}, or -1. */
  public int numberOf(TopUnit unit) {
    return units.indexOf(unit);
  }

  /** A stable description of the units for checkpoint identities. */
  String identity() {
    StringBuilder sb = new StringBuilder(hook).append('|');
    for (Map.Entry<String, int[]> e : byPoint.entrySet()) {
      sb.append(e.getKey()).append(':').append(java.util.Arrays.hashCode(e.getValue()))
          .append(',').append(e.getValue().length).append(';');
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return units.size() + " unit(s) at " + hook;
  }
}
