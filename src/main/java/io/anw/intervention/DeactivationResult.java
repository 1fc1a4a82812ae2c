package io.anw.intervention;

import io.anw.report.NumberText;
import io.anw.report.TableText;

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
 * {@code (1 + #{random accuracy ≤ targeted accuracy}) / (R + 1)}. {@code unit} names what was
 * deactivated in the text ({@code neuron}, or {@code feature} for an SAE's features).
 */
public record DeactivationResult(List<String> classes, List<Neuron> targeted,
    ProbeEvaluation baseline, ProbeEvaluation ablated, List<ProbeEvaluation> random,
    List<List<Neuron>> randomSets, long seed, String unit) {

  /** A result of deactivating neurons. */
  public DeactivationResult(List<String> classes, List<Neuron> targeted,
      ProbeEvaluation baseline, ProbeEvaluation ablated, List<ProbeEvaluation> random,
      List<List<Neuron>> randomSets, long seed) {
    this(classes, targeted, baseline, ablated, random, randomSets, seed, "neuron");
  }

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
    return zOf(ablated.accuracy(), random.stream().mapToDouble(ProbeEvaluation::accuracy)
        .toArray());
  }

  /** Empirical one-sided p-value of a drop at least as large among the random sets. */
  public double pValue() {
    long atMost = random.stream().filter(r -> r.accuracy() <= ablated.accuracy()).count();
    return (1.0 + atMost) / (random.size() + 1.0);
  }

  /** Class {@code c}'s accuracy drop with the targeted neurons deactivated. */
  public double classDrop(int c) {
    return baseline.classAccuracy(c) - ablated.classAccuracy(c);
  }

  /** Class {@code c}'s accuracy drop under each random set. */
  public double[] classRandomDrops(int c) {
    return random.stream().mapToDouble(r -> baseline.classAccuracy(c) - r.classAccuracy(c))
        .toArray();
  }

  /**
   * Empirical one-sided p-value of class {@code c}'s accuracy drop:
   * {@code (1 + #{random drop ≥ targeted drop}) / (R + 1)}.
   */
  public double classPValue(int c) {
    return empiricalP(classDrop(c), classRandomDrops(c));
  }

  /**
   * The drop of class {@code c}'s mean true-class probability (see
   * {@link ProbeEvaluation#classProbability}) with the targeted neurons deactivated: graded,
   * so it moves even where accuracy is saturated.
   */
  public double classProbabilityDrop(int c) {
    return baseline.classProbability(c) - ablated.classProbability(c);
  }

  /** Class {@code c}'s true-class probability drop under each random set. */
  public double[] classRandomProbabilityDrops(int c) {
    return random.stream()
        .mapToDouble(r -> baseline.classProbability(c) - r.classProbability(c)).toArray();
  }

  /** Empirical one-sided p-value of class {@code c}'s probability drop against the random sets. */
  public double classProbabilityPValue(int c) {
    return empiricalP(classProbabilityDrop(c), classRandomProbabilityDrops(c));
  }

  /**
   * Class {@code c}'s accuracy drop as a z-score against the random sets' drops:
   * (targeted drop − mean random drop) / sd; positive when the targeted set hurts more.
   */
  public double classZ(int c) {
    return zOf(classDrop(c), classRandomDrops(c));
  }

  /** {@link #classZ} for the drop of the true-class probability. */
  public double classProbabilityZ(int c) {
    return zOf(classProbabilityDrop(c), classRandomProbabilityDrops(c));
  }

  /** The p-value at or below which {@link #finding} calls a drop beyond random. */
  public static final double ALPHA = 0.05;

  /**
   * What deactivating the targeted set did to class {@code cls}, in plain words: its accuracy
   * and true-class probability drops against the random sets (mean ± sd, z, p), and whether
   * each is beyond random (p ≤ {@link #ALPHA}) or a null result. Lines fit 100 columns.
   */
  public String finding(String cls) {
    int c = classes.indexOf(cls);
    if (c < 0) {
      throw new io.anw.WorkbenchException("no class '" + cls + "' in this result; classes: "
          + String.join(", ", classes));
    }
    StringBuilder sb = new StringBuilder();
    sb.append("zeroing ").append(NumberText.count(targeted.size(), unit)).append(" of ")
        .append(cls).append(" (").append(NumberText.count(random.size(), "random set"))
        .append(" of the same per-layer counts as control):\n");
    double[] rAcc = classRandomDrops(c);
    sb.append("  accuracy ").append(NumberText.decimal(baseline.classAccuracy(c))).append(" -> ")
        .append(NumberText.decimal(ablated.classAccuracy(c))).append(" (drop ")
        .append(NumberText.decimal(classDrop(c))).append("); random sets drop ")
        .append(NumberText.decimal(mean(rAcc))).append(" +- ").append(NumberText.decimal(sd(rAcc)))
        .append("; z = ").append(NumberText.z(classZ(c))).append(", p = ")
        .append(NumberText.p(classPValue(c))).append("\n    -> ")
        .append(verdict(classPValue(c))).append('\n');
    double[] rProb = classRandomProbabilityDrops(c);
    sb.append("  true-class probability drop ").append(NumberText.decimal(classProbabilityDrop(c)))
        .append("; random sets ").append(NumberText.decimal(mean(rProb))).append(" +- ")
        .append(NumberText.decimal(sd(rProb))).append("; z = ")
        .append(NumberText.z(classProbabilityZ(c))).append(", p = ")
        .append(NumberText.p(classProbabilityPValue(c))).append("\n    -> ")
        .append(verdict(classProbabilityPValue(c)));
    return sb.toString();
  }

  private String verdict(double p) {
    if (targeted.isEmpty()) {
      return "nothing was zeroed";
    }
    return p <= ALPHA ? "beyond random" : "not beyond random (a null result)";
  }

  /** (value − mean of {@code random}) / their sd; NaN for a NaN value. */
  private static double zOf(double value, double[] random) {
    double sd = sd(random);
    double diff = value - mean(random);
    if (Double.isNaN(diff)) {
      return Double.NaN;
    }
    if (sd > 1e-12) {
      return diff / sd;
    }
    // All random sets scored alike: any difference is infinitely many sds away.
    return Math.abs(diff) < 1e-12 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, diff);
  }

  private static double empiricalP(double targeted, double[] random) {
    if (Double.isNaN(targeted)) {
      return Double.NaN;
    }
    long atLeast = java.util.Arrays.stream(random).filter(d -> d >= targeted - 1e-12).count();
    return (1.0 + atLeast) / (random.length + 1.0);
  }

  /**
   * Per class: baseline, targeted and random (mean, sd) accuracy, both drops and the empirical
   * p of the targeted drop ({@code p}); then the same for the mean true-class probability
   * ({@code baseline_prob}, {@code targeted_prob_drop}, {@code random_prob_drop},
   * {@code p_prob}). Sorted by the targeted accuracy drop, then the probability drop, largest
   * first (the classes that fell most).
   */
  public Table perClass() {
    StringColumn cls = StringColumn.create("class");
    DoubleColumn base = DoubleColumn.create("baseline");
    DoubleColumn targ = DoubleColumn.create("targeted");
    DoubleColumn rMean = DoubleColumn.create("random_mean");
    DoubleColumn rSd = DoubleColumn.create("random_sd");
    DoubleColumn tDrop = DoubleColumn.create("targeted_drop");
    DoubleColumn rDrop = DoubleColumn.create("random_drop");
    DoubleColumn p = DoubleColumn.create("p");
    DoubleColumn baseProb = DoubleColumn.create("baseline_prob");
    DoubleColumn tProb = DoubleColumn.create("targeted_prob_drop");
    DoubleColumn rProb = DoubleColumn.create("random_prob_drop");
    DoubleColumn pProb = DoubleColumn.create("p_prob");
    for (int c = 0; c < classes.size(); c++) {
      final int k = c;
      double[] rs = random.stream().mapToDouble(r -> r.classAccuracy(k)).toArray();
      cls.append(classes.get(c));
      base.append(baseline.classAccuracy(c));
      targ.append(ablated.classAccuracy(c));
      rMean.append(mean(rs));
      rSd.append(sd(rs));
      tDrop.append(classDrop(c));
      rDrop.append(baseline.classAccuracy(c) - mean(rs));
      p.append(classPValue(c));
      baseProb.append(baseline.classProbability(c));
      tProb.append(classProbabilityDrop(c));
      rProb.append(mean(classRandomProbabilityDrops(c)));
      pProb.append(classProbabilityPValue(c));
    }
    Table t = Table.create("deactivation per class", cls, base, targ, rMean, rSd, tDrop, rDrop, p,
        baseProb, tProb, rProb, pProb);
    return t.sortDescendingOn("targeted_drop", "targeted_prob_drop");
  }

  /** One row: neurons, R, accuracies, drops, z-score, p-value. */
  public Table summary() {
    return Table.create("deactivation of " + targeted.size() + " " + unit + "s vs " + random.size()
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
        .title(String.format("Accuracy drop per class: %d targeted " + unit + "s vs %d random sets",
            targeted.size(), random.size()))
        .xAxisTitle("class").yAxisTitle("accuracy drop (baseline − ablated)").build();
    double zero = showZeroBars(chart, names.size(),
        t.doubleColumn("targeted_drop").asDoubleArray(),
        t.doubleColumn("random_drop").asDoubleArray());
    chart.addSeries("targeted", names,
        toList(t.doubleColumn("targeted_drop").asDoubleArray(), zero));
    chart.addSeries("random", names, toList(t.doubleColumn("random_drop").asDoubleArray(), zero),
        toList(t.doubleColumn("random_sd").asDoubleArray(), 0));
    return chart;
  }

  /**
   * Per-class drop of the mean true-class probability, targeted vs random (error bars: random
   * sd): the graded view when accuracy does not move.
   */
  public CategoryChart probabilityPlot() {
    Table t = perClass();
    List<String> names = new ArrayList<>(t.stringColumn("class").asList());
    double[] sdProb = new double[names.size()];
    for (int i = 0; i < names.size(); i++) {
      sdProb[i] = sd(classRandomProbabilityDrops(classes.indexOf(names.get(i))));
    }
    CategoryChart chart = new CategoryChartBuilder().width(900).height(500)
        .title(String.format("True-class probability drop per class: %d targeted " + unit + "s vs %d"
            + " random sets", targeted.size(), random.size()))
        .xAxisTitle("class").yAxisTitle("true-class probability drop").build();
    double zero = showZeroBars(chart, names.size(),
        t.doubleColumn("targeted_prob_drop").asDoubleArray(),
        t.doubleColumn("random_prob_drop").asDoubleArray());
    chart.addSeries("targeted", names,
        toList(t.doubleColumn("targeted_prob_drop").asDoubleArray(), zero));
    chart.addSeries("random", names,
        toList(t.doubleColumn("random_prob_drop").asDoubleArray(), zero), toList(sdProb, 0));
    return chart;
  }

  /**
   * Value labels on the bars, so a drop of 0 is still seen (a bar of height 0 is not), with
   * enough decimals for the values shown (three when every value is below 0.05).
   */
  private static double showZeroBars(CategoryChart chart, int classes, double[]... values) {
    double max = 0;
    for (double[] v : values) {
      for (double x : v) {
        if (!Double.isNaN(x)) {
          max = Math.max(max, Math.abs(x));
        }
      }
    }
    String pattern = max < 0.05 ? "0.000" : "0.00";
    double shownAsZero = max < 0.05 ? 0.0005 : 0.005; // below this a label would read -0.000
    chart.getStyler().setLabelsVisible(classes <= 16);
    chart.getStyler().setLabelsFont(new java.awt.Font(java.awt.Font.SANS_SERIF,
        java.awt.Font.PLAIN, 10));
    chart.getStyler().setLabelsFontColor(java.awt.Color.DARK_GRAY);
    chart.getStyler().setLabelsPosition(1.0);
    chart.getStyler().setYAxisDecimalPattern(pattern);
    chart.getStyler().setDecimalPattern(pattern);
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
    return shownAsZero;
  }

  /** Values to plot; those whose label would read as zero are 0 (not -0.000). */
  private static List<Double> toList(double[] v, double shownAsZero) {
    List<Double> out = new ArrayList<>();
    for (double x : v) {
      out.add(Double.isNaN(x) || Math.abs(x) < Math.max(1e-9, shownAsZero) ? 0.0 : x);
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

  /**
   * What makes this result say little, one line each: an empty targeted set, a probe near
   * chance, random sets that all scored alike.
   */
  public List<String> warnings() {
    List<String> out = new java.util.ArrayList<>();
    if (targeted.isEmpty()) {
      out.add("no " + unit + "s were deactivated (an empty set): pick a class with " + unit + "s"
          + " (sel.perClass())");
    }
    double chance = 1.0 / Math.max(1, classes.size());
    if (baseline.accuracy() <= chance + 0.5 * chance) {
      out.add("the probe is near chance (accuracy " + NumberText.decimal(baseline.accuracy())
          + ", chance " + NumberText.decimal(chance) + "): a drop from it says little");
    }
    if (!targeted.isEmpty() && random.size() > 1 && randomSd() <= 1e-12) {
      out.add("all random sets scored " + NumberText.decimal(randomMean())
          + ", so z is undefined; compare the per-class probability drops");
    }
    return out;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append("Deactivation of ").append(NumberText.count(targeted.size(), unit))
        .append(": accuracy ").append(NumberText.decimal(baseline.accuracy())).append(" -> ")
        .append(NumberText.decimal(ablated.accuracy())).append(" (drop ")
        .append(NumberText.decimal(targetedDrop())).append(")\n  random ")
        .append(NumberText.count(random.size(), "set")).append(": ")
        .append(NumberText.decimal(randomMean())).append(" +- ")
        .append(NumberText.decimal(randomSd())).append("; z = ").append(NumberText.z(zScore()))
        .append(", p = ").append(NumberText.p(pValue())).append('\n');
    warnings().forEach(w -> sb.append("  warning: ").append(w).append('\n'));
    return sb.append(TableText.render(perClass())).toString().stripTrailing();
  }
}
