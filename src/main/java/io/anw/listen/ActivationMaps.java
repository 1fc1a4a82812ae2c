package io.anw.listen;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.anw.GradMode;
import io.anw.activation.DatasetInputs;
import io.anw.audio.Clip;
import io.anw.model.AudioModel;
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
 * A unit's activation over the token grid of a whole clip ({@link TokenGeometry#gridShape}:
 * {@code [rows][columns]}, row 0 the lowest band, columns the tokens' time steps over all chunks
 * in order; M2D {@code [freqPatches][timeSteps]}, frame models one row, AST its patch rows),
 * from one forward pass per clip for any number of units. Only tokens that cover audio are
 * drawn; cells of padding stay 0.
 */
public final class ActivationMaps {
  private ActivationMaps() {}

  /**
   * The activation grids of {@code units} on {@code clip} (at the model's rate) with caption
   * ids {@code captionIds} for an audio-text model (else null), run with {@code base} hooks.
   */
  public static Map<TopUnit, float[][]> of(AudioModel model, Hooks base, Clip clip,
      long[] captionIds, Collection<TopUnit> units) {
    return of(model, base, DatasetInputs.frontEnd(model).apply(clip), captionIds, units);
  }

  /**
   * The activation grids of {@code units} on the model's input {@code [rows][frames]} (M2D's
   * normalised log-mel, a prepared 16 kHz waveform; chunks start at frame 0).
   */
  public static Map<TopUnit, float[][]> of(AudioModel model, Hooks base, float[][] input,
      long[] captionIds, Collection<TopUnit> units) {
    GradMode.disableOnCurrentThread();
    TokenGeometry geo = TokenGeometry.of(model);
    int[] shape = geo.gridShape(input[0].length);
    Map<TopUnit, float[][]> out = new LinkedHashMap<>();
    Map<String, List<TopUnit>> byPoint = new LinkedHashMap<>();
    for (TopUnit u : units) {
      out.put(u, new float[shape[0]][shape[1]]);
      byPoint.computeIfAbsent(u.point(), p -> new java.util.ArrayList<>()).add(u);
    }
    Hooks h = base;
    for (Map.Entry<String, List<TopUnit>> e : byPoint.entrySet()) {
      List<TopUnit> at = e.getValue();
      h = h.and(e.getKey(), (ctx, x) -> {
        long n = x.getShape().get(1);
        int d = (int) x.getShape().get(2);
        int shift = 0;
        int[] positions;
        if (ctx.name().equals(HookNames.EMBED) && model instanceof M2dViT) {
          positions = java.util.stream.IntStream.range(0, (int) n).toArray();
          shift = 1; // M2D's hook_embed has no CLS: its token i is the chunk's token i + 1
        } else {
          positions = model.tokenPositions(TokenGroup.AUDIO, ctx.chunk(), n);
        }
        if (positions.length == 0) {
          return x;
        }
        int lo = positions[0];
        int hi = positions[positions.length - 1] + 1;
        float[] v = x.get(new NDIndex("0, {}:{}, :", lo, hi))
            .toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
        for (int p : positions) {
          int[] cell = geo.cellOf(ctx.chunk(), p + shift);
          if (cell == null || cell[0] >= shape[0] || cell[1] >= shape[1]) {
            continue;
          }
          for (TopUnit u : at) {
            out.get(u)[cell[0]][cell[1]] = v[(p - lo) * d + u.index()];
          }
        }
        return x;
      });
    }
    try (NDManager m = NDManager.newBaseManager()) {
      PartedInput in = new DatasetInputs.Prepared(input, captionIds).toInput(m);
      model.run(in, h).close();
    }
    return out;
  }
}
