package io.anw.tensor;

import java.util.List;

/**
 * NumPy values inside a pickle: {@code numpy.dtype(...)} objects, arrays rebuilt by
 * {@code numpy.core.multiarray._reconstruct} and scalars from {@code numpy.core.multiarray.scalar}.
 * Only raw numeric or string data is accepted; object arrays (which would nest pickles) are refused.
 */
final class NumpyPickled {
  private NumpyPickled() {}

  /** A pickled {@code numpy.dtype}: the type code from its constructor, the byte order from BUILD. */
  static final class DTypeObject implements PickleBuildable {
    private final String code;
    private char order = '|';

    DTypeObject(List<Object> args) {
      if (args.isEmpty() || !(args.get(0) instanceof String s)) {
        throw new IllegalArgumentException("numpy.dtype needs a type code");
      }
      this.code = s;
    }

    @Override
    public void setState(Object state) {
      if (state instanceof List<?> t && t.size() > 1 && t.get(1) instanceof String o && o.length() == 1) {
        order = o.charAt(0);
      } else {
        throw new IllegalArgumentException("unexpected numpy.dtype state");
      }
    }

    /** The full descriptor, e.g. {@code <f4}. */
    NumpyDescr descr() {
      return NumpyDescr.parse(order + code);
    }

    @Override
    public String toString() {
      return "dtype('" + descr().descr() + "')";
    }
  }

  /** A pickled {@code numpy.ndarray}, complete once BUILD supplied shape, dtype and bytes. */
  static final class ArrayObject implements PickleBuildable {
    private Object value;

    @Override
    public void setState(Object state) {
      if (!(state instanceof List<?> t) || t.size() < 4) {
        throw new IllegalArgumentException("unexpected numpy.ndarray state");
      }
      int base = t.size() == 5 ? 1 : 0;
      long[] shape = PickleArgs.longs(t.get(base), "ndarray shape");
      if (!(t.get(base + 1) instanceof DTypeObject dtype)) {
        throw new IllegalArgumentException("ndarray state without a numpy.dtype");
      }
      boolean fortran = Boolean.TRUE.equals(t.get(base + 2));
      if (!(t.get(base + 3) instanceof byte[] raw)) {
        throw new IllegalArgumentException("ndarray of Python objects is not supported");
      }
      value = dtype.descr().array(shape, fortran, Storage.of(raw));
    }

    /** The array as a {@link Tensor} or {@link TextArray}. */
    Object value() {
      if (value == null) {
        throw new IllegalStateException("numpy array without state");
      }
      return value;
    }

    @Override
    public String toString() {
      return value == null ? "ndarray(?)" : value.toString();
    }
  }

  /** {@code _reconstruct(ndarray, (0,), b'b')}: an empty array that BUILD fills. */
  static Object reconstruct(List<Object> args) {
    if (args.isEmpty() || !(args.get(0) instanceof PyGlobal g) || !g.name().endsWith(".ndarray")) {
      throw new IllegalArgumentException("_reconstruct of something other than numpy.ndarray");
    }
    return new ArrayObject();
  }

  /** {@code _frombuffer(buffer, dtype, shape, order)} (protocol 5): the array over the pickled bytes. */
  static Object fromBuffer(List<Object> args) {
    if (args.size() != 4 || !(args.get(0) instanceof byte[] raw) || !(args.get(1) instanceof DTypeObject dtype)) {
      throw new IllegalArgumentException("unexpected numpy _frombuffer arguments");
    }
    long[] shape = PickleArgs.longs(args.get(2), "ndarray shape");
    return dtype.descr().array(shape, "F".equals(args.get(3)), Storage.of(raw));
  }

  /** {@code scalar(dtype, bytes)}: a Long, Double, Boolean or String. */
  static Object scalar(List<Object> args) {
    if (args.size() != 2 || !(args.get(0) instanceof DTypeObject dtype) || !(args.get(1) instanceof byte[] raw)) {
      throw new IllegalArgumentException("unexpected numpy scalar arguments");
    }
    Object array = dtype.descr().array(new long[0], false, Storage.of(raw));
    if (array instanceof TextArray t) {
      return t.values().get(0);
    }
    Tensor x = (Tensor) array;
    if (x.dtype() == DType.BOOL) {
      return x.toBooleanArray()[0];
    }
    if (x.dtype().isFloating()) {
      return x.toDoubleArray()[0];
    }
    return x.toLongArray()[0];
  }
}
