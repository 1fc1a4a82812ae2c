package io.anw.sae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.anw.report.NumberText;

/**
 * How well an SAE reconstructs a hook's activations, accumulated over any number of batches
 * (memory O(d_in + d_sae)): tokens seen, L0 (mean number of active features per token), MSE
 * (mean squared error per element), explained variance 1 − Σ‖x − x̂‖² / Σ‖x − x̄‖² (x̄ the mean
 * of all tokens seen), and each feature's density (share of tokens where it is active), from
 * which the dead (never active) and dense (active on more than 10 % of tokens) fractions follow.
 * Sums are kept in double precision.
 */
public final class SaeMetrics {
  /** Density above which a feature counts as dense. */
  public static final double DENSE = 0.10;

  private final SparseAutoencoder sae;
  private final double[] sum;
  private final double[] sumSquares;
  private final long[] active;
  private double squaredError;
  private double activeTotal;
  private long tokens;

  /** Empty metrics for {@code sae}. */
  public SaeMetrics(SparseAutoencoder sae) {
    this.sae = sae;
    this.sum = new double[sae.dIn()];
    this.sumSquares = new double[sae.dIn()];
    this.active = new long[sae.dSae()];
  }

  /** Adds the tokens of {@code x [..., d_in]}: the hook's activations, as the SAE reads them. */
  public void add(NDArray x) {
    sae.requireInput(x);
    try (NDArray flat = x.reshape(-1, sae.dIn()).toType(DataType.FLOAT32, false);
        NDArray f = sae.encode(flat); NDArray recon = sae.decode(f)) {
      long n = flat.getShape().get(0);
      try (NDArray err = flat.sub(recon); NDArray on = f.gt(0f)) {
        squaredError += err.toType(DataType.FLOAT64, false).square().sum().getDouble();
        long[] perFeature = on.toType(DataType.INT64, false).sum(new int[] {0}).toLongArray();
        for (int j = 0; j < perFeature.length; j++) {
          active[j] += perFeature[j];
          activeTotal += perFeature[j];
        }
      }
      try (NDArray wide = flat.toType(DataType.FLOAT64, false)) {
        double[] s = wide.sum(new int[] {0}).toDoubleArray();
        double[] s2 = wide.square().sum(new int[] {0}).toDoubleArray();
        for (int d = 0; d < s.length; d++) {
          sum[d] += s[d];
          sumSquares[d] += s2[d];
        }
      }
      tokens += n;
    }
  }

  /** Tokens added. */
  public long tokens() {
    return tokens;
  }

  /** Mean number of active features per token. */
  public double l0() {
    return tokens == 0 ? Double.NaN : activeTotal / tokens;
  }

  /** Mean squared reconstruction error per element. */
  public double mse() {
    return tokens == 0 ? Double.NaN : squaredError / ((double) tokens * sae.dIn());
  }

  /** 1 − Σ‖x − x̂‖² / Σ‖x − x̄‖² over the tokens added. */
  public double explainedVariance() {
    if (tokens == 0) {
      return Double.NaN;
    }
    double total = 0;
    for (int d = 0; d < sum.length; d++) {
      total += sumSquares[d] - sum[d] * sum[d] / tokens;
    }
    return total <= 0 ? Double.NaN : 1 - squaredError / total;
  }

  /** Each feature's share of tokens where it is active, {@code [d_sae]}. */
  public double[] density() {
    double[] out = new double[active.length];
    for (int j = 0; j < out.length; j++) {
      out[j] = tokens == 0 ? Double.NaN : active[j] / (double) tokens;
    }
    return out;
  }

  /** Share of features never active on the tokens added. */
  public double deadFraction() {
    long dead = 0;
    for (long a : active) {
      dead += a == 0 ? 1 : 0;
    }
    return dead / (double) active.length;
  }

  /** Share of features active on more than {@link #DENSE} of the tokens. */
  public double denseFraction() {
    long dense = 0;
    for (long a : active) {
      dense += tokens > 0 && a > DENSE * tokens ? 1 : 0;
    }
    return dense / (double) active.length;
  }

  @Override
  public String toString() {
    return "SaeMetrics[" + NumberText.count(tokens, "token") + ": L0 "
        + NumberText.decimal(l0()) + ", explained variance " + NumberText.decimal(
        explainedVariance()) + ", MSE " + NumberText.decimal(mse()) + ", dead "
        + NumberText.decimal(deadFraction()) + ", dense " + NumberText.decimal(denseFraction())
        + "]";
  }
}
