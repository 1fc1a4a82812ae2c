package io.anw.tensor;

import io.anw.WorkbenchException;
import java.math.BigInteger;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The contents of a tensor file: named tensors plus non-tensor leaves (metadata), both keyed by
 * flattened dotted paths in file order, e.g. {@code model.blocks.0.mlp.fc1.weight},
 * {@code args.lr}, {@code 1.4} (list indices are numbers).
 *
 * <p>Metadata values are null (Python None), Boolean, Long, BigInteger, Double, String or
 * {@link TextArray}; other Python values (sets, bytes, empty containers, ...) are kept as their
 * Python text. Tensor values stay in the file (memory-mapped) until asked for.
 */
public final class TensorTree {
  private static final int SUMMARY_KEYS = 8;

  private final String source;
  private final String format;
  private final Map<String, Tensor> tensors;
  private final Map<String, Object> metadata;

  private TensorTree(String source, String format, Map<String, Tensor> tensors, Map<String, Object> metadata) {
    this.source = source;
    this.format = format;
    this.tensors = Collections.unmodifiableMap(tensors);
    this.metadata = Collections.unmodifiableMap(metadata);
  }

  /** Starts a tree read from (or written to) {@code source} in {@code format}. */
  public static Builder builder(String source, String format) {
    return new Builder(source, format);
  }

  /** File name the tree came from (or a label for trees built in memory). */
  public String source() {
    return source;
  }

  /** Format it was read from: {@code safetensors}, {@code pytorch-zip}, {@code pytorch-legacy}, ... */
  public String format() {
    return format;
  }

  /** Tensors by key, in file order (unmodifiable). */
  public Map<String, Tensor> tensors() {
    return tensors;
  }

  /** Non-tensor leaves by key, in file order (unmodifiable). */
  public Map<String, Object> metadata() {
    return metadata;
  }

  /** The tensor at {@code key}; a {@link WorkbenchException} naming close keys if absent. */
  public Tensor tensor(String key) {
    Tensor t = tensors.get(key);
    if (t == null) {
      String near = tensors.keySet().stream().filter(k -> k.contains(key) || key.contains(k)).limit(5)
          .collect(Collectors.joining(", "));
      throw new WorkbenchException(source + ": no tensor '" + key + "'"
          + (near.isEmpty() ? " (" + tensors.size() + " tensors; see inspect)" : "; similar: " + near));
    }
    return t;
  }

  /** The metadata value at {@code key} (null if absent or None). */
  public Object meta(String key) {
    return metadata.get(key);
  }

  /** The tensors and metadata under {@code prefix + "."}, with that prefix removed from the keys. */
  public TensorTree subtree(String prefix) {
    String p = prefix.endsWith(".") ? prefix : prefix + ".";
    Builder b = new Builder(source + ":" + prefix, format);
    tensors.forEach((k, v) -> {
      if (k.startsWith(p)) {
        b.tensor(k.substring(p.length()), v);
      }
    });
    metadata.forEach((k, v) -> {
      if (k.startsWith(p)) {
        b.meta(k.substring(p.length()), v);
      }
    });
    return b.build();
  }

  /** Total number of tensor elements (parameters). */
  public long totalElements() {
    return tensors.values().stream().mapToLong(Tensor::numel).sum();
  }

  /** Total bytes of tensor values when packed. */
  public long totalBytes() {
    return tensors.values().stream().mapToLong(Tensor::byteSize).sum();
  }

  /** The metadata as Python-style text ({@code True}, {@code None}, {@code 0.0003}), as stored in safetensors. */
  public Map<String, String> metadataText() {
    Map<String, String> out = new LinkedHashMap<>();
    metadata.forEach((k, v) -> out.put(k, PyRepr.str(v)));
    return out;
  }

  /**
   * A compact summary: source, format, tensor count, values and bytes, the first keys with dtype
   * and shape, and the first metadata entries.
   */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    s.append(source).append(" (").append(format).append("): ").append(tensors.size()).append(" tensors, ")
        .append(String.format("%,d", totalElements())).append(" values, ").append(humanBytes(totalBytes()));
    int n = 0;
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      if (n++ == SUMMARY_KEYS) {
        s.append("\n  ... ").append(tensors.size() - SUMMARY_KEYS).append(" more");
        break;
      }
      s.append("\n  ").append(e.getKey()).append("  ").append(e.getValue());
    }
    if (!metadata.isEmpty()) {
      s.append("\n  metadata (").append(metadata.size()).append("): ");
      s.append(metadata.entrySet().stream().limit(SUMMARY_KEYS)
          .map(e -> e.getKey() + "=" + PyRepr.clip(PyRepr.str(e.getValue()), 40))
          .collect(Collectors.joining(", ")));
      if (metadata.size() > SUMMARY_KEYS) {
        s.append(", ...");
      }
    }
    return s.toString();
  }

  /** {@code 343.2 MB}-style size. */
  static String humanBytes(long bytes) {
    if (bytes < 1000) {
      return bytes + " B";
    }
    String[] units = {"kB", "MB", "GB", "TB"};
    double v = bytes;
    int u = -1;
    while (v >= 1000 && u < units.length - 1) {
      v /= 1000;
      u++;
    }
    return String.format("%.1f %s", v, units[u]);
  }

  /** Collects entries in order; a key used twice gets a {@code #2}, {@code #3}... suffix. */
  public static final class Builder {
    private final String source;
    private final String format;
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();
    private final Map<String, Object> metadata = new LinkedHashMap<>();
    private final Map<String, Integer> lastSuffix = new java.util.HashMap<>();

    private Builder(String source, String format) {
      this.source = source;
      this.format = format;
    }

    /** Adds a tensor. */
    public Builder tensor(String key, Tensor t) {
      tensors.put(unique(key), t);
      return this;
    }

    /**
     * Adds a metadata leaf; values other than null, Boolean, Long, BigInteger, Double, String and
     * {@link TextArray} are stored as their Python text (Integer and Float are widened).
     */
    public Builder meta(String key, Object value) {
      metadata.put(unique(key), normalise(value));
      return this;
    }

    private static Object normalise(Object v) {
      if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
        return ((Number) v).longValue();
      }
      if (v instanceof Float f) {
        return f.doubleValue();
      }
      if (v == null || v instanceof Boolean || v instanceof Long || v instanceof BigInteger || v instanceof Double
          || v instanceof String || v instanceof TextArray) {
        return v;
      }
      return PyRepr.repr(v);
    }

    private boolean taken(String key) {
      return tensors.containsKey(key) || metadata.containsKey(key);
    }

    /** {@code key}, or {@code key#n} with the next free n (remembered, so many repeats stay linear). */
    private String unique(String key) {
      if (!taken(key)) {
        return key;
      }
      int i = lastSuffix.getOrDefault(key, 1);
      String k;
      do {
        k = key + "#" + ++i;
      } while (taken(k));
      lastSuffix.put(key, i);
      return k;
    }

    /** The tree. */
    public TensorTree build() {
      return new TensorTree(source, format, new LinkedHashMap<>(tensors), new LinkedHashMap<>(metadata));
    }
  }
}
