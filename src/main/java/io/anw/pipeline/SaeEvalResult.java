package io.anw.pipeline;

import io.anw.report.NumberText;
import io.anw.report.PlotStyle;
import io.anw.sae.SaeConfig;
import io.anw.sae.SaeMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.Table;

/**
 * The figures of {@link SaeEvaluation}: one row of {@code eval.csv} ({@code tokens, l0,
 * explained_variance, mse, dead_fraction, dense_fraction, probe_clean, probe_sae, probe_zero,
 * recovered}) and each feature's density for the histogram.
 */
public final class SaeEvalResult {
  private final SaeConfig config;
  private final String data;
  private final int clips;
  private final SaeMetrics metrics;
  private final double probeClean;
  private final double probeSae;
  private final double probeZero;

  SaeEvalResult(SaeConfig config, String data, int clips, SaeMetrics metrics, double probeClean,
      double probeSae, double probeZero) {
    this.config = config;
    this.data = data;
    this.clips = clips;
    this.metrics = metrics;
    this.probeClean = probeClean;
    this.probeSae = probeSae;
    this.probeZero = probeZero;
  }

  /** Reconstruction and sparsity figures. */
  public SaeMetrics metrics() {
    return metrics;
  }

  /** Probe accuracy with the hook left alone (NaN without train/test splits). */
  public double probeClean() {
    return probeClean;
  }

  /** Probe accuracy with the hook replaced by the SAE's reconstruction. */
  public double probeSae() {
    return probeSae;
  }

  /** Probe accuracy with the hook zeroed. */
  public double probeZero() {
    return probeZero;
  }

  /**
   * (probe_sae − probe_zero) / (probe_clean − probe_zero); NaN when zeroing the hook costs
   * nothing (the ratio is undefined).
   */
  public double recovered() {
    double gap = probeClean - probeZero;
    return Math.abs(gap) < 1e-12 ? Double.NaN : (probeSae - probeZero) / gap;
  }

  /** The one-row table written as {@code eval.csv}. */
  public Table table() {
    return Table.create("SAE evaluation",
        LongColumn.create("tokens", new long[] {metrics.tokens()}),
        DoubleColumn.create("l0", new double[] {metrics.l0()}),
        DoubleColumn.create("explained_variance", new double[] {metrics.explainedVariance()}),
        DoubleColumn.create("mse", new double[] {metrics.mse()}),
        DoubleColumn.create("dead_fraction", new double[] {metrics.deadFraction()}),
        DoubleColumn.create("dense_fraction", new double[] {metrics.denseFraction()}),
        DoubleColumn.create("probe_clean", new double[] {probeClean}),
        DoubleColumn.create("probe_sae", new double[] {probeSae}),
        DoubleColumn.create("probe_zero", new double[] {probeZero}),
        DoubleColumn.create("recovered", new double[] {recovered()}));
  }

  /**
   * Feature density histogram: features per decade of the share of tokens they fire on (log
   * axis, from the decade of 1 / tokens), dead features as their own bar.
   */
  public CategoryChart plotDensity() {
    double[] density = metrics.density();
    // no feature can fire on a share below 1 / tokens: the first bin holds that share
    int lo = (int) Math.max(-12, Math.floor(Math.log10(1.0 / Math.max(1, metrics.tokens()))));
    List<String> labels = new ArrayList<>();
    labels.add("dead");
    for (int e = lo; e < 0; e++) {
      labels.add(String.format(Locale.ROOT, "1e%d..1e%d", e, e + 1));
    }
    double[] counts = new double[labels.size()];
    for (double d : density) {
      if (!(d > 0)) {
        counts[0]++;
      } else {
        int bin = (int) Math.floor(Math.log10(d)) - lo + 1;
        counts[Math.max(1, Math.min(counts.length - 1, bin))]++;
      }
    }
    CategoryChart chart = PlotStyle.apply(new CategoryChartBuilder().width(800).height(450)
        .title("Feature density (" + config.hookName() + ", " + metrics.tokens() + " tokens)")
        .xAxisTitle("share of tokens a feature fires on (log bins)").yAxisTitle("features")
        .build());
    chart.getStyler().setLegendVisible(false);
    List<Double> ys = new ArrayList<>();
    for (double c : counts) {
      ys.add(c);
    }
    chart.addSeries("features", labels, ys);
    return chart;
  }

  /** Warnings about a degenerate result (no tokens, probes undefined, most features dead). */
  public List<String> warnings() {
    List<String> w = new ArrayList<>();
    if (metrics.tokens() == 0) {
      w.add("no token was evaluated");
    }
    if (Double.isNaN(probeClean)) {
      w.add("the data has no train and test splits: no probe figures");
    } else if (Double.isNaN(recovered())) {
      w.add("zeroing the hook does not change the probe's accuracy: recovered is undefined");
    } else if (probeClean < probeZero) {
      w.add("zeroing the hook does not lower the probe's accuracy (clean "
          + NumberText.fixed(probeClean, 3) + ", zeroed " + NumberText.fixed(probeZero, 3)
          + "): recovered does not measure what the reconstruction keeps");
    }
    if (metrics.deadFraction() > 0.5) {
      w.add(String.format(Locale.ROOT, "%.0f%% of the features never fire on these tokens",
          100 * metrics.deadFraction()));
    }
    return w;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
        "SAE %s on %s (d_sae %d), %s of %s:%n", config.architecture().saeLensName(),
        config.hookName(), config.dSae(), NumberText.count(metrics.tokens(), "token"), data));
    sb.append(String.format(Locale.ROOT, "  L0 %s  explained variance %s  MSE %s  dead %s"
        + "  dense %s%n", NumberText.fixed(metrics.l0(), 1),
        NumberText.fixed(metrics.explainedVariance(), 3), NumberText.decimal(metrics.mse()),
        NumberText.fixed(metrics.deadFraction(), 3), NumberText.fixed(metrics.denseFraction(),
            3)));
    if (!Double.isNaN(probeClean)) {
      sb.append(String.format(Locale.ROOT, "  probe accuracy: clean %s, SAE reconstruction %s,"
          + " hook zeroed %s; recovered %s%n", NumberText.fixed(probeClean, 3),
          NumberText.fixed(probeSae, 3), NumberText.fixed(probeZero, 3),
          Double.isNaN(recovered()) ? "undefined" : NumberText.fixed(recovered(), 3)));
    }
    warnings().forEach(w -> sb.append("  warning: ").append(w).append('\n'));
    return sb.toString().stripTrailing();
  }
}
