package io.anw.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.anw.WorkbenchException;
import java.util.Map;

/**
 * The convolutional relative position embedding of wav2vec 2.0 and HuBERT
 * ({@code encoder.pos_conv_embed}): a grouped 1-D convolution over time, width to width, with
 * "same" padding (an even kernel's extra last frame dropped) and weight normalisation over the
 * kernel axis ({@code w = g · v / ||v||}, the norm over output and input channels for each tap),
 * then the exact GELU. {@link #apply} returns the embedding, which the encoder adds to its
 * input. Parameters under either Hugging Face name: {@code conv.weight_g}/{@code conv.weight_v}
 * or {@code conv.parametrizations.weight.original0}/{@code original1}, and {@code conv.bias}.
 */
public final class ConvPositions {
  private final NDArray weight; // [D, D / groups, K], weight norm applied
  private final NDArray bias;
  private final int groups;
  private final long kernel;

  private ConvPositions(NDArray weight, NDArray bias, int groups) {
    this.weight = weight;
    this.bias = bias;
    this.groups = groups;
    this.kernel = weight.getShape().get(2);
  }

  /**
   * The embedding on {@code params} with {@code prefix} (e.g. {@code encoder.pos_conv_embed.});
   * the weight-normalised weight is computed once, in {@code g}'s manager.
   *
   * @param groups {@code num_conv_pos_embedding_groups}
   * @throws WorkbenchException naming what is missing or does not fit
   */
  public static ConvPositions of(Map<String, NDArray> params, String prefix, int groups) {
    NDArray g = params.get(prefix + "conv.weight_g");
    NDArray v = params.get(prefix + "conv.weight_v");
    if (g == null || v == null) {
      g = params.get(prefix + "conv.parametrizations.weight.original0");
      v = params.get(prefix + "conv.parametrizations.weight.original1");
    }
    NDArray bias = params.get(prefix + "conv.bias");
    if (g == null || v == null || bias == null) {
      throw new WorkbenchException("no parameters " + prefix + "conv.weight_g, weight_v, bias "
          + "(or conv.parametrizations.weight.original0, original1)");
    }
    Shape vs = v.getShape();
    if (vs.dimension() != 3 || vs.get(0) % groups != 0 || vs.get(1) * groups != vs.get(0)) {
      throw new WorkbenchException(prefix + "conv.weight_v " + vs + " does not fit " + groups
          + " groups");
    }
    NDArray norm = v.square().sum(new int[] {0, 1}, true).sqrt(); // [1, 1, K]
    NDArray w = v.mul(g.reshape(1, 1, vs.get(2)).div(norm));
    return new ConvPositions(w, bias, groups);
  }

  /** The position embedding {@code [batch, frames, width]} of {@code x} (same shape). */
  public NDArray apply(NDArray x) {
    NDArray t = x.transpose(0, 2, 1);
    NDArray y = t.getNDArrayInternal().convolution(t, weight, bias, new Shape(1),
        new Shape(kernel / 2), new Shape(1), groups).singletonOrThrow();
    if (kernel % 2 == 0) {
      y = y.get(new NDIndex(":, :, :-1"));
    }
    return y.getNDArrayInternal().gelu().transpose(0, 2, 1);
  }
}
