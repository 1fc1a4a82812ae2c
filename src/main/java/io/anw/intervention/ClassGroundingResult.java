package io.anw.intervention;

import io.anw.neuron.Neuron;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Grounding coefficients of the class-specific neurons of every measured class (see
 * {@link ClassGrounding}): one {@link GroundingResult} per class; a neuron assigned to two
 * classes is measured, and listed, once for each.
 *
 * @param model the model's name
 * @param byClass the result of each measured class, in class order
 * @param examples examples per condition of each class
 * @param stat what Δ measures
 * @param tokens the tokens the statistic read
 * @param frames the audio length the examples were cropped or padded to
 * @param notes classes skipped and why
 */
public record ClassGroundingResult(String model, Map<String, GroundingResult> byClass,
    Map<String, Integer> examples, GroundingStat stat, io.anw.model.TokenGroup tokens, int frames,
    List<String> notes) {
  private static final int BINS = 10;

  /**
   * One row per class and neuron: {@code class}, {@code layer}, {@code neuron},
   * {@code delta_audio}, {@code delta_text}, {@code gc}, {@code grounding}.
   */
  public Table table() {
    StringColumn cls = StringColumn.create("class");
    IntColumn layer = IntColumn.create("layer");
    IntColumn neuron = IntColumn.create("neuron");
    DoubleColumn da = DoubleColumn.create("delta_audio");
    DoubleColumn dt = DoubleColumn.create("delta_text");
    DoubleColumn gc = DoubleColumn.create("gc");
    StringColumn label = StringColumn.create("grounding");
    byClass.forEach((c, r) -> {
      for (int i = 0; i < r.neurons().size(); i++) {
        cls.append(c);
        layer.append(r.neurons().get(i).layer());
        neuron.append(r.neurons().get(i).index());
        da.append(r.deltaAudio()[i]);
        dt.append(r.deltaText()[i]);
        gc.append(r.gc(i));
        label.append(r.label(i));
      }
    });
    return Table.create("grounding coefficients of class-specific neurons (" + model + ", "
        + stat + " at " + tokens + " tokens)", cls, layer, neuron, da, dt, gc, label);
  }

  /** Every measured coefficient (NaN for neurons neither part moves), in table order. */
  public double[] gc() {
    return table().doubleColumn("gc").asDoubleArray();
  }

  /** Neurons measured, over all classes. */
  public int size() {
    return byClass.values().stream().mapToInt(r -> r.neurons().size()).sum();
  }

  /**
   * Per class: {@code class}, {@code examples}, {@code neurons}, {@code audio}, {@code mixed},
   * {@code text}, {@code none} (neurons per label) and {@code mean_gc}.
   */
  public Table summary() {
    return grouped("class", byClass.keySet().stream().toList(), (key, row) -> row.cls.equals(key),
        true);
  }

  /** Per layer: {@code layer}, {@code neurons}, the label counts and {@code mean_gc}. */
  public Table perLayer() {
    List<Row> rows = rows();
    List<String> layers = rows.stream().map(r -> "L" + r.neuron.layer()).distinct()
        .sorted(java.util.Comparator.comparingInt(s -> Integer.parseInt(s.substring(1))))
        .toList();
    return grouped("layer", layers, (key, row) -> key.equals("L" + row.neuron.layer()), false);
  }

  /**
   * One row per neuron: {@code layer}, {@code neuron}, {@code classes} (the classes it was
   * measured for, joined by {@code +}), {@code n_classes}, {@code mean_gc} over them and its
   * {@code grounding} label: which neurons are shared, and how they are grounded.
   */
  public Table perNeuron() {
    Map<Neuron, List<Row>> by = new TreeMap<>();
    rows().forEach(r -> by.computeIfAbsent(r.neuron, k -> new ArrayList<>()).add(r));
    IntColumn layer = IntColumn.create("layer");
    IntColumn neuron = IntColumn.create("neuron");
    StringColumn classes = StringColumn.create("classes");
    IntColumn n = IntColumn.create("n_classes");
    DoubleColumn mean = DoubleColumn.create("mean_gc");
    StringColumn label = StringColumn.create("grounding");
    by.forEach((k, rs) -> {
      layer.append(k.layer());
      neuron.append(k.index());
      classes.append(String.join("+", rs.stream().map(Row::cls).toList()));
      n.append(rs.size());
      double g = rs.stream().mapToDouble(Row::gc).filter(v -> !Double.isNaN(v)).average()
          .orElse(Double.NaN);
      mean.append(g);
      label.append(GroundingResult.labelOf(g));
    });
    return Table.create("grounding per neuron (" + model + ")", layer, neuron, classes, n, mean,
        label);
  }

  /** Counts per label over all measured neurons: {@code grounding}, {@code neurons}, {@code share}. */
  public Table labels() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String l : GroundingResult.LABELS) {
      counts.put(l, 0);
    }
    rows().forEach(r -> counts.merge(r.label, 1, Integer::sum));
    int total = Math.max(1, size());
    StringColumn label = StringColumn.create("grounding");
    IntColumn n = IntColumn.create("neurons");
    DoubleColumn share = DoubleColumn.create("share");
    counts.forEach((k, v) -> {
      label.append(k);
      n.append(v);
      share.append(v / (double) total);
    });
    return Table.create("grounding of " + size() + " class-specific neurons (" + model + ")",
        label, n, share);
  }

  /**
   * Histogram of the coefficients in ten bins from 0 (text-grounded) to 1 (audio-grounded),
   * one stacked series per layer.
   */
  public CategoryChart histogram() {
    List<String> bins = new ArrayList<>();
    for (int b = 0; b < BINS; b++) {
      bins.add(String.format(Locale.ROOT, "%.1f-%.1f", b / (double) BINS, (b + 1) / (double) BINS));
    }
    TreeMap<Integer, double[]> perLayer = new TreeMap<>();
    for (Row r : rows()) {
      if (Double.isNaN(r.gc)) {
        continue;
      }
      int bin = Math.min(BINS - 1, (int) Math.floor(r.gc * BINS));
      perLayer.computeIfAbsent(r.neuron.layer(), k -> new double[BINS])[bin]++;
    }
    CategoryChart chart = new CategoryChartBuilder().width(900).height(500)
        .title(String.format(Locale.ROOT, "Grounding coefficient of %d class-specific neurons"
            + " (%s, %s tokens): 0 = text, 1 = audio", size(), model, tokens))
        .xAxisTitle("GC = Δaudio / (Δaudio + Δtext)").yAxisTitle("neurons").build();
    chart.getStyler().setStacked(true);
    chart.getStyler().setXAxisLabelRotation(45);
    if (perLayer.isEmpty()) {
      chart.addSeries("no neuron moved", bins, java.util.Collections.nCopies(BINS, 0.0));
    }
    perLayer.forEach((layer, counts) -> {
      List<Double> v = new ArrayList<>();
      for (double c : counts) {
        v.add(c);
      }
      chart.addSeries("L" + layer, bins, v);
    });
    return chart;
  }

  private record Row(String cls, Neuron neuron, double gc, String label) {}

  private List<Row> rows() {
    List<Row> out = new ArrayList<>();
    byClass.forEach((c, r) -> {
      for (int i = 0; i < r.neurons().size(); i++) {
        out.add(new Row(c, r.neurons().get(i), r.gc(i), r.label(i)));
      }
    });
    return out;
  }

  private Table grouped(String keyName, List<String> keys,
      java.util.function.BiPredicate<String, Row> in, boolean withExamples) {
    StringColumn key = StringColumn.create(keyName);
    IntColumn ex = IntColumn.create("examples");
    IntColumn neurons = IntColumn.create("neurons");
    Map<String, IntColumn> counts = new LinkedHashMap<>();
    for (String l : GroundingResult.LABELS) {
      counts.put(l, IntColumn.create(l));
    }
    DoubleColumn mean = DoubleColumn.create("mean_gc");
    List<Row> rows = rows();
    for (String k : keys) {
      List<Row> sel = rows.stream().filter(r -> in.test(k, r)).toList();
      key.append(k);
      ex.append(examples.getOrDefault(k, 0));
      neurons.append(sel.size());
      counts.forEach((l, col) -> col.append((int) sel.stream().filter(r -> r.label.equals(l))
          .count()));
      mean.append(sel.stream().mapToDouble(Row::gc).filter(g -> !Double.isNaN(g)).average()
          .orElse(Double.NaN));
    }
    Table t = Table.create("grounding per " + keyName + " (" + model + ")", key);
    if (withExamples) {
      t.addColumns(ex);
    }
    t.addColumns(neurons);
    counts.values().forEach(t::addColumns);
    t.addColumns(mean);
    return t;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("ClassGroundingResult ").append(model).append(": ")
        .append(io.anw.report.NumberText.count(size(), "neuron")).append(" of ")
        .append(io.anw.report.NumberText.count(byClass.size(), "class")).append(", ")
        .append(stat).append(" at ").append(tokens).append(" tokens\n  grounding:");
    Table l = labels();
    for (int r = 0; r < l.rowCount(); r++) {
      sb.append(r == 0 ? " " : ", ").append(l.stringColumn(0).get(r)).append(' ')
          .append(l.intColumn(1).get(r));
    }
    byClass.values().stream().findFirst().filter(GroundingResult::audioOnly)
        .ifPresent(g -> sb.append("\n  note: ").append(g.note()));
    notes.forEach(n -> sb.append("\n  note: ").append(n));
    if (size() == 0) {
      sb.append("\n  warning: no neurons were grounded (every class's set is empty): select"
          + " with LAPE's settings or a lower activation bar");
    }
    return sb.toString();
  }
}
