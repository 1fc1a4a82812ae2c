package io.anw.intervention;

import java.util.List;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A probe's scores on a labelled set: accuracy, macro-F1 and per-class accuracy (recall), from
 * the confusion matrix {@code confusion[true][predicted]}, and, when the probe's logits are
 * known, the mean probability the probe gives the true class, per class: a graded score that
 * still moves when accuracy is saturated (e.g. for deactivation on small test sets).
 *
 * @param classes class names, in index order
 * @param confusion counts {@code [true][predicted]}
 * @param truthProbability per class, the mean softmax probability of the true class over that
 *     class's examples (NaN for a class without examples, or when no logits were given)
 */
public record ProbeEvaluation(List<String> classes, int[][] confusion, double[] truthProbability) {
  /** Scores from true and predicted labels (class indices), without probabilities. */
  public static ProbeEvaluation of(List<String> classes, int[] truth, int[] predicted) {
    double[] none = new double[classes.size()];
    java.util.Arrays.fill(none, Double.NaN);
    return new ProbeEvaluation(classes, confusion(classes.size(), truth, predicted), none);
  }

  /**
   * Scores from true labels and the probe's logits {@code [examples][classes]}: predictions are
   * the argmax (first maximum on ties), probabilities the softmax.
   */
  public static ProbeEvaluation ofLogits(List<String> classes, int[] truth, float[][] logits) {
    int k = classes.size();
    int[] predicted = new int[truth.length];
    double[] sum = new double[k];
    int[] support = new int[k];
    for (int i = 0; i < truth.length; i++) {
      float[] z = logits[i];
      int best = 0;
      for (int c = 1; c < k; c++) {
        if (z[c] > z[best]) {
          best = c;
        }
      }
      predicted[i] = best;
      double denom = 0;
      for (int c = 0; c < k; c++) {
        denom += Math.exp(z[c] - z[best]);
      }
      sum[truth[i]] += Math.exp(z[truth[i]] - z[best]) / denom;
      support[truth[i]]++;
    }
    double[] p = new double[k];
    for (int c = 0; c < k; c++) {
      p[c] = support[c] == 0 ? Double.NaN : sum[c] / support[c];
    }
    return new ProbeEvaluation(classes, confusion(k, truth, predicted), p);
  }

  private static int[][] confusion(int k, int[] truth, int[] predicted) {
    int[][] m = new int[k][k];
    for (int i = 0; i < truth.length; i++) {
      m[truth[i]][predicted[i]]++;
    }
    return m;
  }

  /**
   * The mean probability of the true class over the examples of class {@code c}, in [0, 1];
   * NaN when the class has no examples or the evaluation was made without logits.
   */
  public double classProbability(int c) {
    return truthProbability[c];
  }

  /** Number of examples scored. */
  public int total() {
    int t = 0;
    for (int[] row : confusion) {
      for (int v : row) {
        t += v;
      }
    }
    return t;
  }

  /** Share of examples classified correctly, in [0, 1]. */
  public double accuracy() {
    int correct = 0;
    for (int c = 0; c < confusion.length; c++) {
      correct += confusion[c][c];
    }
    int t = total();
    return t == 0 ? Double.NaN : correct / (double) t;
  }

  /** Accuracy on the examples of class {@code c} (its recall); NaN when it has none. */
  public double classAccuracy(int c) {
    int support = 0;
    for (int v : confusion[c]) {
      support += v;
    }
    return support == 0 ? Double.NaN : confusion[c][c] / (double) support;
  }

  /** F1 of class {@code c} (0 when it has neither predictions nor examples correct). */
  public double f1(int c) {
    int tp = confusion[c][c];
    int fp = 0;
    int fn = 0;
    for (int k = 0; k < confusion.length; k++) {
      if (k != c) {
        fp += confusion[k][c];
        fn += confusion[c][k];
      }
    }
    return tp == 0 ? 0.0 : 2.0 * tp / (2.0 * tp + fp + fn);
  }

  /** Unweighted mean of per-class F1 over classes that have examples. */
  public double macroF1() {
    double sum = 0;
    int n = 0;
    for (int c = 0; c < confusion.length; c++) {
      if (!Double.isNaN(classAccuracy(c))) {
        sum += f1(c);
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  /**
   * Per class: {@code class, examples, accuracy, f1} and, when known, {@code probability} (the
   * mean probability of the true class).
   */
  public Table perClass() {
    StringColumn cls = StringColumn.create("class");
    IntColumn support = IntColumn.create("examples");
    DoubleColumn acc = DoubleColumn.create("accuracy");
    DoubleColumn f1 = DoubleColumn.create("f1");
    for (int c = 0; c < classes.size(); c++) {
      int s = 0;
      for (int v : confusion[c]) {
        s += v;
      }
      cls.append(classes.get(c));
      support.append(s);
      acc.append(classAccuracy(c));
      f1.append(f1(c));
    }
    Table t = Table.create("probe accuracy per class", cls, support, acc, f1);
    if (java.util.Arrays.stream(truthProbability).anyMatch(v -> !Double.isNaN(v))) {
      t.addColumns(DoubleColumn.create("probability", truthProbability));
    }
    return t;
  }

  @Override
  public String toString() {
    return "accuracy " + io.anw.report.NumberText.decimal(accuracy()) + ", macro-F1 "
        + io.anw.report.NumberText.decimal(macroF1()) + " on "
        + io.anw.report.NumberText.count(total(), "example") + "\n"
        + io.anw.report.TableText.render(perClass()).stripTrailing();
  }
}
