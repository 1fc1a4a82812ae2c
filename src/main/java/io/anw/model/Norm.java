package io.anw.model;

import ai.djl.ndarray.NDArray;

/**
 * Layer normalisation over the last axis (epsilon 1e-6 for M2D, the model's own otherwise).
 *
 * @param weight {@code [width]}
 * @param bias {@code [width]}
 * @param eps added to the variance
 */
record Norm(NDArray weight, NDArray bias, float eps) {

  /** The LayerNorm epsilon of M2D's ViT ({@code partial(nn.LayerNorm, eps=1e-6)}). */
  static final float EPS = 1e-6f;

  /** A norm with M2D's epsilon. */
  Norm(NDArray weight, NDArray bias) {
    this(weight, bias, EPS);
  }

  /** The norm with {@code prefix.weight} and {@code prefix.bias} of {@code params}, epsilon {@code eps}. */
  static Norm of(java.util.Map<String, NDArray> params, String prefix, float eps) {
    return new Norm(params.get(prefix + ".weight"), params.get(prefix + ".bias"), eps);
  }

  /** The norm with {@code prefix.weight} and {@code prefix.bias} of {@code params}. */
  static Norm of(java.util.Map<String, NDArray> params, String prefix) {
    return new Norm(params.get(prefix + ".weight"), params.get(prefix + ".bias"));
  }

  /** Normalises {@code [..., width]}, giving the same shape in x's manager. */
  NDArray apply(NDArray x) {
    return x.getNDArrayInternal().layerNorm(x, weight.getShape(), weight, bias, eps)
        .singletonOrThrow();
  }
}
