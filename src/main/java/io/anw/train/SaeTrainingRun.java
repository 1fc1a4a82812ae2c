package io.anw.train;

import io.anw.report.CsvFiles;
import io.anw.report.PlotStyle;
import io.anw.report.Plots;
import io.anw.sae.SaeFiles;
import io.anw.sae.SparseAutoencoder;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * A trained sparse autoencoder and how training went: per step the loss, reconstruction MSE
 * (on the scaled activations), L0, explained variance and dead fraction of the batch, and the
 * AuxK loss. {@link #save} writes the SAE (SAELens layout), {@code training.csv} and the curves.
 */
public final class SaeTrainingRun {
  /** The per-step curves, in the order of {@link #curve(String)}'s names. */
  public static final List<String> CURVES = List.of("loss", "mse", "l0", "explained_variance",
      "dead_fraction", "aux_loss");

  private final SparseAutoencoder sae;
  private final SaeOptions options;
  private final float[] curves;
  private final double seconds;
  private final float scale;
  private final long tokens;

  SaeTrainingRun(SparseAutoencoder sae, SaeOptions options, float[] curves, double seconds,
      float scale, long tokens) {
    this.sae = sae;
    this.options = options;
    this.curves = curves;
    this.seconds = seconds;
    this.scale = scale;
    this.tokens = tokens;
  }

  /** The SAE (applies to raw activations; close it, or this run, when done). */
  public SparseAutoencoder sae() {
    return sae;
  }

  /** Feature activations {@code [..., d_sae]} of raw activations {@code x [..., d_in]}. */
  public ai.djl.ndarray.NDArray encode(ai.djl.ndarray.NDArray x) {
    return sae.encode(x);
  }

  /**
   * Evaluates the SAE on {@code model} and {@code data} ({@code sae eval}: metrics on the test
   * split, probes trained on the train split; batch 8).
   */
  public io.anw.pipeline.SaeEvalResult eval(io.anw.model.AudioModel model,
      io.anw.audio.Dataset data) {
    return io.anw.pipeline.SaeEvaluation.run(model, sae, data,
        io.anw.model.Batcher.DEFAULT_BATCH, io.anw.pipeline.Steps.NONE);
  }

  /** The settings it was trained with. */
  public SaeOptions options() {
    return options;
  }

  /** Wall time of training (over all sessions of a resumed run), in seconds. */
  public double seconds() {
    return seconds;
  }

  /** Tokens trained on. */
  public long tokens() {
    return tokens;
  }

  /** Training throughput, tokens per second. */
  public double tokensPerSecond() {
    return seconds > 0 ? tokens / seconds : Double.NaN;
  }

  /** One curve per step, by name (see {@link #CURVES}). */
  public double[] curve(String name) {
    int c = CURVES.indexOf(name);
    if (c < 0) {
      throw new io.anw.WorkbenchException("no training curve '" + name + "' (" + CURVES + ")");
    }
    int steps = curves.length / CURVES.size();
    double[] out = new double[steps];
    for (int s = 0; s < steps; s++) {
      out[s] = curves[s * CURVES.size() + c];
    }
    return out;
  }

  /** Mean of a curve over the last 5 % of steps (at least one). */
  public double last(String name) {
    double[] v = curve(name);
    int w = Math.max(1, v.length / 20);
    double s = 0;
    for (int i = v.length - w; i < v.length; i++) {
      s += v[i];
    }
    return s / w;
  }

  /** The curves as a table: step, then one column per curve. */
  public Table table() {
    int steps = curves.length / CURVES.size();
    int[] step = new int[steps];
    for (int s = 0; s < steps; s++) {
      step[s] = s + 1;
    }
    Table t = Table.create("SAE training", IntColumn.create("step", step));
    for (String c : CURVES) {
      t.addColumns(DoubleColumn.create(c, curve(c)));
    }
    return t;
  }

  /** Reconstruction (MSE, log axis) and the AuxK loss per step. */
  public XYChart plotLoss() {
    XYChart chart = PlotStyle.apply(new XYChartBuilder().width(800).height(450)
        .title("SAE training: reconstruction error").xAxisTitle("step")
        .yAxisTitle("per-token squared error (scaled activations, log)").build());
    chart.getStyler().setYAxisLogarithmic(true);
    addSeries(chart, "MSE", curve("mse"));
    double[] aux = curve("aux_loss");
    if (java.util.Arrays.stream(aux).anyMatch(v -> v > 0)) {
      addSeries(chart, "AuxK loss (dead features)", aux);
    }
    return chart;
  }

  /** L0 (features active per token) per step. */
  public XYChart plotSparsity() {
    XYChart chart = PlotStyle.apply(new XYChartBuilder().width(800).height(450)
        .title("SAE training: sparsity").xAxisTitle("step")
        .yAxisTitle("L0 (active features per token)").build());
    addSeries(chart, "L0", curve("l0"));
    return chart;
  }

  private static void addSeries(XYChart chart, String name, double[] y) {
    boolean log = chart.getStyler().isYAxisLogarithmic();
    double[] x = new double[y.length];
    double[] shown = new double[y.length];
    for (int i = 0; i < y.length; i++) {
      x[i] = i + 1;
      shown[i] = log ? Math.max(y[i], 1e-12) : y[i];
    }
    chart.addSeries(name, x, shown).setMarker(SeriesMarkers.NONE);
  }

  /**
   * Writes the SAE into {@code dir} ({@code cfg.json}, {@code sae_weights.safetensors}) with
   * {@code training.csv}, {@code training-loss.png} and {@code training-l0.png}.
   */
  public Path save(String dir) {
    return save(Path.of(dir));
  }

  /** {@link #save(String)} to a path. */
  public Path save(Path dir) {
    SaeFiles.save(sae, dir);
    CsvFiles.write(table(), dir.resolve("training.csv"));
    Plots.savePng(plotLoss(), dir.resolve("training-loss.png"));
    Plots.savePng(plotSparsity(), dir.resolve("training-l0.png"));
    return dir;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "SAE %s on %s: d_in %d, d_sae %d (%s)%n"
        + "  trained on %,d tokens in %s (%,.0f tokens/s)%n"
        + "  last 5%% of steps: L0 %.1f, explained variance %.3f, dead %.3f%n"
        + "  input scale %.4g folded into the saved weights",
        sae.config().architecture().saeLensName(), sae.hookName(), sae.dIn(), sae.dSae(),
        options, tokens, TrainingRun.duration(seconds), tokensPerSecond(), last("l0"),
        last("explained_variance"), last("dead_fraction"), scale);
  }
}
