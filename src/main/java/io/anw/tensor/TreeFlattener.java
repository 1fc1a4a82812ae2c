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
  private static final long MAX_ENTRIES = 10_000_000;

  private final TensorTree.Builder out;
  private final String source;
  private final Set<Object> onPath = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
  private long entries;

  private TreeFlattener(TensorTree.Builder out, String source) {
    this.out = out;
    this.source = source;
  }

  /**
   * Flattens {@code root}; a root that is itself a leaf or tensor is stored under {@code rootKey}.
   */
  static TensorTree flatten(Object root, String source, String format, String rootKey) {
    TensorTree.Builder b = TensorTree.builder(source, format);
    new TreeFlattener(b, source).visit("", root, rootKey, 0);
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
      children(v).forEach((k, child) -> visit(join(prefix, k), child, rootKey, depth + 1));
      onPath.remove(v);
    } else if (isContainer(v)) {
      out.meta(key, v instanceof List ? "[...]" : "{...}");
    } else {
      out.meta(key, v);
    }
  }

  private static boolean isContainer(Object v) {
    return (v instanceof Map<?, ?> m && !m.isEmpty()) || (v instanceof List<?> l && !l.isEmpty())
        || (v instanceof PyObject p && p.className().equals("argparse.Namespace") && !p.attributes().isEmpty());
  }

  private static Map<Object, Object> children(Object v) {
    Map<Object, Object> kids = new java.util.LinkedHashMap<>();
    if (v instanceof Map<?, ?> m) {
      m.forEach(kids::put);
    } else if (v instanceof List<?> l) {
      for (int i = 0; i < l.size(); i++) {
        kids.put((long) i, l.get(i));
      }
    } else {
      kids.putAll(((PyObject) v).attributes());
    }
    return kids;
  }

  private static String join(String prefix, Object key) {
    String k = PyRepr.str(key);
    return prefix.isEmpty() ? k : prefix + "." + k;
  }
}
