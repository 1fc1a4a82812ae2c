package io.anw.model;

import ai.djl.ndarray.NDArray;
import io.anw.TorchArrays;

/** Training losses, differentiable on DJL autograd, for every trainer (probes and models). */
public final class Losses {
  private Losses() {}

  /**
   * Mean softmax cross-entropy of {@code logits [n, k]} against targets {@code oneHot [n, k]}
   * (one-hot or soft labels): {@code -Σ target · log softmax(logits) / n}.
   */
  public static NDArray crossEntropy(NDArray logits, NDArray oneHot) {
    long n = logits.getShape().get(0);
    return logits.logSoftmax(-1).mul(oneHot).sum()
        .div(TorchArrays.scalar(logits.getManager(), -n));
  }
}
