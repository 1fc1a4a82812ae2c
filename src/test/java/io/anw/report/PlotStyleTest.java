package io.anw.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;

class PlotStyleTest {
  private static final List<String> CLASSES = List.of("bass", "brass", "chromatic_percussion",
      "guitar", "organ", "piano", "pipe", "reed", "strings");

  @Test
  void longCategoryLabelsAreTurnedShortOnesNot() {
    CategoryChart c = new CategoryChartBuilder().width(800).height(500).title("t")
        .xAxisTitle("class").yAxisTitle("n").build();
    c.addSeries("n", CLASSES, List.of(1, 0, 3, 0, 0, 0, 0, 0, 2));
    PlotStyle.apply(c);
    assertTrue(c.getStyler().getXAxisLabelRotation() >= 45, "9 long labels in 800 px");
    CategoryChart s = new CategoryChartBuilder().width(800).height(500).title("t").build();
    s.addSeries("n", List.of("L0", "L1", "L2", "L3"), List.of(1, 2, 3, 4));
    PlotStyle.apply(s);
    assertEquals(0, s.getStyler().getXAxisLabelRotation(), "short labels stay level");
  }

  @Test
  void sequentialMapsStartWhiteAtZeroAndDivergingOnesAreCentred() {
    HeatMapChart h = new HeatMapChartBuilder().width(600).height(400).title("t").build();
    List<Number[]> cells = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        cells.add(new Number[] {i, j, i == 2 && j == 2 ? 5 : 0});
      }
    }
    h.addSeries("n", List.of(0, 1, 2), List.of(0, 1, 2), cells);
    PlotStyle.sequential(PlotStyle.apply(h), 5);
    assertEquals(Color.WHITE, h.getStyler().getRangeColors()[0]);
    assertEquals(0.0, h.getStyler().getMin());
    assertEquals(5.0, h.getStyler().getMax());
    BufferedImage img = BitmapEncoder.getBufferedImage(h);
    assertEquals(600, img.getWidth());
    assertEquals(400, img.getHeight());
    PlotStyle.diverging(h, 0.3);
    assertEquals(-0.3, h.getStyler().getMin(), 1e-12);
    assertEquals(0.3, h.getStyler().getMax(), 1e-12);
    Color[] d = h.getStyler().getRangeColors();
    Color mid = d[d.length / 2];
    assertTrue(mid.getRed() > 240 && mid.getGreen() > 240 && mid.getBlue() > 240, "white at 0");
  }

  @Test
  void chartsGetWhiteBackgrounds() {
    CategoryChart c = new CategoryChartBuilder().width(400).height(300).title("t").build();
    c.addSeries("n", List.of("a"), List.of(1));
    PlotStyle.apply(c);
    assertEquals(Color.WHITE, c.getStyler().getChartBackgroundColor());
    assertEquals(Color.WHITE, c.getStyler().getPlotBackgroundColor());
  }
}
