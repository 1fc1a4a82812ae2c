package io.anw.neuron;

import io.anw.activation.ActivationCounts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The result of a LAPE/AAPE selection: which neurons are specific to which classes, with the
 * probabilities and entropies behind it. Made by {@link EntropySelector#select}.
 *
 * <p>Tables use the workbench's column names ({@code layer}, {@code neuron}, {@code class},
 * {@code aape}, {@code p_<class>}); {@link SelectionPlots} draws them and
 * {@link SelectionFiles} writes them.
 */
public final class NeuronSelection {
  /** One neuron assigned to one class; {@code aape} is its entropy H (nats). */
  public record Assignment(Neuron neuron, int classIndex, double aape) {}

  private final ActivationCounts counts;
  private final SelectionParams params;
  private final double[] p;
  private final double[] entropy;
  private final double vFilter;
  private final double vBar;
  private final List<Neuron> kept;
  private final List<Assignment> assignments;
  private final List<String> warnings;
  private volatile ClassNeurons sets;

  NeuronSelection(ActivationCounts counts, SelectionParams params, double[] p, double[] entropy,
      double vFilter, double vBar, List<Neuron> kept, List<Assignment> assignments,
      List<String> warnings) {
    this.counts = counts;
    this.params = params;
    this.p = p;
    this.entropy = entropy;
    this.vFilter = vFilter;
    this.vBar = vBar;
    this.kept = List.copyOf(kept);
    this.assignments = List.copyOf(assignments);
    this.warnings = List.copyOf(warnings);
  }

  /** The counts selected from. */
  public ActivationCounts counts() {
    return counts;
  }

  /** The parameters used. */
  public SelectionParams params() {
    return params;
  }

  /** Class names. */
  public List<String> classes() {
    return counts.classes();
  }

  /** The P value below or at which a neuron counts as inactive for a class. */
  public double vFilter() {
    return vFilter;
  }

  /** The P value a kept neuron must exceed for a class to be assigned. */
  public double vBar() {
    return vBar;
  }

  /** The lowest-entropy eligible neurons, in entropy order (assigned to a class or not). */
  public List<Neuron> kept() {
    return kept;
  }

  /** Neuron-class assignments, in entropy order then class order. */
  public List<Assignment> assignments() {
    return assignments;
  }

  /** Warnings (classes with n = 0, fewer eligible neurons than the quota). */
  public List<String> warnings() {
    return warnings;
  }

  /** Activation probability P[l, j, c]. */
  public double probability(int layer, int neuron, int classIndex) {
    return p[(layer * counts.neurons() + neuron) * classes().size() + classIndex];
  }

  /** Entropy H[l, j] in nats. */
  public double entropy(int layer, int neuron) {
    return entropy[layer * counts.neurons() + neuron];
  }

  /** All entropies, flat {@code [layers, neurons]}. */
  public double[] entropies() {
    return entropy.clone();
  }

  /** The largest entropy among kept neurons (the cut-off); NaN when none is kept. */
  public double entropyCutoff() {
    return kept.isEmpty() ? Double.NaN
        : entropy[kept.get(kept.size() - 1).layer() * counts.neurons()
            + kept.get(kept.size() - 1).index()];
  }

  /** The neurons specific to one class, sorted by (layer, neuron). */
  public List<Neuron> neurons(String className) {
    int c = classIndex(className);
    return new ArrayList<>(new TreeSet<>(assignments.stream().filter(a -> a.classIndex() == c)
        .map(Assignment::neuron).toList()));
  }

  /** Every class's neuron set, in class order. */
  public Map<String, List<Neuron>> byClass() {
    Map<String, List<Neuron>> out = new LinkedHashMap<>();
    for (String name : classes()) {
      out.put(name, neurons(name));
    }
    return out;
  }

  /** All neurons assigned to at least one class, sorted. */
  public List<Neuron> allNeurons() {
    return new ArrayList<>(new TreeSet<>(assignments.stream().map(Assignment::neuron).toList()));
  }

  int classIndex(String className) {
    int c = classes().indexOf(className);
    if (c < 0) {
      throw new io.anw.WorkbenchException("no class '" + className + "'; classes: " + classes());
    }
    return c;
  }

  /** One row per assignment: {@code layer, neuron, class, aape} (the neurons.csv format). */
  public Table table() {
    IntColumn layer = IntColumn.create("layer");
    IntColumn neuron = IntColumn.create("neuron");
    StringColumn cls = StringColumn.create("class");
    DoubleColumn aape = DoubleColumn.create("aape");
    for (Assignment a : assignments) {
      layer.append(a.neuron().layer());
      neuron.append(a.neuron().index());
      cls.append(classes().get(a.classIndex()));
      aape.append(a.aape());
    }
    return Table.create("class-specific neurons (" + params + ")", layer, neuron, cls, aape);
  }

