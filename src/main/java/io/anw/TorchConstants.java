package io.anw;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Constant arrays whose memory PyTorch owns, for computations that autograd records.
 *
 * <p>DJL's PyTorch engine makes {@code manager.create(javaArray)} a tensor <em>over a direct
 * buffer</em> that only the Java {@code NDArray} keeps alive, and {@code x.mul(2.5f)} creates
 * such a scalar, multiplies, and closes it at once. Autograd keeps the scalar for the backward
 * pass ({@code d(x·c)/dx = c}); if the garbage collector frees the buffer in between, the
 * gradients read freed memory — sporadic NaNs or wrong values (seen here in M2D training: NaN
 * gradients after hundreds of steps, and runs that differed from each other). Constants made
 * here are allocated by PyTorch ({@code full}, {@code clone}), so the tensors autograd saves own
 * their memory. Outside autograd (inference) DJL's scalar operations are safe.
 */
public final class TorchConstants {
  private TorchConstants() {}

  /** A scalar {@code []} float32 tensor of {@code value}, allocated by PyTorch, in {@code m}. */
  public static NDArray scalar(NDManager m, float value) {
    return m.full(new Shape(), value);
  }

  /** A float32 tensor of {@code values} with {@code shape}, allocated by PyTorch, in {@code m}. */
  public static NDArray array(NDManager m, float[] values, Shape shape) {
    try (NDArray overBuffer = m.create(values, shape)) {
      return overBuffer.duplicate();
    }
  }

  /** {@link #array(NDManager, float[], Shape)} for a vector. */
  public static NDArray array(NDManager m, float[] values) {
    return array(m, values, new Shape(values.length));
  }
}
