package io.anw.neuron;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Neurons shared between classes: for pairs of classes, the overlap |A ∩ B| and the Jaccard
 * index |A ∩ B| / |A ∪ B| (0 when both are empty) of their class-specific neuron sets.
 */
public final class Sharing {
  private Sharing() {}

  /**
   * Sharing between the classes of two tasks selected on the same model (e.g. pitch octaves vs
   * instrument families): every class of {@code a} against every class of {@code b}.
   */
  public static Table between(NeuronSelection a, NeuronSelection b) {
    if (a.counts().layers() != b.counts().layers()
        || a.counts().neurons() != b.counts().neurons()) {
      throw new io.anw.WorkbenchException("selections come from models of different shapes");
    }
    return pairs(a.neuronSets(), b.neuronSets(), true);
  }

  /**
   * Sharing between any two neuron sets of the same model depth (computed selections, imported
   * LAPE masks): every class of {@code a} against every class of {@code b}.
   */
  public static Table between(ClassNeurons a, ClassNeurons b) {
    if (a.layers() != b.layers()) {
      throw new io.anw.WorkbenchException("neuron sets of models of different depths ("
          + a.layers() + " vs " + b.layers() + " layers)");
    }
    return pairs(a, b, true);
  }

  /** Jaccard index of two neuron sets. */
  public static double jaccard(List<Neuron> a, List<Neuron> b) {
    Set<Neuron> union = new HashSet<>(a);
    union.addAll(b);
    return union.isEmpty() ? 0.0 : overlap(a, b) / (double) union.size();
  }

  /** |A ∩ B|. */
  public static int overlap(List<Neuron> a, List<Neuron> b) {
    Set<Neuron> inter = new HashSet<>(a);
    inter.retainAll(new HashSet<>(b));
    return inter.size();
  }

  static Table pairs(ClassNeurons a, ClassNeurons b, boolean allPairs) {
    StringColumn ca = StringColumn.create("class_a");
    StringColumn cb = StringColumn.create("class_b");
    IntColumn na = IntColumn.create("neurons_a");
    IntColumn nb = IntColumn.create("neurons_b");
    IntColumn overlap = IntColumn.create("overlap");
    DoubleColumn jaccard = DoubleColumn.create("jaccard");
    List<String> classesA = a.classes();
    List<String> classesB = b.classes();
    for (int i = 0; i < classesA.size(); i++) {
      for (int j = allPairs ? 0 : i + 1; j < classesB.size(); j++) {
        List<Neuron> sa = a.neurons(classesA.get(i));
        List<Neuron> sb = b.neurons(classesB.get(j));
        if (!allPairs && sa.isEmpty() && sb.isEmpty()) {
          continue; // two empty sets share nothing worth a row
        }
        ca.append(classesA.get(i));
        cb.append(classesB.get(j));
        na.append(sa.size());
        nb.append(sb.size());
        overlap.append(overlap(sa, sb));
        jaccard.append(jaccard(sa, sb));
      }
    }
    return Table.create(allPairs ? "neurons shared across tasks"
        : "neurons shared between classes (pairs of two empty classes left out)",
        ca, cb, na, nb, overlap, jaccard);
  }
}
