package io.anw.intervention;

import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import tech.tablesaw.api.Table;

/**
 * A patching sweep: one patched run per cell of a grid of hook points (rows, e.g. layers) ×
 * positions or unit groups (columns), with the metric and the normalised effect of each.
 *
 * @param title what was swept, e.g. {@code denoise blocks.*.hook_resid_pre x position}
 * @param direction denoising or noising
 * @param clean metric of the clean run
 * @param corrupted metric of the corrupted run
 * @param rows row labels (hook points, e.g. {@code L3})
 * @param columns column labels (positions, e.g. {@code c0 f2.t1}, or unit groups)
 * @param metric patched metric {@code [rows][columns]}
 * @param table one row per cell: hook, layer, the column's coordinates, metric, effect
 * @param timePatches time patches of each chunk for position sweeps (empty for unit groups)
 */
public record SweepResult(String title, PatchDirection direction, double clean,
    double corrupted, List<String> rows, List<String> columns, double[][] metric, Table table,
    int[] timePatches) {

  /**
   * The x-axis title of a position sweep, explaining the labels it uses: patch grids
   * ({@code f2.t7}: M2D, AST) or frames ({@code t12}: wav2vec 2.0, HuBERT, Whisper).
   */
  private String tokenAxisTitle() {
    boolean grid = columns.stream().anyMatch(c -> c.matches("(c\\d+ )?f\\d+\\.t\\d+"));
    if (grid) {
      return "token (" + (columns.stream().anyMatch(c -> c.endsWith("DIST")) ? "CLS, DIST"
          : "CLS") + "; fF.tT = frequency patch F, time patch T)";
    }
    return "token (tN = frame N of the encoder)";
  }

  /** Normalised effects {@code (patched - corrupted) / (clean - corrupted)}, {@code [rows][columns]}. */
  public double[][] effects() {
    double[][] e = new double[metric.length][];
    for (int r = 0; r < metric.length; r++) {
      e[r] = new double[metric[r].length];
      for (int c = 0; c < metric[r].length; c++) {
        e[r][c] = PatchResult.normalise(metric[r][c], clean, corrupted);
      }
    }
    return e;
  }

  /**
   * Heatmap of the normalised effect, columns on x and rows on y (the metric change from the
   * corrupted run when clean and corrupted give the same metric).
   */
  public HeatMapChart heatmap() {
    boolean flat = Double.isNaN(PatchResult.normalise(0, clean, corrupted));
    double[][] z = effects();
    List<Number[]> cells = new ArrayList<>();
    for (int r = 0; r < rows.size(); r++) {
      for (int c = 0; c < columns.size(); c++) {
        double v = flat ? metric[r][c] - corrupted : z[r][c];
        cells.add(new Number[] {c, r, Math.round(v * 1000) / 1000.0});
      }
    }
    boolean units = timePatches.length == 0;
    HeatMapChart chart = new HeatMapChartBuilder()
        .width(Math.min(2400, Math.max(760, 200 + 28 * columns.size())))
        .height(Math.max(420, 180 + 28 * rows.size()))
        .title(title + (flat ? " (metric change)" : " — " + scaleNote()))
        .xAxisTitle(units ? "neuron group" : tokenAxisTitle())
        .yAxisTitle("hook point").build();
    chart.getStyler().setShowValue(columns.size() <= 12 && columns.size() * rows.size() <= 120);
    chart.getStyler().setHeatMapValueDecimalPattern("0.00");
    chart.getStyler().setLegendVisible(true);
    chart.addSeries(flat ? "change" : "effect", new ArrayList<>(columns), new ArrayList<>(rows),
        cells);
    scale(chart, flat, cells);
    return chart;
  }

  /** What 0 and 1 of the normalised effect mean in this direction. */
  private String scaleNote() {
    return direction == PatchDirection.DENOISE
        ? "normalised effect: 1 = clean behaviour restored, 0 = no effect"
        : "normalised effect: 1 = no effect, 0 = as bad as the corrupted run";
  }

  /**
   * A fixed scale: the normalised effect from 0 to 1 with "no effect" white (0 for denoising,
   * 1 for noising, whose colours run reversed); a raw metric change diverging around 0.
   */
  private void scale(HeatMapChart chart, boolean flat, List<Number[]> cells) {
    if (flat) {
      double limit = 0;
      for (Number[] c : cells) {
        limit = Math.max(limit, Math.abs(c[2].doubleValue()));
      }
      io.anw.report.PlotStyle.diverging(chart, limit);
      return;
    }
    io.anw.report.PlotStyle.sequential(chart, 1);
    if (direction == PatchDirection.NOISE) {
      java.awt.Color[] c = io.anw.report.PlotStyle.SEQUENTIAL.clone();
      java.util.Collections.reverse(java.util.Arrays.asList(c));
      chart.getStyler().setRangeColors(c);
    }
  }

  /**
   * One row of a position sweep as a frequency × time heatmap of one chunk (the patch grid;
   * the CLS cell's effect is in the title).
   *
   * @param row the row (hook point), e.g. 3 for {@code L3}
   * @param chunk the chunk
   * @throws io.anw.WorkbenchException for unit-group sweeps or a row/chunk out of range
   */
  public HeatMapChart gridHeatmap(int row, int chunk) {
    if (timePatches.length == 0) {
      throw new io.anw.WorkbenchException("gridHeatmap needs a position sweep");
    }
    if (row < 0 || row >= rows.size() || chunk < 0 || chunk >= timePatches.length) {
      throw new io.anw.WorkbenchException("no row " + row + " / chunk " + chunk + " (rows "
          + rows.size() + ", chunks " + timePatches.length + ")");
    }
    double[] e = effects()[row];
    int tp = timePatches[chunk];
    List<Number[]> cells = new ArrayList<>();
    double cls = Double.NaN;
    int fMax = -1;
    for (int c = 0; c < columns.size(); c++) {
      if (table.intColumn(2).get(row * columns.size() + c) != chunk) {
        continue;
      }
      int token = table.intColumn(3).get(row * columns.size() + c);
      if (table.stringColumn(4).get(row * columns.size() + c).startsWith("w")) {
        continue; // caption tokens of an audio-text model are not on the patch grid
      }
      if (token == 0) {
        cls = e[c];
        continue;
      }
      int f = (token - 1) / tp;
      fMax = Math.max(fMax, f);
      cells.add(new Number[] {(token - 1) % tp, f, Math.round(e[c] * 1000) / 1000.0});
    }
    List<Integer> xs = new ArrayList<>();
    for (int t = 0; t < tp; t++) {
      xs.add(t);
    }
    List<Integer> ys = new ArrayList<>();
    for (int f = 0; f <= fMax; f++) {
      ys.add(f);
    }
    HeatMapChart chart = new HeatMapChartBuilder().width(Math.max(640, 200 + 60 * tp))
        .height(Math.max(340, 140 + 40 * ys.size()))
        .title(String.format("%s %s chunk %d (CLS %.3f); %s", direction, rows.get(row), chunk,
            cls, scaleNote()))
        .xAxisTitle("time patch").yAxisTitle("frequency patch (low to high)").build();
    chart.getStyler().setShowValue(tp * ys.size() <= 120);
    chart.getStyler().setHeatMapValueDecimalPattern("0.00");
    chart.addSeries("effect", xs, ys, cells);
    scale(chart, false, cells);
    return chart;
  }

  @Override
  public String toString() {
    return String.format("SweepResult[%s: %d x %d, clean %.4f, corrupted %.4f]", title,
        rows.size(), columns.size(), clean, corrupted);
  }
}
