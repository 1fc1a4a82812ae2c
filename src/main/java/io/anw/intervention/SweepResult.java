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
 */
public record SweepResult(String title, PatchDirection direction, double clean,
    double corrupted, List<String> rows, List<String> columns, double[][] metric, Table table) {

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
    HeatMapChart chart = new HeatMapChartBuilder().width(Math.max(600, 40 + 14 * columns.size()))
        .height(Math.max(400, 120 + 28 * rows.size()))
        .title(title + (flat ? " (metric change)" : " (normalised effect)")).build();
    chart.getStyler().setShowValue(columns.size() * rows.size() <= 120);
    chart.getStyler().setLegendVisible(true);
    chart.addSeries(flat ? "change" : "effect", new ArrayList<>(columns), new ArrayList<>(rows),
        cells);
    return chart;
  }

  @Override
  public String toString() {
    return String.format("SweepResult[%s: %d x %d, clean %.4f, corrupted %.4f]", title,
        rows.size(), columns.size(), clean, corrupted);
  }
}
