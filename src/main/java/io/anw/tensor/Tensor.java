package io.anw.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.anw.TorchArrays;
import io.anw.WorkbenchException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One tensor of a {@link TensorTree}: element type, shape and a strided view into a
 * {@link Storage}, as PyTorch keeps it.
 *
 * <p>Strides and the storage offset count elements, not bytes. Values stay in the storage
 * (usually memory-mapped) until a {@code to...Array()}, {@link #contiguousBytes()} or
 * {@link #toNDArray(NDManager)} call materialises them in row-major (C) order.
 */
public final class Tensor {
  private final DType dtype;
  private final long[] shape;
  private final long[] strides;
  private final long offset;
  private final Storage storage;
  private final ByteOrder order;

  /**
   * A view of {@code storage}; throws {@link IllegalArgumentException} if the view reaches
   * outside the storage or the shape/strides are negative or overflow.
   *
   * @param shape sizes per dimension
   * @param strides elements to step per dimension (same length as {@code shape})
   * @param offset index of the first element in the storage, in elements
   * @param order byte order of the stored values
   */
  public Tensor(DType dtype, long[] shape, long[] strides, long offset, Storage storage, ByteOrder order) {
    this.dtype = dtype;
    this.shape = shape.clone();
    this.strides = strides.clone();
    this.offset = offset;
    this.storage = storage;
    this.order = order;
    checkView();
  }

  /** A C-contiguous tensor over little-endian {@code bytes} (not copied). */
  public static Tensor of(DType dtype, long[] shape, byte[] bytes) {
    return new Tensor(dtype, shape, contiguousStrides(shape), 0, Storage.of(bytes), ByteOrder.LITTLE_ENDIAN);
  }

  /** A float32 tensor of {@code shape} over a copy of row-major {@code values}. */
  public static Tensor ofFloats(float[] values, long... shape) {
    ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    return checked(of(DType.F32, shape, b.array()), values.length);
  }

  /** An int64 tensor of {@code shape} over a copy of row-major {@code values}. */
  public static Tensor ofLongs(long[] values, long... shape) {
    ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    b.asLongBuffer().put(values);
    return checked(of(DType.I64, shape, b.array()), values.length);
  }

  /** A float64 tensor of {@code shape} over a copy of row-major {@code values}. */
  public static Tensor ofDoubles(double[] values, long... shape) {
    ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    b.asDoubleBuffer().put(values);
    return checked(of(DType.F64, shape, b.array()), values.length);
  }

  private static Tensor checked(Tensor t, int values) {
    if (t.numel() != values) {
      throw new IllegalArgumentException("shape " + java.util.Arrays.toString(t.shape())
          + " does not hold " + values + " values");
    }
    return t;
  }

  /** A copy of a DJL array's values. */
  public static Tensor of(NDArray array) {
    DataType t = array.getDataType();
    DType dtype = null;
    for (DType d : DType.values()) {
      if (d.djl() == t) {
        dtype = d;
      }
    }
    if (dtype == null) {
      throw new IllegalArgumentException("no tensor-file dtype for DJL " + t);
    }
    ByteBuffer b = array.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    byte[] bytes = new byte[b.remaining()];
    b.get(bytes);
    return of(dtype, array.getShape().getShape(), bytes);
  }

  /** Row-major strides (in elements) for {@code shape}. */
  public static long[] contiguousStrides(long[] shape) {
    long[] s = new long[shape.length];
    long step = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      s[i] = step;
      step *= Math.max(shape[i], 1);
    }
    return s;
  }

  /** Column-major (Fortran) strides (in elements) for {@code shape}. */
  public static long[] fortranStrides(long[] shape) {
    long[] s = new long[shape.length];
    long step = 1;
    for (int i = 0; i < shape.length; i++) {
      s[i] = step;
      step *= Math.max(shape[i], 1);
    }
    return s;
  }

  private void checkView() {
    if (strides.length != shape.length) {
      throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " and strides "
          + Arrays.toString(strides) + " differ in rank");
    }
    if (offset < 0) {
      throw new IllegalArgumentException("negative storage offset " + offset);
    }
    try {
      long n = 1;
      long last = offset;
      for (int i = 0; i < shape.length; i++) {
        if (shape[i] < 0 || strides[i] < 0) {
          throw new IllegalArgumentException("negative size or stride in shape "
              + Arrays.toString(shape) + " strides " + Arrays.toString(strides));
        }
        n = Math.multiplyExact(n, shape[i]);
        if (shape[i] > 0) {
          last = Math.addExact(last, Math.multiplyExact(shape[i] - 1, strides[i]));
        }
      }
      long elements = storage.byteSize() / dtype.byteSize();
      if (n > 0 && last >= elements) {
        throw new IllegalArgumentException("view " + Arrays.toString(shape) + " strides "
            + Arrays.toString(strides) + " offset " + offset + " reaches element " + last
            + " of a storage of " + elements + " " + dtype);
      }
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " overflows", e);
    }
  }

  /** Element type. */
  public DType dtype() {
    return dtype;
  }

  /** Sizes per dimension (a copy); empty for a scalar. */
  public long[] shape() {
    return shape.clone();
  }

  /** The shape as a DJL {@link Shape}. */
  public Shape djlShape() {
    return new Shape(shape);
  }

  /** Strides per dimension in elements (a copy). */
  public long[] strides() {
    return strides.clone();
  }

  /** Index of the first element in the storage, in elements. */
  public long storageOffset() {
    return offset;
  }

  /** The storage this tensor views (possibly shared with other tensors). */
  public Storage storage() {
    return storage;
  }

  /** Byte order of the stored values. */
  public ByteOrder byteOrder() {
    return order;
  }

  /** Number of dimensions. */
  public int rank() {
    return shape.length;
  }

  /** Number of elements (1 for a scalar). */
  public long numel() {
    long n = 1;
    for (long s : shape) {
      n *= s;
    }
    return n;
  }

  /** Bytes the values take when packed: {@code numel() * dtype().byteSize()}. */
  public long byteSize() {
    return numel() * dtype.byteSize();
  }

  /** Whether the view is row-major contiguous (no gaps, no transposition). */
  public boolean isContiguous() {
    long step = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      if (shape[i] != 1 && strides[i] != step) {
        return numel() == 0;
      }
      step *= shape[i];
    }
    return true;
  }

  /**
   * The values packed in row-major order, little-endian, as a read-only buffer of
   * {@link #byteSize()} bytes. A contiguous little-endian view is returned without copying;
   * otherwise the view is gathered into a new heap buffer.
   */
  public ByteBuffer contiguousBytes() {
    long total = byteSize();
    if (total > Integer.MAX_VALUE - 8) {
      throw new WorkbenchException("tensor " + this + " has " + total + " bytes, more than one Java buffer holds (2 GiB)");
    }
    if (total == 0) {
      return ByteBuffer.allocate(0).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }
    int es = dtype.byteSize();
    ByteBuffer src = storage.bytes();
    if (isContiguous() && (order == ByteOrder.LITTLE_ENDIAN || es == 1)) {
      return src.slice((int) (offset * es), (int) total).order(ByteOrder.LITTLE_ENDIAN);
    }
    byte[] out = new byte[(int) total];
    gather(src, out, es);
    return ByteBuffer.wrap(out).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * Copies the view into {@code out} in row-major order, swapping bytes if stored big-endian.
   * Rows whose last dimension is contiguous are copied in bulk.
   */
  private void gather(ByteBuffer src, byte[] out, int es) {
    long n = numel();
    if (n == 0) {
      return;
    }
    boolean swap = order != ByteOrder.LITTLE_ENDIAN && es > 1;
    int rank = shape.length;
    boolean rows = !swap && rank > 0 && strides[rank - 1] == 1;
    int run = rows ? (int) shape[rank - 1] : 1;
    int outer = rows ? rank - 1 : rank;
    long[] index = new long[rank];
    long pos = offset;
    int o = 0;
    for (long k = 0; k < n; k += run) {
      int from = (int) (pos * es);
      if (rows) {
        src.get(from, out, o, run * es);
      } else {
        for (int b = 0; b < es; b++) {
          out[o + b] = src.get(swap ? from + es - 1 - b : from + b);
        }
      }
      o += run * es;
      for (int d = outer - 1; d >= 0; d--) {
        if (++index[d] < shape[d]) {
          pos += strides[d];
          break;
        }
        pos -= (shape[d] - 1) * strides[d];
        index[d] = 0;
      }
    }
  }

  private int checkedCount() {
    long n = numel();
    if (n > Integer.MAX_VALUE - 8) {
      throw new WorkbenchException("tensor " + this + " has more elements than a Java array holds");
    }
    return (int) n;
  }

  /** The values as floats in row-major order (integers and booleans converted; F64 rounded). */
  public float[] toFloatArray() {
    ByteBuffer b = contiguousBytes();
    float[] out = new float[checkedCount()];
    switch (dtype) {
      case F32 -> b.asFloatBuffer().get(out);
      case F16 -> { for (int i = 0; i < out.length; i++) out[i] = Float16.toFloat(b.getShort(2 * i)); }
      case BF16 -> { for (int i = 0; i < out.length; i++) out[i] = Float.intBitsToFloat(b.getShort(2 * i) << 16); }
      default -> { for (int i = 0; i < out.length; i++) out[i] = (float) doubleAt(b, i); }
    }
    return out;
  }

  /** The values as doubles in row-major order (exact for every dtype except I64/U64 beyond 2^53). */
  public double[] toDoubleArray() {
    ByteBuffer b = contiguousBytes();
    double[] out = new double[checkedCount()];
    for (int i = 0; i < out.length; i++) {
      out[i] = doubleAt(b, i);
    }
    return out;
  }

  /** The values as longs in row-major order (floats truncated toward zero; U64 as raw bits). */
  public long[] toLongArray() {
    ByteBuffer b = contiguousBytes();
    long[] out = new long[checkedCount()];
    for (int i = 0; i < out.length; i++) {
      out[i] = dtype.isFloating() ? (long) doubleAt(b, i) : longAt(b, i);
    }
    return out;
  }

  /** The values as ints in row-major order (wider integers narrowed, floats truncated). */
  public int[] toIntArray() {
    long[] l = toLongArray();
    int[] out = new int[l.length];
    for (int i = 0; i < l.length; i++) {
      out[i] = (int) l[i];
    }
    return out;
  }

  /** The values as booleans in row-major order (true where non-zero). */
  public boolean[] toBooleanArray() {
    ByteBuffer b = contiguousBytes();
    boolean[] out = new boolean[checkedCount()];
    for (int i = 0; i < out.length; i++) {
      out[i] = dtype.isFloating() ? doubleAt(b, i) != 0 : longAt(b, i) != 0;
    }
    return out;
  }

  /**
   * A new DJL array with these values and shape, owned by {@code manager}; its data type is
   * {@link DType#engineType()} (the dtype itself, or a wider exact one the engine supports).
   */
  public NDArray toNDArray(NDManager manager) {
    Shape s = djlShape();
    switch (dtype) {
      case BF16: return TorchArrays.of(manager, toFloatArray(), s);
      case I16: case U16: return TorchArrays.of(manager, toIntArray(), s);
      case U32: case U64: return TorchArrays.of(manager, toLongArray(), s);
      default: break;
    }
    ByteBuffer b = contiguousBytes();
    ByteBuffer direct = ByteBuffer.allocateDirect(b.remaining()).order(ByteOrder.nativeOrder());
    direct.put(b.duplicate().order(ByteOrder.LITTLE_ENDIAN)).flip();
    return TorchArrays.of(manager, direct, s, dtype.djl());
  }

  private long longAt(ByteBuffer b, int i) {
    return switch (dtype) {
      case I8 -> b.get(i);
      case U8, BOOL -> b.get(i) & 0xffL;
      case I16 -> b.getShort(2 * i);
      case U16 -> b.getShort(2 * i) & 0xffffL;
      case I32 -> b.getInt(4 * i);
      case U32 -> b.getInt(4 * i) & 0xffffffffL;
      case I64, U64 -> b.getLong(8 * i);
      default -> (long) doubleAt(b, i);
    };
  }

  private double doubleAt(ByteBuffer b, int i) {
    return switch (dtype) {
      case F16 -> Float16.toFloat(b.getShort(2 * i));
      case BF16 -> Float.intBitsToFloat(b.getShort(2 * i) << 16);
      case F32 -> b.getFloat(4 * i);
      case F64 -> b.getDouble(8 * i);
      case U64 -> {
        long v = b.getLong(8 * i);
        yield v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
      }
      default -> longAt(b, i);
    };
  }

  /** {@code DTYPE[d0, d1, ...]}, e.g. {@code F32[768, 3072]}. */
  @Override
  public String toString() {
    return dtype + Arrays.toString(shape);
  }
}