  /** {@link #table()} plus a {@code p_<class>} column of activation probabilities per class. */
  public Table probabilityTable() {
    Table t = table().copy();
    t.setName("class-specific neurons with activation probabilities");
    for (int c = 0; c < classes().size(); c++) {
      DoubleColumn col = DoubleColumn.create("p_" + classes().get(c));
      for (Assignment a : assignments) {
        col.append(probability(a.neuron().layer(), a.neuron().index(), c));
      }
      t.addColumns(col);
    }
    return t;
  }

  /**
   * The neuron sets of this selection (per class, sorted), with each neuron's entropy: the value
   * shared with imported LAPE masks ({@link LapeMasks}) and behind the analysis tables below.
   */
  public ClassNeurons neuronSets() {
    ClassNeurons s = sets;
    if (s == null) {
      Map<Neuron, Double> h = new java.util.HashMap<>();
      assignments.forEach(a -> h.put(a.neuron(), a.aape()));
      s = ClassNeurons.of(params.toString(), counts.layers(), byClass(), h);
      sets = s;
    }
    return s;
  }

  /** Per class: number of specific neurons in all, and per layer ({@code L0}, {@code L1}, ...). */
  public Table perClass() {
    return neuronSets().perClass();
  }

  /** Per layer: distinct class-specific neurons and assignments. */
  public Table perLayer() {
    return neuronSets().perLayer();
  }

  /** Class coverage: the share of classes with at least one specific neuron, in [0, 1]. */
  public double coverage() {
    return neuronSets().coverage();
  }

  /** Mean number of specific neurons per class. */
  public double meanNeuronsPerClass() {
    return assignments.size() / (double) classes().size();
  }

  /** One-row summary: method, rates, thresholds, kept, assignments, coverage, mean per class. */
  public Table summary() {
    return Table.create("selection summary",
        StringColumn.create("method", List.of(params.method().name().toLowerCase())),
        DoubleColumn.create("filter_rate", new double[] {params.filterRate()}),
        DoubleColumn.create("top_rate", new double[] {params.topRate()}),
        DoubleColumn.create("activation_bar", new double[] {params.activationBar()}),
        DoubleColumn.create("v_filter", new double[] {vFilter}),
        DoubleColumn.create("v_bar", new double[] {vBar}),
        IntColumn.create("layers", new int[] {counts.layers()}),
        IntColumn.create("neurons_per_layer", new int[] {counts.neurons()}),
        IntColumn.create("classes", new int[] {classes().size()}),
        IntColumn.create("kept", new int[] {kept.size()}),
        IntColumn.create("specific_neurons", new int[] {allNeurons().size()}),
        IntColumn.create("assignments", new int[] {assignments.size()}),
        DoubleColumn.create("coverage", new double[] {coverage()}),
        DoubleColumn.create("mean_neurons_per_class", new double[] {meanNeuronsPerClass()}));
  }

  /** Overlap and Jaccard index of the neuron sets of every pair of classes. */
  public Table sharing() {
    return neuronSets().sharing();
  }

  /** Entropy histogram with the cut-off marked. */
  public org.knowm.xchart.XYChart plotEntropy() {
    return SelectionPlots.entropyHistogram(this);
  }

  /** Class-specific neurons per layer, stacked by class. */
  public org.knowm.xchart.CategoryChart plotLayers() {
    return SelectionPlots.layerDistribution(this);
  }

  /** Class × layer heatmap of class-specific neuron counts. */
  public org.knowm.xchart.HeatMapChart plotClassLayers() {
    return SelectionPlots.classLayerHeatmap(this);
  }

  /** Class × class heatmap of the Jaccard index of their neuron sets. */
  public org.knowm.xchart.HeatMapChart plotSharing() {
    return SelectionPlots.sharingHeatmap(this);
  }

  /** One neuron's activation probability for every class. */
  public org.knowm.xchart.CategoryChart plotNeuron(Neuron n) {
    return SelectionPlots.neuronProbabilities(this, n);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append("NeuronSelection ").append(params).append(": ").append(kept.size())
        .append(" kept of ").append(counts.layers() * counts.neurons()).append(", ")
        .append(allNeurons().size()).append(" class-specific, coverage ")
        .append(String.format("%.0f%%", 100 * coverage())).append('\n');
    sb.append(ClassListing.of(byClass()));
    warnings.forEach(w -> sb.append("  warning: ").append(w).append('\n'));
    return sb.toString().stripTrailing();
  }
}
