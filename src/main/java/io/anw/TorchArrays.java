package io.anw;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;

/**
 * The one way to make DJL arrays from Java data: every array returned here lives in memory that
 * PyTorch's allocator owns.
 *
 * <p>DJL's PyTorch engine makes {@code manager.create(javaArrayOrBuffer)} a tensor <em>over a
 * Java direct buffer</em>, without copying, that only the Java {@code NDArray} object keeps
 * alive. A view of it ({@code get}, {@code reshape}, a cached hook value, {@code toType} to the
 * same type), or a tensor autograd saves for the backward pass, outlives that object; once it
 * is closed or collected the buffer is freed and native code reads freed memory (a float32
 * ViT-B checkpoint crashed in {@code sgemm} this way; training got sporadic NaN gradients).
 * Here the wrapped array is cloned at once into a PyTorch allocation and the wrapper closed, so
 * nothing refers to Java memory when the call returns. Main code makes arrays from Java data
 * only through this class; a test scans the compiled classes for any other call.
 *
 * <p>Arrays made by PyTorch itself ({@code zeros}, {@code ones}, {@code full}, {@code arange},
 * {@code randomNormal}, results of operations) need nothing of this.
 */
public final class TorchArrays {
  private TorchArrays() {}

  /** A float32 array {@code shape} of row-major {@code values}, in {@code m}. */
  public static NDArray of(NDManager m, float[] values, Shape shape) {
    try (NDArray wrapped = m.create(values, shape)) {
      return wrapped.duplicate();
    }
  }

  /** A float32 vector {@code [values.length]} in {@code m}. */
  public static NDArray of(NDManager m, float[] values) {
    return of(m, values, new Shape(values.length));
  }

  /** A float32 matrix {@code [rows, columns]} of equal-length rows, in {@code m}. */
  public static NDArray of(NDManager m, float[][] rows) {
    int cols = rows.length == 0 ? 0 : rows[0].length;
    float[] flat = new float[rows.length * cols];
    for (int r = 0; r < rows.length; r++) {
      if (rows[r].length != cols) {
        throw new IllegalArgumentException("row " + r + " has " + rows[r].length
            + " values, row 0 has " + cols);
      }
      System.arraycopy(rows[r], 0, flat, r * cols, cols);
    }
    return of(m, flat, new Shape(rows.length, cols));
  }

  /** A float64 array {@code shape} of row-major {@code values}, in {@code m}. */
  public static NDArray of(NDManager m, double[] values, Shape shape) {
    try (NDArray wrapped = m.create(values, shape)) {
      return wrapped.duplicate();
    }
  }

  /** An int64 array {@code shape} of row-major {@code values}, in {@code m}. */
  public static NDArray of(NDManager m, long[] values, Shape shape) {
    try (NDArray wrapped = m.create(values, shape)) {
      return wrapped.duplicate();
    }
  }

  /** An int64 vector {@code [values.length]} in {@code m}. */
  public static NDArray of(NDManager m, long[] values) {
    return of(m, values, new Shape(values.length));
  }

  /** An int32 array {@code shape} of row-major {@code values}, in {@code m}. */
  public static NDArray of(NDManager m, int[] values, Shape shape) {
    try (NDArray wrapped = m.create(values, shape)) {
      return wrapped.duplicate();
    }
  }

  /** A boolean array {@code shape} of row-major {@code values}, in {@code m}. */
  public static NDArray of(NDManager m, boolean[] values, Shape shape) {
    try (NDArray wrapped = m.create(values, shape)) {
      return wrapped.duplicate();
    }
  }

  /**
   * An array of {@code type} and {@code shape} over a copy of {@code bytes} (row-major, the
   * buffer's remaining bytes, native byte order), in {@code m}; the buffer is not kept.
   */
  public static NDArray of(NDManager m, ByteBuffer bytes, Shape shape, DataType type) {
    try (NDArray wrapped = m.create(bytes, shape, type)) {
      return wrapped.duplicate();
    }
  }

  /** A scalar {@code []} float32 array of {@code value}, allocated by PyTorch, in {@code m}. */
  public static NDArray scalar(NDManager m, float value) {
    return m.full(new Shape(), value);
  }

  /**
   * A copy of {@code x} in PyTorch memory, attached to {@code m}, that autograd sees through:
   * for arrays of unknown origin (a hook's result may wrap Java data) kept beyond the current
   * statement. Computed as {@code x · 1} (exact for every value, signed zeros and NaN included),
   * because DJL's {@code duplicate()} detaches the copy from the autograd graph.
   */
  public static NDArray copy(NDArray x, NDManager m) {
    try (NDArray one = m.full(new Shape(), 1f, x.getDataType())) {
      NDArray own = x.mul(one);
      own.attach(m);
      return own;
    }
  }
}
