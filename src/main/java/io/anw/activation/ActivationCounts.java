package io.anw.activation;

import io.anw.WorkbenchException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How often each neuron fired, per class: {@code overZero[l, j, c]} = tokens of class c where
 * neuron j of layer l was > 0, and {@code n[c]} = tokens of class c counted (every token, CLS
 * included, every chunk). Memory is O(layers · neurons · classes), whatever the data size.
 *
 * <p>Immutable; {@link #plus} sums two shards of the same model, hook and classes.
 */
public final class ActivationCounts {
  private final int layers;
  private final int neurons;
  private final List<String> classes;
  private final long[] overZero; // [layers][neurons][classes], row-major
  private final long[] n; // [classes]
  private final String hook;
  private final Map<String, String> provenance;

  /**
   * Counts from flat arrays.
   *
   * @param overZero row-major {@code [layers, neurons, classes]} firing counts
   * @param n tokens counted per class
   * @param hook the hook point family counted, e.g. {@code blocks.*.mlp.hook_post}
   * @param provenance model hash, data hash, versions (kept in insertion order)
   */
  public ActivationCounts(int layers, int neurons, List<String> classes, long[] overZero, long[] n,
      String hook, Map<String, String> provenance) {
    int c = classes.size();
    if (layers <= 0 || neurons <= 0 || c <= 0) {
      throw new WorkbenchException("counts need at least one layer, neuron and class (got "
          + layers + " x " + neurons + " x " + c + ")");
    }
    if (overZero.length != (long) layers * neurons * c) {
      throw new WorkbenchException("over_zero has " + overZero.length + " values, expected "
          + layers + " x " + neurons + " x " + c);
    }
    if (n.length != c) {
      throw new WorkbenchException("n has " + n.length + " values for " + c + " classes");
    }
    for (int k = 0; k < c; k++) {
      if (n[k] < 0) {
        throw new WorkbenchException("n[" + classes.get(k) + "] is negative: " + n[k]);
      }
    }
    for (int i = 0; i < overZero.length; i++) {
      long v = overZero[i];
      if (v < 0 || v > n[i % c]) {
        throw new WorkbenchException("over_zero[" + (i / c / neurons) + ", " + (i / c % neurons)
            + ", " + classes.get(i % c) + "] = " + v + " is outside [0, n = " + n[i % c] + "]");
      }
    }
    this.layers = layers;
    this.neurons = neurons;
    this.classes = List.copyOf(classes);
    this.overZero = overZero.clone();
    this.n = n.clone();
    this.hook = hook == null ? "blocks.*.mlp.hook_post" : hook;
    this.provenance = Map.copyOf(new LinkedHashMap<>(provenance == null ? Map.of() : provenance));
  }

  /** Counts from nested {@code [layer][neuron][class]} arrays. */
  public static ActivationCounts of(long[][][] overZero, long[] n, List<String> classes) {
    int layers = overZero.length;
    int neurons = layers == 0 ? 0 : overZero[0].length;
    long[] flat = new long[layers * neurons * classes.size()];
    int i = 0;
    for (long[][] layer : overZero) {
      if (layer.length != neurons) {
        throw new WorkbenchException("over_zero layers differ in neuron count");
      }
      for (long[] neuron : layer) {
        if (neuron.length != classes.size()) {
          throw new WorkbenchException("over_zero has " + neuron.length + " classes, expected "
              + classes.size());
        }
        System.arraycopy(neuron, 0, flat, i, neuron.length);
        i += neuron.length;
      }
    }
    return new ActivationCounts(layers, neurons, classes, flat, n, null, Map.of());
  }

  /** Number of layers L. */
  public int layers() {
    return layers;
  }

  /** Neurons per layer J (the MLP width). */
  public int neurons() {
    return neurons;
  }

  /** Class names, in the order of the class axis. */
  public List<String> classes() {
    return classes;
  }

  /** The hook point family counted, e.g. {@code blocks.*.mlp.hook_post}. */
  public String hook() {
    return hook;
  }

  /**
   * The tokens counted in every chunk ({@code all}, {@code cls}, {@code audio} or {@code text};
   * from the provenance, {@code all} when it does not say).
   */
  public io.anw.model.TokenGroup tokens() {
    return io.anw.model.TokenGroup.parse(provenance.getOrDefault("tokens", "all"));
  }

  /** Provenance: model file hash, data list hash, workbench version, ... */
  public Map<String, String> provenance() {
    return provenance;
  }

  /** Tokens of class {@code c} where neuron {@code j} of layer {@code l} was > 0. */
  public long overZero(int l, int j, int c) {
    return overZero[(l * neurons + j) * classes.size() + c];
  }

  /** A copy of the flat row-major {@code [layers, neurons, classes]} firing counts. */
  public long[] overZeroFlat() {
    return overZero.clone();
  }

  /** Tokens counted for class {@code c}. */
  public long n(int c) {
    return n[c];
  }

  /** A copy of the tokens counted per class. */
  public long[] nPerClass() {
    return n.clone();
  }

  /**
   * Activation probabilities {@code P[l, j, c] = overZero / n[c]} (0 for a class with n = 0),
   * flat row-major {@code [layers, neurons, classes]}.
   */
  public double[] probabilities() {
    int c = classes.size();
    double[] p = new double[overZero.length];
    for (int i = 0; i < p.length; i++) {
      long denom = n[i % c];
      p[i] = denom == 0 ? 0.0 : (double) overZero[i] / denom;
    }
    return p;
  }

  /**
   * The sum of two count sets of the same shape, classes and hook (shards of one run).
   * Provenance keeps this set's entries; counts of another run (model weights, front end,
   * tokens or dataset, see {@link CountsProvenance#IDENTITY}) are an error. Shards are merged
   * with {@link CountsMerge}, which also refuses repeated shards.
   */
  public ActivationCounts plus(ActivationCounts other) {
    if (layers != other.layers || neurons != other.neurons) {
      throw new WorkbenchException("cannot merge counts of shape " + shape() + " with "
          + other.shape());
    }
    if (!classes.equals(other.classes)) {
      throw new WorkbenchException("cannot merge counts with different classes: " + classes
          + " vs " + other.classes);
    }
    if (!hook.equals(other.hook)) {
      throw new WorkbenchException("cannot merge counts of hook " + hook + " with " + other.hook);
    }
    if (tokens() != other.tokens()) {
      throw new WorkbenchException("cannot merge counts of " + tokens() + " tokens with counts of "
          + other.tokens() + " tokens");
    }
    CountsProvenance.requireSameRun(provenance, other.provenance, "the two count sets");
    long[] oz = overZero.clone();
    for (int i = 0; i < oz.length; i++) {
      oz[i] += other.overZero[i];
    }
    long[] nn = n.clone();
    for (int i = 0; i < nn.length; i++) {
      nn[i] += other.n[i];
    }
    return new ActivationCounts(layers, neurons, classes, oz, nn, hook, provenance);
  }

  private String shape() {
    return layers + " x " + neurons + " x " + classes.size();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ActivationCounts a && layers == a.layers && neurons == a.neurons
        && classes.equals(a.classes) && hook.equals(a.hook) && Arrays.equals(overZero, a.overZero)
        && Arrays.equals(n, a.n);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(overZero) * 31 + Arrays.hashCode(n);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("ActivationCounts ").append(hook)
        .append(tokens() == io.anw.model.TokenGroup.ALL ? "" : " (" + tokens() + " tokens)")
        .append(": ")
        .append(layers).append(" layers x ").append(neurons).append(" neurons x ")
        .append(io.anw.report.NumberText.count(classes.size(), "class")).append('\n');
    StringBuilder perClass = new StringBuilder("tokens per class:");
    for (int c = 0; c < classes.size(); c++) {
      perClass.append(' ').append(classes.get(c)).append('=').append(n[c]);
    }
    return sb.append("  ").append(org.apache.commons.text.WordUtils.wrap(perClass.toString(),
        100, "\n    ", false)).toString();
  }
}
