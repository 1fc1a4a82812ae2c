package io.anw.model;

import ai.djl.ndarray.NDArray;

/**
 * A fully connected layer {@code y = x W^T + b}, as {@code torch.nn.Linear}.
 *
 * @param weight {@code [out, in]}
 * @param bias {@code [out]}
 */
record Linear(NDArray weight, NDArray bias) {

  /** The layer with {@code prefix.weight} and {@code prefix.bias} of {@code params}. */
  static Linear of(java.util.Map<String, NDArray> params, String prefix) {
    return new Linear(params.get(prefix + ".weight"), params.get(prefix + ".bias"));
  }

  /** Applies the layer to {@code [..., in]}, giving {@code [..., out]} in x's manager. */
  NDArray apply(NDArray x) {
    return x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();
  }
}
