package io.anw.tensor;

import java.util.List;

/** Checked conversions of unpickled arguments to Java values. */
final class PickleArgs {
  /** Most dimensions accepted for a shape or strides tuple. */
  static final int MAX_RANK = 64;

  private PickleArgs() {}

  /** A tuple or list of ints as {@code long[]}, at most {@link #MAX_RANK} long. */
  static long[] longs(Object o, String what) {
    if (!(o instanceof List<?> items)) {
      throw new IllegalArgumentException(what + " is not a tuple but " + PyRepr.typeName(o));
    }
    if (items.size() > MAX_RANK) {
      throw new IllegalArgumentException(what + " has " + items.size() + " dimensions");
    }
    long[] out = new long[items.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = longValue(items.get(i), what);
    }
    return out;
  }

  /** An int argument as long. */
  static long longValue(Object o, String what) {
    if (o instanceof Long l) {
      return l;
    }
    throw new IllegalArgumentException(what + " is not a 64-bit int but " + PyRepr.typeName(o));
  }

  /** Argument {@code i}, or an error naming {@code function} if there are too few. */
  static Object arg(List<Object> args, int i, String function) {
    if (i >= args.size()) {
      throw new IllegalArgumentException(function + " expects at least " + (i + 1) + " arguments");
    }
    return args.get(i);
  }
}
