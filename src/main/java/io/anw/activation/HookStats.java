package io.anw.activation;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import io.anw.WorkbenchException;
import io.anw.tensor.Tensor;
import io.anw.tensor.TensorFiles;
import io.anw.tensor.TensorTree;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Statistics of the activations at one hook point over a dataset, as sums so that passes over
 * parts of the data (shards, Spark partitions) add up: the tokens read, per dimension the sum
 * and the sum of squares, and the sum of the tokens' L2 norms. An SAE's trainer takes its input
 * scale (mean norm → sqrt(d_in)) and its decoder bias (the mean) from them. Sums are float64.
 *
 * <p>File ({@code STATS.npz}, readable with {@code numpy.load}): {@code tokens} int64 scalar,
 * {@code sum} and {@code sum_sq} float64 {@code [d]}, {@code sum_norm} float64 scalar, the
 * derived {@code mean} {@code [d]} and {@code mean_norm}, {@code hook} and {@code provenance}
 * (JSON) as strings.
 */
public final class HookStats {
  private static final Gson GSON = new Gson();

  private final String hook;
  private final long tokens;
  private final double[] sum;
  private final double[] sumSq;
  private final double sumNorm;
  private final Map<String, String> provenance;

  /**
   * Statistics of {@code tokens} rows of width {@code sum.length} at {@code hook}.
   *
   * @throws IllegalArgumentException when the per-dimension sums differ in width
   */
  public HookStats(String hook, long tokens, double[] sum, double[] sumSq, double sumNorm,
      Map<String, String> provenance) {
    if (sum.length != sumSq.length) {
      throw new IllegalArgumentException("sum and sum_sq differ in width");
    }
    this.hook = hook;
    this.tokens = tokens;
    this.sum = sum.clone();
    this.sumSq = sumSq.clone();
    this.sumNorm = sumNorm;
    this.provenance = Map.copyOf(new LinkedHashMap<>(provenance));
  }

  /** The hook point, e.g. {@code blocks.5.hook_resid_post}. */
  public String hook() {
    return hook;
  }

  /** Width of the activations (d_in). */
  public int width() {
    return sum.length;
  }

  /** Tokens (rows) read. */
  public long tokens() {
    return tokens;
  }

  /** Per-dimension sums {@code [d]}. */
  public double[] sum() {
    return sum.clone();
  }

  /** Per-dimension sums of squares {@code [d]}. */
  public double[] sumSquares() {
    return sumSq.clone();
  }

  /** Sum of the tokens' L2 norms. */
  public double sumNorm() {
    return sumNorm;
  }

  /** Provenance (model, weights hash, data, hook, tokens, version, ...). */
  public Map<String, String> provenance() {
    return provenance;
  }

  /** The mean activation {@code [d]}. */
  public double[] mean() {
    double[] m = new double[sum.length];
    for (int i = 0; i < m.length; i++) {
      m[i] = tokens == 0 ? 0 : sum[i] / tokens;
    }
    return m;
  }

  /** The mean L2 norm of a token's activation vector. */
  public double meanNorm() {
    return tokens == 0 ? 0 : sumNorm / tokens;
  }

  /** Per-dimension standard deviation {@code [d]} (population). */
  public double[] std() {
    double[] mean = mean();
    double[] s = new double[sum.length];
    for (int i = 0; i < s.length; i++) {
      s[i] = tokens == 0 ? 0 : Math.sqrt(Math.max(0, sumSq[i] / tokens - mean[i] * mean[i]));
    }
    return s;
  }

  /** These sums plus {@code other}'s (same hook and width), with this provenance. */
  public HookStats plus(HookStats other) {
    if (!hook.equals(other.hook) || width() != other.width()) {
      throw new WorkbenchException("statistics of " + other.hook + " [" + other.width()
          + "] cannot be added to those of " + hook + " [" + width() + "]");
    }
    double[] s = sum.clone();
    double[] q = sumSq.clone();
    for (int i = 0; i < s.length; i++) {
      s[i] += other.sum[i];
      q[i] += other.sumSq[i];
    }
    return new HookStats(hook, tokens + other.tokens, s, q, sumNorm + other.sumNorm, provenance);
  }

  /** These statistics with other provenance. */
  public HookStats withProvenance(Map<String, String> p) {
    return new HookStats(hook, tokens, sum, sumSq, sumNorm, p);
  }

  /** Writes {@code STATS.npz} (atomically). */
  public Path write(Path file) {
    int d = width();
    TensorTree tree = TensorTree.builder(file.toString(), "npz")
        .tensor("tokens", Tensor.ofLongs(new long[] {tokens}))
        .tensor("sum", Tensor.ofDoubles(sum, d))
        .tensor("sum_sq", Tensor.ofDoubles(sumSq, d))
        .tensor("sum_norm", Tensor.ofDoubles(new double[] {sumNorm}))
        .tensor("mean", Tensor.ofDoubles(mean(), d))
        .tensor("mean_norm", Tensor.ofDoubles(new double[] {meanNorm()}))
        .meta("hook", hook)
        .meta("provenance", GSON.toJson(provenance))
        .build();
    TensorFiles.write(file, tree);
    return file;
  }

  /**
   * Reads {@code STATS.npz}.
   *
   * @throws WorkbenchException naming the file when it is not a statistics file
   */
  public static HookStats read(Path file) {
    TensorTree tree = TensorFiles.read(file);
    for (String key : new String[] {"tokens", "sum", "sum_sq", "sum_norm"}) {
      if (!tree.tensors().containsKey(key)) {
        throw new WorkbenchException(file + ": not a hook statistics file (no '" + key + "')");
      }
    }
    Map<String, String> meta = tree.metadataText();
    Map<String, String> prov = meta.containsKey("provenance")
        ? GSON.fromJson(meta.get("provenance"), new TypeToken<Map<String, String>>() { }
            .getType()) : Map.of();
    return new HookStats(meta.getOrDefault("hook", ""),
        tree.tensors().get("tokens").toLongArray()[0],
        tree.tensors().get("sum").toDoubleArray(), tree.tensors().get("sum_sq").toDoubleArray(),
        tree.tensors().get("sum_norm").toDoubleArray()[0], prov);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "HookStats %s: %,d tokens x %d, mean norm %.4g", hook,
        tokens, width(), meanNorm());
  }
}
