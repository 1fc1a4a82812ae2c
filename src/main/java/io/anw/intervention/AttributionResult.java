package io.anw.intervention;

import io.anw.GradMode;
import io.anw.model.ActivationCache;
import io.anw.model.HookNames;
import io.anw.model.Hooks;
import io.anw.model.Model;
import io.anw.model.PartedInput;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Attribution patching estimates: for each hook point and unit, the estimated change of the
 * metric from the base run when that unit alone is patched (all positions).
 *
 * @param direction denoising (estimates on the corrupted run) or noising (on the clean run)
 * @param glob the hook points
 * @param hooks hook point of each row of {@code attribution}
 * @param attribution estimated metric change {@code [hooks][units]}
 * @param clean metric of the clean run
 * @param corrupted metric of the corrupted run
 * @param rerun the model, inputs and metric, kept (not copied) for {@link #check(int)}
 */
public record AttributionResult(PatchDirection direction, String glob, List<String> hooks,
    double[][] attribution, double clean, double corrupted, Rerun rerun) {

  /** What {@link #check(int)} runs again: the caller keeps the inputs open until then. */
  public record Rerun(Model model, PartedInput clean, PartedInput corrupted, PatchMetric metric) {}

  /** The metric of the run that patching starts from (corrupted when denoising). */
  public double base() {
    return direction == PatchDirection.DENOISE ? corrupted : clean;
  }

  /** The estimated normalised effect of patching one unit. */
  public double effect(int hook, int unit) {
    return PatchResult.normalise(base() + attribution[hook][unit], clean, corrupted);
  }

  /** (hook row, unit) pairs by decreasing |attribution|. */
  public List<int[]> ranked() {
    List<int[]> all = new ArrayList<>();
    for (int h = 0; h < hooks.size(); h++) {
      for (int u = 0; u < attribution[h].length; u++) {
        all.add(new int[] {h, u});
      }
    }
    all.sort(Comparator.comparingDouble((int[] p) -> -Math.abs(attribution[p[0]][p[1]])));
    return all;
  }

  /** The top {@code k} units as a table, by decreasing |attribution|. */
  public Table top(int k) {
    List<int[]> all = ranked();
    return table(all.subList(0, Math.min(k, all.size())));
  }

  /**
   * Every unit: {@code hook}, {@code layer}, {@code neuron} (unit index), {@code attribution}
   * (estimated metric change), {@code effect} (estimated normalised effect), by decreasing
   * |attribution|.
   */
  public Table table() {
    return table(ranked());
  }

  private Table table(List<int[]> cells) {
    StringColumn hook = StringColumn.create("hook");
    IntColumn layer = IntColumn.create("layer");
    IntColumn neuron = IntColumn.create("neuron");
    DoubleColumn attr = DoubleColumn.create("attribution");
    DoubleColumn eff = DoubleColumn.create("effect");
    for (int[] p : cells) {
      hook.append(hooks.get(p[0]));
      layer.append(HookNames.layerOf(hooks.get(p[0])));
      neuron.append(p[1]);
      attr.append(attribution[p[0]][p[1]]);
      eff.append(effect(p[0], p[1]));
    }
    return Table.create("attribution patching (" + direction + ") " + glob, hook, layer, neuron,
        attr, eff);
  }

  /**
   * Real patching of the top {@code k} units one at a time (batched), next to their
   * estimates. Needs the model and inputs of the attribution run to be open.
   */
  public AttributionCheck check(int k) {
    GradMode.disableOnCurrentThread();
    List<int[]> all = ranked();
    List<int[]> top = all.subList(0, Math.min(Math.max(k, 0), all.size()));
    List<List<PatchTarget>> variants = new ArrayList<>();
    for (int[] p : top) {
      variants.add(List.of(PatchTarget.units(hooks.get(p[0]), p[1])));
    }
    boolean denoise = direction == PatchDirection.DENOISE;
    PartedInput source = denoise ? rerun.clean() : rerun.corrupted();
    PartedInput base = denoise ? rerun.corrupted() : rerun.clean();
    double[] real;
    double baseMetric;
    try (ActivationCache src = rerun.model().run(source, Hooks.none(),
        PatchRuns.patterns(variants));
        ActivationCache b = rerun.model().run(base, Hooks.none())) {
      baseMetric = rerun.metric().value(b.output());
      real = PatchRuns.metrics(rerun.model(), base, src, rerun.metric(), variants,
          PatchRuns.DEFAULT_MAX_ROWS);
    }
    Table t = table(top);
    double[] est = IntStream.range(0, top.size())
        .mapToDouble(i -> attribution[top.get(i)[0]][top.get(i)[1]]).toArray();
    double[] actual = IntStream.range(0, top.size()).mapToDouble(i -> real[i] - baseMetric)
        .toArray();
    t.addColumns(DoubleColumn.create("patched", actual),
        DoubleColumn.create("patched_effect", IntStream.range(0, top.size())
            .mapToDouble(i -> PatchResult.normalise(real[i], clean, corrupted)).toArray()));
    t.setName("attribution vs real patching, top " + top.size());
    return new AttributionCheck(t, est, actual);
  }
}
