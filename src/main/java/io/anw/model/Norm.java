package io.anw.model;

import ai.djl.ndarray.NDArray;

/**
 * Layer normalisation over the last axis with M2D's epsilon 1e-6.
 *
 * @param weight {@code [width]}
 * @param bias {@code [width]}
 */
record Norm(NDArray weight, NDArray bias) {

  /** The LayerNorm epsilon of M2D's ViT ({@code partial(nn.LayerNorm, eps=1e-6)}). */
  static final float EPS = 1e-6f;

  /** The norm with {@code prefix.weight} and {@code prefix.bias} of {@code params}. */
  static Norm of(java.util.Map<String, NDArray> params, String prefix) {
    return new Norm(params.get(prefix + ".weight"), params.get(prefix + ".bias"));
  }

  /** Normalises {@code [..., width]}, giving the same shape in x's manager. */
  NDArray apply(NDArray x) {
    return x.getNDArrayInternal().layerNorm(x, weight.getShape(), weight, bias, EPS)
        .singletonOrThrow();
  }
}
