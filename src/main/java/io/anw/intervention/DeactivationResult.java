package io.anw.intervention;

import io.anw.neuron.Neuron;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The outcome of a {@link Deactivation} experiment: probe accuracy (overall and per class) at
 * baseline, with the targeted neurons deactivated, and with each random control set; the
 * targeted drop, its z-score against the random drops and an empirical one-sided p-value
 * {@code (1 + #{random accuracy ≤ targeted accuracy}) / (R + 1)}.
 */
public record DeactivationResult(List<String> classes, List<Neuron> targeted,
    ProbeEvaluation baseline, ProbeEvaluation ablated, List<ProbeEvaluation> random,
    List<List<Neuron>> randomSets, long seed) {

  /** Accuracy drop (baseline − targeted), in accuracy points (fractions). */
  public double targetedDrop() {
    return baseline.accuracy() - ablated.accuracy();
  }

  /** Mean accuracy over the random sets. */
  public double randomMean() {
    return mean(random.stream().mapToDouble(ProbeEvaluation::accuracy).toArray());
  }

  /** Sample standard deviation (n − 1) of accuracy over the random sets. */
  public double randomSd() {
    return sd(random.stream().mapToDouble(ProbeEvaluation::accuracy).toArray());
  }

  /** (targeted − random mean) / random sd: negative when the targeted set hurts more. */
  public double zScore() {
    double sd = randomSd();
    double diff = ablated.accuracy() - randomMean();
    if (sd > 1e-12) {
      return diff / sd;
    }
    // All random sets scored alike: any difference is infinitely many sds away.
    return Math.abs(diff) < 1e-12 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, diff);
  }

  /** Empirical one-sided p-value of a drop at least as large among the random sets. */
  public double pValue() {
    long atMost = random.stream().filter(r -> r.accuracy() <= ablated.accuracy()).count();
    return (1.0 + atMost) / (random.size() + 1.0);
  }

  /**
   * Per class: baseline, targeted and random (mean, sd) accuracy and both drops, sorted by the
   * targeted drop, largest first (the classes that fell most).
   */
  public Table perClass() {
    StringColumn cls = StringColumn.create("class");
    DoubleColumn base = DoubleColumn.create("baseline");
    DoubleColumn targ = DoubleColumn.create("targeted");
    DoubleColumn rMean = DoubleColumn.create("random_mean");
    DoubleColumn rSd = DoubleColumn.create("random_sd");
    DoubleColumn tDrop = DoubleColumn.create("targeted_drop");
    DoubleColumn rDrop = DoubleColumn.create("random_drop");
    for (int c = 0; c < classes.size(); c++) {
      final int k = c;
      double[] rs = random.stream().mapToDouble(r -> r.classAccuracy(k)).toArray();
      cls.append(classes.get(c));
      base.append(baseline.classAccuracy(c));
      targ.append(ablated.classAccuracy(c));
      rMean.append(mean(rs));
      rSd.append(sd(rs));
      tDrop.append(baseline.classAccuracy(c) - ablated.classAccuracy(c));
      rDrop.append(baseline.classAccuracy(c) - mean(rs));
    }
    Table t = Table.create("deactivation per class", cls, base, targ, rMean, rSd, tDrop, rDrop);
    return t.sortDescendingOn("targeted_drop");
  }

  /** One row: neurons, R, accuracies, drops, z-score, p-value. */
  public Table summary() {
    return Table.create("deactivation of " + targeted.size() + " neurons vs " + random.size()
            + " random sets",
        DoubleColumn.create("neurons", new double[] {targeted.size()}),
        DoubleColumn.create("random_sets", new double[] {random.size()}),
        DoubleColumn.create("baseline", new double[] {baseline.accuracy()}),
        DoubleColumn.create("targeted", new double[] {ablated.accuracy()}),
        DoubleColumn.create("random_mean", new double[] {randomMean()}),
        DoubleColumn.create("random_sd", new double[] {randomSd()}),
        DoubleColumn.create("targeted_drop", new double[] {targetedDrop()}),
        DoubleColumn.create("random_drop", new double[] {baseline.accuracy() - randomMean()}),
        DoubleColumn.create("z", new double[] {zScore()}),
        DoubleColumn.create("p", new double[] {pValue()}));
  }

  /** Per-class accuracy drop, targeted vs random (error bars: random sd). */
  public CategoryChart plot() {
    Table t = perClass();
    List<String> names = new ArrayList<>(t.stringColumn("class").asList());
    CategoryChart chart = new CategoryChartBuilder().width(900).height(500)
        .title(String.format("Accuracy drop per class: %d targeted neurons vs %d random sets",
            targeted.size(), random.size()))
        .xAxisTitle("class").yAxisTitle("accuracy drop").build();
    chart.getStyler().setXAxisLabelRotation(names.size() > 6 ? 45 : 0);
    chart.addSeries("targeted", names, toList(t.doubleColumn("targeted_drop").asDoubleArray()));
    chart.addSeries("random", names, toList(t.doubleColumn("random_drop").asDoubleArray()),
        toList(t.doubleColumn("random_sd").asDoubleArray()));
    return chart;
  }

  private static List<Double> toList(double[] v) {
    List<Double> out = new ArrayList<>();
    for (double x : v) {
      out.add(Double.isNaN(x) ? 0.0 : x);
    }
    return out;
  }

  private static double mean(double[] v) {
    double s = 0;
    int n = 0;
    for (double x : v) {
      if (!Double.isNaN(x)) {
        s += x;
        n++;
      }
    }
    return n == 0 ? Double.NaN : s / n;
  }

  private static double sd(double[] v) {
    double m = mean(v);
    double s = 0;
    int n = 0;
    for (double x : v) {
      if (!Double.isNaN(x)) {
        s += (x - m) * (x - m);
        n++;
      }
    }
    return n < 2 ? Double.NaN : Math.sqrt(s / (n - 1));
  }

  @Override
  public String toString() {
    return String.format("Deactivation of %d neurons: accuracy %.4f -> %.4f (drop %.4f); "
            + "random %d sets %.4f +- %.4f; z = %.2f, p = %.3f%n%s",
        targeted.size(), baseline.accuracy(), ablated.accuracy(), targetedDrop(), random.size(),
        randomMean(), randomSd(), zScore(), pValue(), perClass());
  }
}
