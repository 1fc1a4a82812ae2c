package io.anw.tensor;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The NumPy {@code .npy} format (versions 1-3): magic {@code \x93NUMPY}, version, header length,
 * a Python dict literal {@code {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }},
 * then the raw array data.
 */
final class NpyFormat {
  static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final int MAX_HEADER = 1 << 20;

  private NpyFormat() {}

  /**
   * A parsed header.
   *
   * @param descr element type
   * @param fortran whether the data is column-major
   * @param shape sizes per dimension
   * @param dataOffset offset of the data from the start of the .npy bytes
   */
  record Header(NumpyDescr descr, boolean fortran, long[] shape, int dataOffset) {
    /** Bytes the data takes. */
    long dataBytes() {
      long n = descr.itemSize();
      for (long s : shape) {
        n = Math.multiplyExact(n, s);
      }
      return n;
    }
  }

  /** Whether {@code b} (at its position) starts with the .npy magic. */
  static boolean hasMagic(ByteBuffer b) {
    if (b.remaining() < MAGIC.length) {
      return false;
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (b.get(b.position() + i) != MAGIC[i]) {
        return false;
      }
    }
    return true;
  }

  /** Parses the header at the start of {@code b} (little-endian, position 0). */
  static Header header(ByteBuffer b) {
    if (!hasMagic(b) || b.remaining() < 10) {
      throw new IllegalArgumentException("not a .npy file (magic missing)");
    }
    int major = b.get(6) & 0xff;
    long len;
    int start;
    if (major == 1) {
      len = b.getShort(8) & 0xffff;
      start = 10;
    } else if (major == 2 || major == 3) {
      len = b.getInt(8) & 0xffffffffL;
      start = 12;
    } else {
      throw new IllegalArgumentException("unsupported .npy version " + major);
    }
    if (len > MAX_HEADER || start + len > b.remaining()) {
      throw new IllegalArgumentException(".npy header of " + len + " bytes is too long or truncated");
    }
    byte[] raw = new byte[(int) len];
    b.get(start, raw);
    String text = new String(raw, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    String descr = quoted(text, "descr");
    boolean fortran = bool(text, "fortran_order");
    long[] shape = shape(text);
    return new Header(NumpyDescr.parse(descr), fortran, shape, start + (int) len);
  }

  private static int valueStart(String text, String key) {
    int k = text.indexOf("'" + key + "'");
    if (k < 0) {
      throw new IllegalArgumentException(".npy header lacks '" + key + "'");
    }
    int colon = text.indexOf(':', k);
    if (colon < 0) {
      throw new IllegalArgumentException(".npy header is malformed near '" + key + "'");
    }
    int i = colon + 1;
    while (i < text.length() && text.charAt(i) == ' ') {
      i++;
    }
    return i;
  }

  private static String quoted(String text, String key) {
    int i = valueStart(text, key);
    if (i >= text.length() || (text.charAt(i) != '\'' && text.charAt(i) != '"')) {
      throw new IllegalArgumentException(".npy '" + key + "' is not a plain type string (structured arrays are not supported)");
    }
    int end = text.indexOf(text.charAt(i), i + 1);
    if (end < 0) {
      throw new IllegalArgumentException(".npy header is malformed near '" + key + "'");
    }
    return text.substring(i + 1, end);
  }

  private static boolean bool(String text, String key) {
    int i = valueStart(text, key);
    if (text.startsWith("True", i)) {
      return true;
    }
    if (text.startsWith("False", i)) {
      return false;
    }
    throw new IllegalArgumentException(".npy '" + key + "' is not True or False");
  }

  private static long[] shape(String text) {
    int i = valueStart(text, "shape");
    int end = text.indexOf(')', i);
    if (i >= text.length() || text.charAt(i) != '(' || end < 0) {
      throw new IllegalArgumentException(".npy 'shape' is not a tuple");
    }
    List<Long> dims = new ArrayList<>();
    for (String part : text.substring(i + 1, end).split(",")) {
      String p = part.trim().replace("L", "");
      if (!p.isEmpty()) {
        try {
          long d = Long.parseLong(p);
          if (d < 0) {
            throw new NumberFormatException();
          }
          dims.add(d);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(".npy 'shape' has a bad size '" + PyRepr.clip(p, 20) + "'");
        }
      }
    }
    if (dims.size() > PickleArgs.MAX_RANK) {
      throw new IllegalArgumentException(".npy 'shape' has too many dimensions");
    }
    return dims.stream().mapToLong(Long::longValue).toArray();
  }

  /** The .npy header text for {@code descr}, {@code shape}, padded so the data starts 64-byte aligned. */
  static byte[] headerBytes(String descr, boolean fortran, long[] shape) {
    StringBuilder dims = new StringBuilder();
    for (long d : shape) {
      dims.append(d).append(", ");
    }
    String shapeText = shape.length == 1 ? "(" + shape[0] + ",)"
        : "(" + (shape.length == 0 ? "" : dims.substring(0, dims.length() - 2)) + ")";
    String dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False")
        + ", 'shape': " + shapeText + ", }";
    int total = 10 + dict.length() + 1;
    int pad = (64 - total % 64) % 64;
    String header = dict + " ".repeat(pad) + "\n";
    byte[] text = header.getBytes(StandardCharsets.ISO_8859_1);
    boolean v2 = text.length > 0xffff;
    ByteBuffer out = ByteBuffer.allocate((v2 ? 12 : 10) + text.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    out.put(MAGIC).put((byte) (v2 ? 2 : 1)).put((byte) 0);
    if (v2) {
      out.putInt(text.length);
    } else {
      out.putShort((short) text.length);
    }
    out.put(text);
    return out.array();
  }
}
