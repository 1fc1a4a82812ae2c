package io.anw.tensor;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns an unpickled object graph into a {@link TensorTree}: dicts, Namespaces, lists and tuples
 * become dotted key paths; tensors, NumPy arrays and bare storages become tensors; everything
 * else becomes a metadata leaf. Depth and entry count are bounded, and cycles end in a leaf.
 */
final class TreeFlattener {
  private static final int MAX_DEPTH = 200;
  private static final long MAX_ENTRIES = 1_000_000;
  private static final int MAX_KEY_CHARS = 4096;
  private static final long MAX_TOTAL_KEY_CHARS = 64L << 20;

  private final TensorTree.Builder out;
  private final String source;
  private final Set<Object> onPath = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
  private long entries;
  private long keyChars;

  private TreeFlattener(TensorTree.Builder out, String source) {
    this.out = out;
    this.source = source;
  }

  /**
   * Flattens {@code root}; a root that is itself a leaf or tensor is stored under {@code rootKey}.
   */
  static TensorTree flatten(Object root, String source, String format, String rootKey) {
    TensorTree.Builder b = TensorTree.builder(source, format);
    TreeFlattener f = new TreeFlattener(b, source);
    long leaves = f.countLeaves(root, new IdentityHashMap<>(), 0);
    if (leaves > MAX_ENTRIES) {
      throw new TensorFileException(source, "holds " + (leaves == Long.MAX_VALUE ? "too many" : leaves)
          + " entries, more than the limit of " + MAX_ENTRIES + " entries");
    }
    f.visit("", root, rootKey, 0);
    return b.build();
  }

  private void visit(String prefix, Object value, String rootKey, int depth) {
    if (++entries > MAX_ENTRIES) {
      throw new TensorFileException(source, "more than " + MAX_ENTRIES + " entries");
    }
    if (depth > MAX_DEPTH) {
      throw new TensorFileException(source, "containers nested deeper than " + MAX_DEPTH);
    }
    String key = prefix.isEmpty() ? rootKey : prefix;
    Object v = value instanceof NumpyPickled.ArrayObject a ? a.value() : value;
    if (v instanceof Tensor t) {
      out.tensor(key, t);
    } else if (v instanceof TorchPickled.StorageRef s) {
      long n = s.storage().byteSize() / s.dtype().byteSize();
      out.tensor(key, new Tensor(s.dtype(), new long[] {n}, new long[] {1}, 0, s.storage(), s.order()));
    } else if (isContainer(v) && !onPath.contains(v)) {
      onPath.add(v);
      if (v instanceof List<?> l) {
        for (int i = 0; i < l.size(); i++) {
          visit(join(prefix, Integer.toString(i)), l.get(i), rootKey, depth + 1);
        }
      } else {
        Map<?, ?> m = v instanceof Map<?, ?> d ? d : ((PyObject) v).attributes();
        for (Map.Entry<?, ?> e : m.entrySet()) {
          visit(join(prefix, PyRepr.str(e.getKey())), e.getValue(), rootKey, depth + 1);
        }
      }
      onPath.remove(v);
    } else if (isContainer(v)) {
      out.meta(key, v instanceof List ? "[...]" : "{...}");
    } else {
      out.meta(key, v);
    }
  }

  /**
   * Counts the leaves flattening would produce, without building keys: shared containers are
   * counted once and reused, so a pickle whose sharing expands exponentially is caught quickly.
   */
  private long countLeaves(Object v, Map<Object, Long> done, int depth) {
    if (depth > MAX_DEPTH) {
      throw new TensorFileException(source, "containers nested deeper than " + MAX_DEPTH);
    }
    if (!isContainer(v) || onPath.contains(v)) {
      return 1;
    }
    Long known = done.get(v);
    if (known != null) {
      return known;
    }
    onPath.add(v);
    long n = 0;
    Iterable<?> kids = v instanceof List<?> l ? l
        : (v instanceof Map<?, ?> m ? m : ((PyObject) v).attributes()).values();
    for (Object kid : kids) {
      n += countLeaves(kid, done, depth + 1);
      if (n > MAX_ENTRIES) {
        n = Long.MAX_VALUE;
        break;
      }
    }
    onPath.remove(v);
    done.put(v, n);
    return n;
  }

  private static boolean isContainer(Object v) {
    return (v instanceof Map<?, ?> m && !m.isEmpty()) || (v instanceof List<?> l && !l.isEmpty())
        || (v instanceof PyObject p && p.className().equals("argparse.Namespace") && !p.attributes().isEmpty());
  }

  private String join(String prefix, String key) {
    String k = prefix.isEmpty() ? key : prefix + "." + key;
    keyChars += k.length();
    if (k.length() > MAX_KEY_CHARS || keyChars > MAX_TOTAL_KEY_CHARS) {
      throw new TensorFileException(source, "key " + PyRepr.clip(k, 60) + " makes the keys too long (limits: "
          + MAX_KEY_CHARS + " characters per key, " + MAX_TOTAL_KEY_CHARS + " in all)");
    }
    return k;
  }
}
