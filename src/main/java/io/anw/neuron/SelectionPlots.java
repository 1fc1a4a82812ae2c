package io.anw.neuron;

import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The standard plots of a selection (XChart): entropy histogram with the cut-off, layer
 * distribution stacked by class, class × layer heatmap, class-sharing heatmap, and one neuron's
 * activation probabilities across classes.
 */
public final class SelectionPlots {
  private static final int WIDTH = 800;
  private static final int HEIGHT = 500;

  private SelectionPlots() {}

  /** Histogram of H over all neurons with activity, the kept cut-off as a vertical line. */
  public static XYChart entropyHistogram(NeuronSelection s) {
    double[] h = s.entropies();
    double max = Math.log(s.classes().size());
    int bins = 50;
    double width = max > 0 ? max / bins : 1;
    double[] x = new double[bins];
    double[] y = new double[bins];
    for (int b = 0; b < bins; b++) {
      x[b] = (b + 0.5) * width;
    }
    for (double v : h) {
      int b = (int) Math.min(bins - 1, Math.floor(v / width));
      y[b]++;
    }
    // a log count axis, so the low-entropy tail (the class-specific candidates) stays visible
    double top = 1;
    boolean any = false;
    for (int b = 0; b < bins; b++) {
      top = Math.max(top, y[b]);
      any |= y[b] > 0;
      if (y[b] == 0) {
        y[b] = Double.NaN; // empty bins leave a gap (log axis)
      }
    }
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
        .title("Activation-probability entropy (" + s.params().method().name() + ")")
        .xAxisTitle("entropy H (nats)").yAxisTitle("neurons (log scale)").build();
    chart.getStyler().setYAxisLogarithmic(any);
    chart.getStyler().setXAxisMin(0.0);
    chart.getStyler().setXAxisMax(max > 0 ? max : 1);
    XYSeries hist = chart.addSeries("neurons per bin", x, any ? y : new double[bins]);
    hist.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
    hist.setMarker(SeriesMarkers.NONE);
    double cut = s.entropyCutoff();
    if (!Double.isNaN(cut)) {
      XYSeries line = chart.addSeries(String.format("kept: H <= %.3f (cut-off)", cut),
          new double[] {cut, cut}, new double[] {any ? 1 : 0, top});
      line.setMarker(SeriesMarkers.NONE);
      line.setLineColor(new java.awt.Color(0xb2182b));
    }
    return chart;
  }

  /** Class-specific neurons per layer, stacked by class. */
  public static CategoryChart layerDistribution(NeuronSelection s) {
    return layerDistribution(s.neuronSets());
  }

  /** Class-specific neurons per layer, stacked by class (computed or imported neuron sets). */
  public static CategoryChart layerDistribution(ClassNeurons s) {
    CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
        .title("Layer distribution of class-specific neurons")
        .xAxisTitle("layer").yAxisTitle("neurons").build();
    chart.getStyler().setStacked(true);
    List<Integer> layers = new ArrayList<>();
    for (int l = 0; l < s.layers(); l++) {
      layers.add(l);
    }
    for (String c : s.classes()) {
      List<Integer> perLayer = new ArrayList<>();
      int[] counts = new int[layers.size()];
      s.neurons(c).forEach(n -> counts[n.layer()]++);
      for (int v : counts) {
        perLayer.add(v);
      }
      chart.addSeries(c, layers, perLayer);
    }
    return chart;
  }

  /** Heatmap: classes × layers, cell = number of class-specific neurons. */
  public static HeatMapChart classLayerHeatmap(NeuronSelection s) {
    return classLayerHeatmap(s.neuronSets());
  }

  /** Heatmap: classes × layers of computed or imported neuron sets. */
  public static HeatMapChart classLayerHeatmap(ClassNeurons s) {
    int layers = s.layers();
    List<String> classes = s.classes();
    int[] x = new int[layers];
    for (int l = 0; l < layers; l++) {
      x[l] = l;
    }
    int[] y = new int[classes.size()];
    int[][] z = new int[layers][classes.size()];
    for (int c = 0; c < classes.size(); c++) {
      y[c] = c;
      for (Neuron n : s.neurons(classes.get(c))) {
        z[n.layer()][c]++;
      }
    }
    HeatMapChart chart = new HeatMapChartBuilder().width(WIDTH).height(HEIGHT)
        .title("Class-specific neurons by class and layer").xAxisTitle("layer")
        .yAxisTitle("class").build();
    chart.getStyler().setShowValue(layers <= 16); // numbers overlap in narrower cells
    chart.getStyler().setHeatMapValueDecimalPattern("0");
    chart.getStyler().setYAxisLabelAlignment(org.knowm.xchart.style.AxesChartStyler.TextAlignment.Right);
    chart.addSeries("neurons", toList(x), new ArrayList<>(classes), cells(z));
    int max = 0;
    for (int[] col : z) {
      for (int v : col) {
        max = Math.max(max, v);
      }
    }
    io.anw.report.PlotStyle.sequential(chart, max); // zero is white: an empty grid looks empty
    return chart;
  }

  /** Heatmap of the Jaccard index between every pair of classes' neuron sets. */
  public static HeatMapChart sharingHeatmap(NeuronSelection s) {
    return sharingHeatmap(s.neuronSets());
  }

  /** Jaccard heatmap of computed or imported neuron sets. */
  public static HeatMapChart sharingHeatmap(ClassNeurons s) {
    List<String> classes = s.classes();
    int k = classes.size();
    List<Number[]> cells = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < k; j++) {
        double jac = Sharing.jaccard(s.neurons(classes.get(i)), s.neurons(classes.get(j)));
        cells.add(new Number[] {i, j, Math.round(jac * 100) / 100.0});
      }
    }
    HeatMapChart chart = new HeatMapChartBuilder().width(WIDTH).height(HEIGHT + 60)
        .title("Neurons shared between classes (Jaccard)").xAxisTitle("class")
        .yAxisTitle("class").build();
    chart.getStyler().setShowValue(k <= 12);
    chart.getStyler().setHeatMapValueDecimalPattern("0.00");
    chart.getStyler().setYAxisLabelAlignment(org.knowm.xchart.style.AxesChartStyler.TextAlignment.Right);
    chart.addSeries("jaccard", new ArrayList<>(classes), new ArrayList<>(classes), cells);
    io.anw.report.PlotStyle.sequential(chart, 1); // Jaccard 0..1 on a fixed scale
    return chart;
  }

  /** One neuron's activation probability for every class, the bar v_bar marked in the title. */
  public static CategoryChart neuronProbabilities(NeuronSelection s, Neuron n) {
    List<Double> probs = new ArrayList<>();
    for (int c = 0; c < s.classes().size(); c++) {
      probs.add(s.probability(n.layer(), n.index(), c));
    }
    CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
        .title(String.format("%s: activation probability by class (H = %.3f, v_bar = %.3f)", n,
            s.entropy(n.layer(), n.index()), s.vBar()))
        .xAxisTitle("class").yAxisTitle("P(activation > 0)").build();
    chart.getStyler().setLegendVisible(false);
    chart.addSeries("P", new ArrayList<>(s.classes()), probs);
    return chart;
  }

  private static List<Integer> toList(int[] v) {
    List<Integer> out = new ArrayList<>();
    for (int x : v) {
      out.add(x);
    }
    return out;
  }

  private static List<Number[]> cells(int[][] z) {
    List<Number[]> out = new ArrayList<>();
    for (int i = 0; i < z.length; i++) {
      for (int j = 0; j < z[i].length; j++) {
        out.add(new Number[] {i, j, z[i][j]});
      }
    }
    return out;
  }
}
