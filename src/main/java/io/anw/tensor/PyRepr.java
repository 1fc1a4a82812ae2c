package io.anw.tensor;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Python-style text for unpickled values ({@code True}, {@code None}, {@code 1e-05},
 * {@code ['a', 1]}), so metadata reads the way Python colleagues wrote it. Output is clipped
 * and nesting bounded, so cyclic or huge structures print quickly.
 */
final class PyRepr {
  private static final int MAX_DEPTH = 8;
  private static final int MAX_ITEMS = 32;
  private static final int MAX_CHARS = 1000;

  private PyRepr() {}

  /** Python's {@code str(value)}: strings unquoted, everything else as {@link #repr}. */
  static String str(Object value) {
    return value instanceof String s ? s : repr(value);
  }

  /** Python's {@code repr(value)}, clipped to about 1000 characters. */
  static String repr(Object value) {
    StringBuilder out = new StringBuilder();
    append(out, value, 0);
    return clip(out.toString(), MAX_CHARS);
  }

  /** {@code s} cut to {@code max} characters with an ellipsis. */
  static String clip(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 3) + "...";
  }

  /** A short type name for messages: {@code str}, {@code list}, {@code dict}, a class name. */
  static String typeName(Object o) {
    if (o == null) return "None";
    if (o instanceof String) return "str";
    if (o instanceof Long || o instanceof BigInteger) return "int";
    if (o instanceof Double) return "float";
    if (o instanceof Boolean) return "bool";
    if (o instanceof byte[]) return "bytes";
    if (o instanceof PyTuple) return "tuple";
    if (o instanceof List) return "list";
    if (o instanceof Map) return "dict";
    if (o instanceof Set) return "set";
    if (o instanceof PyGlobal g) return g.name();
    if (o instanceof PyObject p) return p.className();
    return o.getClass().getSimpleName();
  }

  /** Python's float repr: shortest digits, exponent form below 1e-4 and from 1e16. */
  static String formatFloat(double d) {
    if (Double.isNaN(d)) return "nan";
    if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
    if (d == 0) return (1 / d < 0) ? "-0.0" : "0.0";
    BigDecimal b = new BigDecimal(Double.toString(d)).stripTrailingZeros();
    int exp = b.precision() - b.scale() - 1;
    if (exp < -4 || exp >= 16) {
      String digits = b.unscaledValue().abs().toString();
      String mant = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
      return (d < 0 ? "-" : "") + mant + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }
    String plain = b.toPlainString();
    return plain.contains(".") ? plain : plain + ".0";
  }

  private static void append(StringBuilder out, Object v, int depth) {
    if (out.length() > MAX_CHARS) {
      return;
    }
    if (depth > MAX_DEPTH) {
      out.append("...");
      return;
    }
    if (v == null) {
      out.append("None");
    } else if (v instanceof Boolean b) {
      out.append(b ? "True" : "False");
    } else if (v instanceof Double d) {
      out.append(formatFloat(d));
    } else if (v instanceof String s) {
      out.append('\'').append(clip(s, MAX_CHARS).replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n")).append('\'');
    } else if (v instanceof byte[] b) {
      out.append("b'");
      for (int i = 0; i < Math.min(b.length, 64); i++) {
        int c = b[i] & 0xff;
        out.append(c >= 32 && c < 127 && c != '\'' && c != '\\' ? String.valueOf((char) c) : String.format("\\x%02x", c));
      }
      out.append(b.length > 64 ? "...'" : "'");
    } else if (v instanceof PyTuple t) {
      items(out, "(", t, t.size() == 1 ? ",)" : ")", depth);
    } else if (v instanceof List<?> l) {
      items(out, "[", l, "]", depth);
    } else if (v instanceof Set<?> s) {
      if (s.isEmpty()) {
        out.append("set()");
      } else {
        items(out, "{", s, "}", depth);
      }
    } else if (v instanceof Map<?, ?> m) {
      out.append('{');
      int n = 0;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (n > 0) out.append(", ");
        if (n++ == MAX_ITEMS) {
          out.append("...");
          break;
        }
        append(out, e.getKey(), depth + 1);
        out.append(": ");
        append(out, e.getValue(), depth + 1);
      }
      out.append('}');
    } else if (v instanceof PyObject p && p.className().equals("builtins.complex") && p.args().size() == 2
        && p.args().get(0) instanceof Double re && p.args().get(1) instanceof Double im) {
      out.append(formatComplex(re, im));
    } else if (v instanceof PyObject p) {
      String simple = p.className().substring(p.className().lastIndexOf('.') + 1);
      out.append(simple).append('(');
      int n = 0;
      for (Object a : p.args()) {
        if (n++ > 0) out.append(", ");
        append(out, a, depth + 1);
      }
      for (Map.Entry<Object, Object> e : p.attributes().entrySet()) {
        if (n++ > 0) out.append(", ");
        out.append(str(e.getKey())).append('=');
        append(out, e.getValue(), depth + 1);
      }
      out.append(')');
    } else if (v instanceof PyGlobal g) {
      out.append(g.name());
    } else {
      out.append(v);
    }
  }

  /** Python's complex repr: {@code (1.5-2j)}, {@code 2j}. */
  static String formatComplex(double re, double im) {
    String i = formatFloat(im).replaceAll("\\.0(?=$|e)", "") + "j";
    if (re == 0 && 1 / re > 0) {
      return i;
    }
    String r = formatFloat(re).replaceAll("\\.0(?=$|e)", "");
    return "(" + r + (i.startsWith("-") ? "" : "+") + i + ")";
  }

  private static void items(StringBuilder out, String open, Collection<?> items, String close, int depth) {
    out.append(open);
    Iterator<?> it = items.iterator();
    for (int n = 0; it.hasNext(); n++) {
      if (n > 0) out.append(", ");
      if (n == MAX_ITEMS) {
        out.append("...");
        break;
      }
      append(out, it.next(), depth + 1);
    }
    out.append(close);
  }
}
