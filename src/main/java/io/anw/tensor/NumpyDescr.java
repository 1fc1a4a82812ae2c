package io.anw.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A NumPy dtype descriptor such as {@code <f4}, {@code >i8}, {@code |b1}, {@code <U10}:
 * numeric (a {@link DType}) or text ({@code U} = UTF-32 code points, {@code S} = bytes).
 *
 * @param dtype the numeric type, or null for text
 * @param text {@code 'U'} or {@code 'S'} for text, {@code 0} for numbers
 * @param itemSize bytes per element
 * @param order byte order of multi-byte values
 */
record NumpyDescr(DType dtype, char text, int itemSize, ByteOrder order) {
  /** Largest string item accepted, in bytes. */
  private static final int MAX_TEXT_ITEM = 1 << 20;

  /** Parses a descriptor string; throws {@link IllegalArgumentException} if unsupported. */
  static NumpyDescr parse(String descr) {
    if (descr.isEmpty()) {
      throw new IllegalArgumentException("empty dtype descriptor");
    }
    char first = descr.charAt(0);
    ByteOrder order = ByteOrder.LITTLE_ENDIAN;
    String code = descr;
    if (first == '<' || first == '>' || first == '|' || first == '=') {
      order = first == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
      code = descr.substring(1);
    }
    if (!code.isEmpty() && (code.charAt(0) == 'U' || code.charAt(0) == 'S')) {
      char kind = code.charAt(0);
      int chars;
      try {
        chars = code.length() == 1 ? 0 : Integer.parseInt(code.substring(1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("unsupported dtype " + descr);
      }
      long size = kind == 'U' ? 4L * chars : chars;
      if (chars < 0 || size > MAX_TEXT_ITEM) {
        throw new IllegalArgumentException("string dtype " + descr + " out of range");
      }
      return new NumpyDescr(null, kind, (int) size, order);
    }
    DType t = DType.fromNumpyCode(code);
    if (t == null) {
      throw new IllegalArgumentException("unsupported dtype " + descr
          + (code.startsWith("O") ? " (Python objects)" : ""));
    }
    return new NumpyDescr(t, (char) 0, t.byteSize(), order);
  }

  /** Whether the elements are strings. */
  boolean isText() {
    return text != 0;
  }

  /**
   * The array stored in {@code storage} from byte 0: a {@link Tensor} for numbers (viewing the
   * storage), a {@link TextArray} for strings (decoded now).
   */
  Object array(long[] shape, boolean fortran, Storage storage) {
    long[] strides = fortran ? Tensor.fortranStrides(shape) : Tensor.contiguousStrides(shape);
    if (!isText()) {
      return new Tensor(dtype, shape, strides, 0, storage, order);
    }
    long n = 1;
    for (long s : shape) {
      n = Math.multiplyExact(n, s);
    }
    if (Math.multiplyExact(n, (long) itemSize) > storage.byteSize() || (itemSize == 0 && n > MAX_TEXT_ITEM)) {
      throw new IllegalArgumentException("string array " + java.util.Arrays.toString(shape)
          + " needs more bytes than stored");
    }
    ByteBuffer b = storage.bytes().order(order);
    List<String> values = new ArrayList<>((int) n);
    long[] index = new long[shape.length];
    for (long k = 0; k < n; k++) {
      long element = 0;
      for (int d = 0; d < shape.length; d++) {
        element += index[d] * strides[d];
      }
      values.add(decode(b, (int) (element * itemSize)));
      for (int d = shape.length - 1; d >= 0; d--) {
        if (++index[d] < shape[d]) {
          break;
        }
        index[d] = 0;
      }
    }
    return new TextArray(shape, values);
  }

  private String decode(ByteBuffer b, int at) {
    if (text == 'S') {
      int len = itemSize;
      while (len > 0 && b.get(at + len - 1) == 0) {
        len--;
      }
      byte[] raw = new byte[len];
      b.get(at, raw);
      return new String(raw, StandardCharsets.ISO_8859_1);
    }
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < itemSize / 4; i++) {
      int cp = b.getInt(at + 4 * i);
      if (cp == 0) {
        break;
      }
      if (!Character.isValidCodePoint(cp)) {
        throw new IllegalArgumentException("invalid code point " + cp + " in a string array");
      }
      s.appendCodePoint(cp);
    }
    return s.toString();
  }

  /** The descriptor string, e.g. {@code <f4}. */
  String descr() {
    char o = itemSize == 1 ? '|' : order == ByteOrder.BIG_ENDIAN ? '>' : '<';
    if (isText()) {
      return o + String.valueOf(text) + (text == 'U' ? itemSize / 4 : itemSize);
    }
    return o + dtype.numpyCode();
  }
}
