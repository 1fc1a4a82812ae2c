package io.anw.pipeline;

import io.anw.WorkbenchException;
import io.anw.activation.ActivationCounts;
import io.anw.model.HookNames;
import io.anw.neuron.EntropySelector;
import io.anw.neuron.Neuron;
import io.anw.neuron.NeuronSelection;
import io.anw.neuron.SelectionParams;
import io.anw.report.NumberText;
import io.anw.sae.SparseAutoencoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Neurons against SAE features, for the same model, layer, data and selection settings: the
 * neuron counts are cut to the SAE's block, both are selected with the same parameters
 * (AAPE by default), and the result puts side by side units, class-specific units, class
 * coverage and polysemanticity (mean classes per class-specific unit), the classes that share
 * units, and, for each neuron specific to several classes, the features whose decoder rows write
 * most to it (with the SAE; the SAE must read that block's {@code mlp.hook_post}).
 */
public final class SaeComparison {
  /** Features listed per polysemantic neuron. */
  public static final int FEATURES_PER_NEURON = 5;

  private final NeuronSelection neurons;
  private final NeuronSelection features;
  private final int block;
  private final float[] wDec; // [d_sae, d_in], null without the SAE

  private SaeComparison(NeuronSelection neurons, NeuronSelection features, int block,
      float[] wDec) {
    this.neurons = neurons;
    this.features = features;
    this.block = block;
    this.wDec = wDec;
  }

  /**
   * Compares neuron counts (all layers, {@code blocks.*.mlp.hook_post}) with feature counts
   * ({@code count --sae}) of the same data.
   *
   * @param sae the SAE the features belong to (for the decoder split), or null
   * @throws WorkbenchException when the two count sets are not of one model and data, or the
   *     features are not of an SAE on that model's MLP neurons
   */
  public static SaeComparison of(ActivationCounts neuronCounts, ActivationCounts featureCounts,
      SelectionParams params, SparseAutoencoder sae) {
    String fHook = featureCounts.hook();
    if (!fHook.endsWith(".hook_sae_acts_post") || featureCounts.layers() != 1) {
      throw new WorkbenchException("the second counts are not SAE feature counts (hook " + fHook
          + "; make them with `count --sae`)");
    }
    int block = HookNames.blockOf(fHook);
    if (!neuronCounts.classes().equals(featureCounts.classes())) {
      throw new WorkbenchException("the counts have different classes: "
          + neuronCounts.classes() + " vs " + featureCounts.classes());
    }
    for (String key : List.of("weights_sha256", "dataset_sha256", "data_sha256", "tokens")) {
      String a = neuronCounts.provenance().get(key);
      String b = featureCounts.provenance().get(key);
      if (a != null && b != null && !a.equals(b)) {
        throw new WorkbenchException("the counts are not of the same model and data ("
            + key + " differs)");
      }
    }
    ActivationCounts layer = neuronCounts;
    if (neuronCounts.layers() > 1) {
      if (block < 0 || block >= neuronCounts.layers()) {
        throw new WorkbenchException("the SAE's block " + block + " is not a layer of the "
            + "neuron counts (" + neuronCounts.layers() + " layers)");
      }
      layer = layerOf(neuronCounts, block);
    }
    NeuronSelection ns = EntropySelector.select(layer, params);
    NeuronSelection fs = EntropySelector.select(featureCounts, params);
    float[] wDec = null;
    if (sae != null) {
      if (!sae.hookName().equals(HookNames.neurons(block)) || sae.dIn() != layer.neurons()) {
        throw new WorkbenchException("the SAE reads " + sae.hookName() + " (d_in " + sae.dIn()
            + "); the decoder split needs an SAE on " + HookNames.neurons(block));
      }
      wDec = sae.wDec().toFloatArray();
    }
    return new SaeComparison(ns, fs, block, wDec);
  }

  private static ActivationCounts layerOf(ActivationCounts c, int l) {
    int j = c.neurons();
    int k = c.classes().size();
    long[] all = c.overZeroFlat();
    long[] one = Arrays.copyOfRange(all, l * j * k, (l + 1) * j * k);
    return new ActivationCounts(1, j, c.classes(), one, c.nPerClass(), HookNames.neurons(l),
        c.provenance());
  }

  /**
   * The features whose decoder rows write most to neuron {@code j} of the block (largest
   * |W_dec[f, j]| first, {@link #FEATURES_PER_NEURON} of them), with the classes each is
   * specific to; rows for several neurons when given several.
   *
   * @throws WorkbenchException without the SAE, or for a neuron outside the block
   */
  public Table split(int... js) {
    if (wDec == null) {
      throw new WorkbenchException("the decoder split needs the SAE (--sae / compareSae(..., sae))");
    }
    int dIn = neurons.counts().neurons();
    int dSae = wDec.length / dIn;
    Map<Integer, List<String>> neuronClasses = classesOf(neurons);
    Map<Integer, List<String>> featureClasses = classesOf(features);
    StringColumn neuron = StringColumn.create("neuron");
    StringColumn nClasses = StringColumn.create("neuron_classes");
    IntColumn rank = IntColumn.create("rank");
    IntColumn feature = IntColumn.create("feature");
    DoubleColumn weight = DoubleColumn.create("decoder_weight");
    StringColumn fClasses = StringColumn.create("feature_classes");
    for (int j : js) {
      if (j < 0 || j >= dIn) {
        throw new WorkbenchException("neuron " + j + " is outside block " + block + " (" + dIn
            + " neurons)");
      }
      Integer[] order = new Integer[dSae];
      for (int f = 0; f < order.length; f++) {
        order[f] = f;
      }
      Arrays.sort(order, (a, b) -> Float.compare(Math.abs(wDec[b * dIn + j]),
          Math.abs(wDec[a * dIn + j])));
      for (int r = 0; r < Math.min(FEATURES_PER_NEURON, order.length); r++) {
        int f = order[r];
        neuron.append(Integer.toString(j));
        nClasses.append(String.join(" ", neuronClasses.getOrDefault(j, List.of())));
        rank.append(r + 1);
        feature.append(f);
        weight.append(wDec[f * dIn + j]);
        fClasses.append(String.join(" ", featureClasses.getOrDefault(f, List.of())));
      }
    }
    return Table.create("features writing most to neurons of block " + block, neuron, nClasses,
        rank, feature, weight, fClasses);
  }

  /**
   * For each neuron specific to 2+ classes, the features writing most to it (null without the
   * SAE; empty when no neuron is specific to several classes).
   */
  public Table split() {
    if (wDec == null) {
      return null;
    }
    return split(classesOf(neurons).entrySet().stream().filter(e -> e.getValue().size() > 1)
        .mapToInt(Map.Entry::getKey).toArray());
  }

  /**
   * The block's most broadly tuned neuron: the one whose activation probability is above the
   * selection's bar for the most classes (ties: the lower entropy), whether or not it passed the
   * entropy quota; -1 when no neuron passes the bar for any class.
   */
  public int broadestNeuron() {
    int best = -1;
    int bestClasses = 0;
    int k = neurons.classes().size();
    for (int j = 0; j < neurons.counts().neurons(); j++) {
      int above = 0;
      for (int c = 0; c < k; c++) {
        above += neurons.probability(0, j, c) > neurons.vBar() ? 1 : 0;
      }
      if (above > bestClasses || (above == bestClasses && above > 0
          && neurons.entropy(0, j) < neurons.entropy(0, best))) {
        best = j;
        bestClasses = above;
      }
    }
    return best;
  }

  /** The classes for which neuron {@code j}'s activation probability is above the bar. */
  public List<String> classesAboveBar(int j) {
    List<String> out = new ArrayList<>();
    for (int c = 0; c < neurons.classes().size(); c++) {
      if (neurons.probability(0, j, c) > neurons.vBar()) {
        out.add(neurons.classes().get(c));
      }
    }
    return out;
  }

  private static Map<Integer, List<String>> classesOf(NeuronSelection s) {
    Map<Integer, List<String>> out = new LinkedHashMap<>();
    for (NeuronSelection.Assignment a : s.assignments()) {
      out.computeIfAbsent(a.neuron().index(), k -> new ArrayList<>())
          .add(s.classes().get(a.classIndex()));
    }
    return out;
  }

  /** The neurons' selection (the SAE's block only). */
  public NeuronSelection neurons() {
    return neurons;
  }

  /** The features' selection. */
  public NeuronSelection features() {
    return features;
  }

  /** The block compared. */
  public int block() {
    return block;
  }

  /** Mean classes per class-specific unit (1 = every unit answers one class). */
  static double polysemanticity(NeuronSelection s) {
    int units = s.allNeurons().size();
    return units == 0 ? Double.NaN : s.assignments().size() / (double) units;
  }

  private static int multiClass(NeuronSelection s) {
    return (int) classesOf(s).values().stream().filter(c -> c.size() > 1).count();
  }

  /** The side-by-side figures: one row per measure, a column for neurons and for features. */
  public Table summary() {
    StringColumn measure = StringColumn.create("measure", "units", "class-specific units",
        "class coverage", "classes per class-specific unit", "units specific to 2+ classes");
    DoubleColumn n = DoubleColumn.create("neurons", row(neurons));
    DoubleColumn f = DoubleColumn.create("features", row(features));
    return Table.create("neurons vs SAE features, block " + block, measure, n, f);
  }

  private static double[] row(NeuronSelection s) {
    return new double[] {s.counts().neurons(), s.allNeurons().size(), s.coverage(),
        polysemanticity(s), multiClass(s)};
  }

  /**
   * Class pairs that share units, with how many neurons and how many features they share
   * (pairs sharing neither are left out).
   */
  public Table sharing() {
    List<String> classes = neurons.classes();
    StringColumn a = StringColumn.create("class_a");
    StringColumn b = StringColumn.create("class_b");
    IntColumn sn = IntColumn.create("neurons_shared");
    IntColumn sf = IntColumn.create("features_shared");
    for (int i = 0; i < classes.size(); i++) {
      for (int k = i + 1; k < classes.size(); k++) {
        int x = shared(neurons, classes.get(i), classes.get(k));
        int y = shared(features, classes.get(i), classes.get(k));
        if (x + y > 0) {
          a.append(classes.get(i));
          b.append(classes.get(k));
          sn.append(x);
          sf.append(y);
        }
      }
    }
    return Table.create("units shared between classes", a, b, sn, sf);
  }

  private static int shared(NeuronSelection s, String x, String y) {
    List<Neuron> nx = s.neurons(x);
    return (int) s.neurons(y).stream().filter(nx::contains).count();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
        "Neurons vs SAE features, block %d (%s):%n", block, neurons.params()));
    sb.append(String.format(Locale.ROOT, "  %-34s %10s %10s%n", "", "neurons", "features"));
    Table t = summary();
    for (int r = 0; r < t.rowCount(); r++) {
      double x = t.doubleColumn("neurons").getDouble(r);
      double y = t.doubleColumn("features").getDouble(r);
      boolean whole = r == 0 || r == 1 || r == 4;
      sb.append(String.format(Locale.ROOT, "  %-34s %10s %10s%n", t.stringColumn("measure")
          .get(r), whole ? Long.toString((long) x) : NumberText.fixed(x, 3),
          whole ? Long.toString((long) y) : NumberText.fixed(y, 3)));
    }
    if (neurons.allNeurons().isEmpty() && features.allNeurons().isEmpty()) {
      sb.append("  warning: neither neurons nor features are class-specific at these settings\n");
    }
    Table split = split();
    if (split != null) {
      Map<String, List<String>> byNeuron = new LinkedHashMap<>();
      for (int r = 0; r < split.rowCount(); r++) {
        byNeuron.computeIfAbsent("N" + split.stringColumn("neuron").get(r) + " ("
            + split.stringColumn("neuron_classes").get(r) + ")", k -> new ArrayList<>())
            .add("F" + split.intColumn("feature").get(r) + (split.stringColumn(
                "feature_classes").get(r).isEmpty() ? "" : " [" + split.stringColumn(
                "feature_classes").get(r) + "]"));
      }
      sb.append("  ").append(NumberText.count(byNeuron.size(), "neuron"))
          .append(" specific to 2+ classes");
      sb.append(byNeuron.isEmpty() ? "\n" : "; the features writing most to the first:\n");
      byNeuron.entrySet().stream().limit(3).forEach(e -> sb.append("    ").append(e.getKey())
          .append(": ").append(e.getValue().stream().collect(Collectors.joining(", ")))
          .append('\n'));
    }
    return sb.toString().stripTrailing();
  }
}
