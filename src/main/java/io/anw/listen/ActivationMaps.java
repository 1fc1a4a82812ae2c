package io.anw.listen;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.anw.GradMode;
import io.anw.activation.DatasetInputs;
import io.anw.audio.Clip;
import io.anw.model.HookNames;
import io.anw.model.Hooks;
import io.anw.model.M2dViT;
import io.anw.model.PartedInput;
import io.anw.model.TokenGroup;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A unit's activation over the patch grid of a whole clip, {@code [freqPatches][timeSteps]}
 * (row 0 = the lowest band; time steps of all chunks in order), from one forward pass per clip
 * for any number of units.
 */
public final class ActivationMaps {
  private ActivationMaps() {}

  /**
   * The activation grids of {@code units} on {@code clip} (at the model's rate) with caption
   * ids {@code captionIds} for an audio-text model (else null), run with {@code base} hooks.
   */
  public static Map<TopUnit, float[][]> of(M2dViT model, Hooks base, Clip clip,
      long[] captionIds, Collection<TopUnit> units) {
    return of(model, base, DatasetInputs.frontEnd(model).apply(clip), captionIds, units);
  }

  /**
   * The activation grids of {@code units} on a normalised log-mel {@code [mel][frames]} (the
   * model's input; chunks start at frame 0).
   */
  public static Map<TopUnit, float[][]> of(M2dViT model, Hooks base, float[][] logMel,
      long[] captionIds, Collection<TopUnit> units) {
    GradMode.disableOnCurrentThread();
    int frames = logMel[0].length;
    var plan = model.plan(frames);
    int fp = model.dims().freqPatches();
    int steps = plan.timeSteps();
    Map<TopUnit, float[][]> out = new LinkedHashMap<>();
    Map<String, List<TopUnit>> byPoint = new LinkedHashMap<>();
    for (TopUnit u : units) {
      out.put(u, new float[fp][steps]);
      byPoint.computeIfAbsent(u.point(), p -> new java.util.ArrayList<>()).add(u);
    }
    Hooks h = base;
    for (Map.Entry<String, List<TopUnit>> e : byPoint.entrySet()) {
      List<TopUnit> at = e.getValue();
      h = h.and(e.getKey(), (ctx, x) -> {
        long n = x.getShape().get(1);
        int d = (int) x.getShape().get(2);
        int tp = ctx.chunk().timePatches();
        int[] r = ctx.name().equals(HookNames.EMBED) ? new int[] {0, (int) n}
            : model.tokenRange(TokenGroup.AUDIO, ctx.chunk(), n);
        NDArray patches = x.get(new NDIndex("0, {}:{}, :", r[0], r[1]));
        float[] v = patches.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
        int offset = ctx.chunk().start() / model.dims().patchTime();
        for (TopUnit u : at) {
          float[][] grid = out.get(u);
          for (int p = 0; p < fp * tp; p++) {
            grid[p / tp][offset + p % tp] = v[p * d + u.index()];
          }
        }
        return x;
      });
    }
    try (NDManager m = NDManager.newBaseManager()) {
      PartedInput in = new DatasetInputs.Prepared(logMel, captionIds).toInput(m);
      model.run(in, h).close();
    }
    return out;
  }
}
