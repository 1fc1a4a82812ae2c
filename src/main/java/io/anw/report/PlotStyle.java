package io.anw.report;

import java.awt.Color;
import java.awt.Font;
import java.util.List;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;

/**
 * The workbench's one plot style, for figures a researcher would put in a paper: white
 * backgrounds, readable sans-serif fonts, light grid lines, category labels turned when they
 * would overlap, and honest colour scales: sequential maps that start at white for zero
 * ({@link #sequential}), diverging maps centred on zero for signed effects ({@link #diverging}).
 * {@link Plots} and the notebook renderer apply {@link #apply} to every chart they draw.
 */
public final class PlotStyle {
  /** White for zero, then light to dark blue (ColorBrewer "Blues"). */
  public static final Color[] SEQUENTIAL = {new Color(0xffffff), new Color(0xdeebf7),
      new Color(0x9ecae1), new Color(0x4292c6), new Color(0x08519c), new Color(0x08306b)};

  /** Red for negative, white for zero, blue for positive (ColorBrewer "RdBu"). */
  public static final Color[] DIVERGING = {new Color(0xb2182b), new Color(0xef8a62),
      new Color(0xfddbc7), new Color(0xf7f7f7), new Color(0xd1e5f0), new Color(0x67a9cf),
      new Color(0x2166ac)};

  private static final Font BASE = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
  private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 15);
  private static final Font AXIS_TITLE = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
  private static final Font TICKS = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

  /** Average width of a tick-label character at {@link #TICKS}' size, in pixels. */
  private static final double CHAR_PX = 7.0;

  private PlotStyle() {}

  /** Applies the style to {@code chart} (idempotent); returns it. */
  public static <C extends Chart<?, ?>> C apply(C chart) {
    Styler s = chart.getStyler();
    s.setChartBackgroundColor(Color.WHITE);
    s.setChartFontColor(Color.BLACK);
    s.setBaseFont(BASE);
    s.setChartTitleFont(TITLE);
    s.setChartTitleBoxVisible(false);
    s.setLegendFont(BASE);
    s.setLegendBackgroundColor(Color.WHITE);
    s.setLegendBorderColor(new Color(0xcccccc));
    s.setChartPadding(12);
    if (s instanceof AxesChartStyler a) {
      a.setPlotBackgroundColor(Color.WHITE);
      a.setPlotBorderColor(new Color(0x999999));
      a.setPlotGridLinesColor(new Color(0xe5e5e5));
      a.setAxisTitleFont(AXIS_TITLE);
      a.setAxisTickLabelsFont(TICKS);
      a.setAxisTickLabelsColor(Color.BLACK);
    }
    turnLongLabels(chart);
    return chart;
  }

  /**
   * A heatmap on a sequential scale from {@code 0} (white) to {@code max} (dark); a
   * non-positive max (an empty grid) still keeps zero white.
   */
  public static HeatMapChart sequential(HeatMapChart chart, double max) {
    chart.getStyler().setRangeColors(SEQUENTIAL);
    chart.getStyler().setMin(0);
    chart.getStyler().setMax(max > 0 ? max : 1);
    return chart;
  }

  /** A heatmap on a diverging scale centred on zero, from {@code -limit} to {@code +limit}. */
  public static HeatMapChart diverging(HeatMapChart chart, double limit) {
    double l = limit > 0 && Double.isFinite(limit) ? limit : 1;
    chart.getStyler().setRangeColors(DIVERGING);
    chart.getStyler().setMin(-l);
    chart.getStyler().setMax(l);
    return chart;
  }

  /**
   * Turns the x labels of category charts and heatmaps by 45° (or 90° when crowded) when they
   * would not fit side by side, so that they never overlap.
   */
  static void turnLongLabels(Chart<?, ?> chart) {
    List<?> labels = xLabels(chart);
    if (labels.isEmpty() || !(chart.getStyler() instanceof AxesChartStyler a)) {
      return;
    }
    int longest = labels.stream().mapToInt(o -> String.valueOf(o).length()).max().orElse(0);
    double slot = Math.max(1, chart.getWidth() - 180) / (double) labels.size();
    if (longest * CHAR_PX + 6 > slot) {
      a.setXAxisLabelRotation(slot < TICKS.getSize() * 2.2 ? 90 : 45);
    }
  }

  /** The x-axis category labels of a category chart or heatmap (empty for other charts). */
  static List<?> xLabels(Chart<?, ?> chart) {
    if (chart instanceof CategoryChart c && !c.getSeriesMap().isEmpty()) {
      return List.copyOf(c.getSeriesMap().values().iterator().next().getXData());
    }
    if (chart instanceof HeatMapChart h && h.getHeatMapSeries() != null) {
      return List.copyOf(h.getHeatMapSeries().getXData());
    }
    return List.of();
  }
}
