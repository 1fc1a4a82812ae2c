package io.anw.train;

import io.anw.AtomicFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * What one training run did: its settings, wall time, the loss of every step, the SHA-256 of
 * the training audio, and recipe notes.
 *
 * @param name model name
 * @param recipe {@code supervised} or {@code m2d}
 * @param settings optimisation settings
 * @param wallSeconds wall-clock seconds of the steps
 * @param losses loss per step
 * @param dataHash SHA-256 of the training audio files, in order
 * @param clips training clips
 * @param parameters trained scalars of the encoder
 * @param notes recipe details, one line each
 */
public record TrainingRun(String name, String recipe, Trainers.Settings settings,
    double wallSeconds, float[] losses, String dataHash, int clips, long parameters,
    List<String> notes) {

  /** Mean loss of the last 5% of steps (at least one). */
  public double finalLoss() {
    int n = Math.max(1, losses.length / 20);
    double sum = 0;
    for (int i = losses.length - n; i < losses.length; i++) {
      sum += losses[i];
    }
    return sum / n;
  }

  /** Mean loss of the first 5% of steps (at least one). */
  public double initialLoss() {
    int n = Math.max(1, losses.length / 20);
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += losses[i];
    }
    return sum / n;
  }

  /** The report ({@link #report()}). */
  @Override
  public String toString() {
    return report();
  }

  /** The report as text lines. */
  public String report() {
    StringBuilder b = new StringBuilder();
    b.append("model: ").append(name).append('\n');
    b.append("recipe: ").append(recipe).append('\n');
    b.append(String.format(Locale.ROOT, "steps: %d (batch %d, peak lr %.2g, warm-up %d, weight"
        + " decay %.2g, seed %d)%n", settings.steps(), settings.batch(), settings.lr(),
        settings.warmupSteps(), settings.weightDecay(), settings.seed()));
    b.append("wall time: ").append(duration(wallSeconds)).append(String.format(Locale.ROOT,
        " (%.1f s)%n", wallSeconds));
    b.append(String.format(Locale.ROOT, "loss: %.4f (first 5%% of steps) -> %.4f (last 5%%)%n",
        initialLoss(), finalLoss()));
    b.append("training clips: ").append(clips).append('\n');
    b.append("data sha256: ").append(dataHash).append('\n');
    b.append("trained parameters: ").append(parameters).append('\n');
    notes.forEach(n -> b.append(n).append('\n'));
    return b.toString();
  }

  /** The loss per step and its running mean (window of 5% of the steps). */
  public XYChart plot() {
    XYChart chart = new XYChartBuilder().width(800).height(450)
        .title(name + " (" + recipe + ") training loss").xAxisTitle("step").yAxisTitle("loss")
        .build();
    double[] x = new double[losses.length];
    double[] y = new double[losses.length];
    double[] smooth = new double[losses.length];
    int w = Math.max(1, losses.length / 20);
    double sum = 0;
    for (int i = 0; i < losses.length; i++) {
      x[i] = i + 1;
      y[i] = losses[i];
      sum += losses[i];
      if (i >= w) {
        sum -= losses[i - w];
      }
      smooth[i] = sum / Math.min(i + 1, w);
    }
    chart.addSeries("loss", x, y).setMarker(SeriesMarkers.NONE);
    chart.addSeries("running mean", x, smooth).setMarker(SeriesMarkers.NONE);
    return chart;
  }

  /** Writes {@code NAME-training.txt} and {@code NAME-loss.png} into {@code dir}. */
  public List<Path> write(Path dir) {
    Path txt = dir.resolve(name + "-training.txt");
    AtomicFile.write(txt, report().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    Path png = io.anw.report.Plots.savePng(plot(), dir.resolve(name + "-loss.png"));
    return List.of(txt, png);
  }

  /** {@code 1h02m03s}, {@code 4m05s} or {@code 6s}. */
  static String duration(double seconds) {
    long s = Math.round(seconds);
    if (s >= 3600) {
      return String.format(Locale.ROOT, "%dh%02dm%02ds", s / 3600, s / 60 % 60, s % 60);
    }
    return s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
  }
}
