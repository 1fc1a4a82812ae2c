package io.anw.intervention;

import ai.djl.ndarray.NDArray;
import io.anw.GradMode;
import io.anw.WorkbenchException;
import io.anw.model.ActivationCache;
import io.anw.model.ChunkPlan;
import io.anw.model.HookNames;
import io.anw.model.HookPattern;
import io.anw.model.Hooks;
import io.anw.model.Model;
import io.anw.model.PartedInput;
import java.util.ArrayList;
import java.util.List;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Patching sweeps: hook points (e.g. every layer's {@code hook_resid_pre}) × token positions,
 * or × groups of units (e.g. every layer's MLP neurons in groups of 64). Each cell is one
 * patched run; cells run stacked along the batch axis, {@code maxRows} rows at a time.
 */
public final class PatchSweep {
  private PatchSweep() {}

  /**
   * Layer × position: every token of every chunk (the audio tokens of models that pad) at each
   * point the glob selects.
   */
  public static SweepResult positions(Model model, PatchDirection direction, NDArray clean,
      NDArray corrupted, PatchMetric metric, String glob) {
    return positions(model, direction, PartedInput.audio(clean), PartedInput.audio(corrupted),
        metric, glob, PatchRuns.DEFAULT_MAX_ROWS);
  }

  /**
   * Layer × position on inputs of any parts.
   *
   * @param glob hook points, one row each, e.g. {@code blocks.*.hook_resid_pre}
   * @param maxRows most rows (cells × examples) per patched run
   */
  public static SweepResult positions(Model model, PatchDirection direction, PartedInput clean,
      PartedInput corrupted, PatchMetric metric, String glob, int maxRows) {
    return sweep(model, Hooks.none(), direction, clean, corrupted, metric, glob, maxRows, 0);
  }

  /**
   * Layer × position with {@code base} hooks in every run, clean, corrupted and patched (e.g.
   * an SAE spliced in, whose sub-points such as {@code HOOK.hook_sae_acts_post} the glob may
   * then select).
   */
  public static SweepResult positions(Model model, Hooks base, PatchDirection direction,
      PartedInput clean, PartedInput corrupted, PatchMetric metric, String glob, int maxRows) {
    return sweep(model, base, direction, clean, corrupted, metric, glob, maxRows, 0);
  }

  /** Layer × neuron group: {@code blocks.*.mlp.hook_post} units in groups of {@code groupSize}. */
  public static SweepResult neuronGroups(Model model, PatchDirection direction, NDArray clean,
      NDArray corrupted, PatchMetric metric, int groupSize) {
    return unitGroups(model, direction, PartedInput.audio(clean), PartedInput.audio(corrupted),
        metric, "blocks.*." + HookNames.MLP_POST, groupSize, PatchRuns.DEFAULT_MAX_ROWS);
  }

  /**
   * Hook point × group of units of the last axis (all positions).
   *
   * @param groupSize consecutive units per group (the last group may be smaller)
   */
  public static SweepResult unitGroups(Model model, PatchDirection direction, PartedInput clean,
      PartedInput corrupted, PatchMetric metric, String glob, int groupSize, int maxRows) {
    return unitGroups(model, Hooks.none(), direction, clean, corrupted, metric, glob, groupSize,
        maxRows);
  }

  /** Hook point × group of units with {@code base} hooks in every run (e.g. an SAE splice). */
  public static SweepResult unitGroups(Model model, Hooks base, PatchDirection direction,
      PartedInput clean, PartedInput corrupted, PatchMetric metric, String glob, int groupSize,
      int maxRows) {
    if (groupSize < 1) {
      throw new WorkbenchException("group size must be at least 1, got " + groupSize);
    }
    return sweep(model, base, direction, clean, corrupted, metric, glob, maxRows, groupSize);
  }

  /** groupSize 0: positions; else unit groups. */
  private static SweepResult sweep(Model model, Hooks base, PatchDirection direction,
      PartedInput clean, PartedInput corrupted, PatchMetric metric, String glob, int maxRows,
      int groupSize) {
    GradMode.disableOnCurrentThread();
    TokenLayout.requireSame(clean, corrupted);
    List<String> names = HookPattern.of(glob).select(base.pointNames(model.hookNames()));
    if (names.isEmpty()) {
      throw new WorkbenchException("no hook point matches '" + glob + "'");
    }
    String[] cacheNames = names.toArray(String[]::new);
    try (ActivationCache c = model.run(clean, base, cacheNames);
        ActivationCache k = model.run(corrupted, base, cacheNames)) {
      double cleanMetric = metric.value(c.output());
      double corruptedMetric = metric.value(k.output());
      boolean denoise = direction == PatchDirection.DENOISE;
      ActivationCache source = denoise ? c : k;
      // columns, from the first point's shapes (all rows must agree)
      String first = names.get(0);
      for (String n : names) {
        for (int ch = 0; ch < source.chunks(); ch++) {
          if (!source.get(n, ch).getShape().equals(source.get(first, ch).getShape())
              || n.equals(HookNames.EMBED) != first.equals(HookNames.EMBED)) {
            throw new WorkbenchException("'" + glob + "' selects points of different shapes ("
                + first + " " + source.get(first, ch).getShape() + ", " + n + " "
                + source.get(n, ch).getShape() + "); sweep one kind of point at a time");
          }
        }
      }
      List<String> columns = new ArrayList<>();
      List<int[]> coords = new ArrayList<>(); // {chunk, token} or {group, first, last}
      if (groupSize == 0) {
        ChunkPlan plan = source.output().plan();
        int offset = first.equals(HookNames.EMBED) ? 1 : 0;
        boolean words = first.equals(HookNames.TEXT_EMBED);
        boolean text = model.inputParts().contains(PartedInput.TEXT);
        for (int ch = 0; ch < source.chunks(); ch++) {
          NDArray a = source.get(first, ch);
          int tokens = (int) a.getShape().get(PatchTarget.tokenAxis(first));
          int[] own = model.sweepPositions(plan.chunks().get(ch), tokens);
          if (own != null) { // the model's positions and labels (audio tokens, no padding)
            for (int t : own) {
              coords.add(new int[] {ch, t});
              String label = model.tokenLabel(t, plan.chunks().get(ch));
              columns.add(source.chunks() > 1 ? "c" + ch + " " + label : label);
            }
            continue;
          }
          int tp = plan.chunks().get(ch).timePatches();
          // caption tokens follow the patches in block activations of audio-text models
          int textFrom = words ? 0 : text && offset == 0
              ? model.tokenRange(io.anw.model.TokenGroup.TEXT, plan.chunks().get(ch), tokens)[0]
              : Integer.MAX_VALUE;
          for (int t = offset; t < tokens + offset; t++) {
            coords.add(new int[] {ch, t});
            String label = TokenLayout.label(t, tp, textFrom);
            columns.add(source.chunks() > 1 ? "c" + ch + " " + label : label);
          }
        }
      } else {
        int width = (int) source.get(first, 0).getShape().tail();
        for (int g = 0, u = 0; u < width; g++, u += groupSize) {
          int last = Math.min(width, u + groupSize) - 1;
          coords.add(new int[] {g, u, last});
          columns.add(u + "-" + last);
        }
      }
      List<List<PatchTarget>> variants = new ArrayList<>();
      for (String n : names) {
        for (int[] co : coords) {
          PatchTarget t;
          if (groupSize == 0) {
            t = PatchTarget.positions(n, co[1]);
            t = source.chunks() > 1 ? t.inChunk(co[0]) : t;
          } else {
            t = PatchTarget.units(n, java.util.stream.IntStream.rangeClosed(co[1], co[2])
                .toArray());
          }
          variants.add(List.of(t));
        }
      }
      double[] flat = PatchRuns.metrics(model, base, denoise ? corrupted : clean, source, metric,
          variants, maxRows);
      double[][] grid = new double[names.size()][coords.size()];
      List<String> rows = new ArrayList<>();
      StringColumn hook = StringColumn.create("hook");
      IntColumn layer = IntColumn.create("layer");
      IntColumn a = IntColumn.create(groupSize == 0 ? "chunk" : "group");
      IntColumn b = IntColumn.create(groupSize == 0 ? "position" : "first");
      StringColumn label = StringColumn.create(groupSize == 0 ? "token" : "units");
      DoubleColumn m = DoubleColumn.create("metric");
      DoubleColumn e = DoubleColumn.create("effect");
      // rows named L0, L1, ... when each selected point is in a different block
      boolean byLayer = names.stream().map(HookNames::layerOf).filter(l -> l >= 0).distinct()
          .count() == names.size();
      for (int r = 0; r < names.size(); r++) {
        String n = names.get(r);
        int l = HookNames.layerOf(n);
        rows.add(byLayer ? "L" + l : n);
        for (int col = 0; col < coords.size(); col++) {
          double v = flat[r * coords.size() + col];
          grid[r][col] = v;
          hook.append(n);
          layer.append(l);
          a.append(coords.get(col)[0]);
          b.append(coords.get(col)[1]);
          label.append(columns.get(col));
          m.append(v);
          e.append(PatchResult.normalise(v, cleanMetric, corruptedMetric));
        }
      }
      String title = direction + " " + glob + " x " + (groupSize == 0 ? "position"
          : "units/" + groupSize);
      Table table = Table.create(title, hook, layer, a, b, label, m, e);
      int[] tps = groupSize != 0 ? new int[0] : source.output().plan().chunks().stream()
          .mapToInt(ChunkPlan.Chunk::timePatches).toArray();
      return new SweepResult(title, direction, cleanMetric, corruptedMetric, List.copyOf(rows),
          List.copyOf(columns), grid, table, tps);
    }
  }
}
