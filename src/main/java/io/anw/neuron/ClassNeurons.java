package io.anw.neuron;

import io.anw.WorkbenchException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Class-specific neuron sets without the statistics behind them: per class (in a fixed class
 * order), the sorted neurons specific to it, for a model of {@link #layers()} layers. A computed
 * {@link NeuronSelection} has them ({@link NeuronSelection#neuronSets()}); an imported LAPE mask
 * ({@link LapeMasks#read}) or a {@code neurons.csv} ({@link #fromTable}) is one.
 *
 * <p>The analysis shared by both lives here: {@link #table()}, {@link #perClass()},
 * {@link #perLayer()}, {@link #coverage()}, {@link #sharing()}; {@link SelectionPlots} draws the
 * layer, class × layer and sharing plots of either. Immutable; equal when name-independent
 * content (layers, classes, sets) is equal.
 */
public final class ClassNeurons {
  private final String name;
  private final int layers;
  private final List<String> classes;
  private final Map<String, List<Neuron>> byClass;
  private final Map<Neuron, Double> aape;

  private ClassNeurons(String name, int layers, List<String> classes,
      Map<String, List<Neuron>> byClass, Map<Neuron, Double> aape) {
    this.name = name;
    this.layers = layers;
    this.classes = List.copyOf(classes);
    this.byClass = Collections.unmodifiableMap(byClass);
    this.aape = Map.copyOf(aape);
  }

  /**
   * Neuron sets from per-class collections (class order = the map's order; duplicates merged;
   * every neuron must lie in {@code [0, layers)}).
   *
   * @param name a label for titles, e.g. the file the sets came from
   */
  public static ClassNeurons of(String name, int layers,
      Map<String, ? extends Collection<Neuron>> perClass) {
    return of(name, layers, perClass, Map.of());
  }

  /** As {@link #of(String, int, Map)}, with each neuron's entropy ({@code aape} column). */
  static ClassNeurons of(String name, int layers, Map<String, ? extends Collection<Neuron>> perClass,
      Map<Neuron, Double> aape) {
    if (layers < 0) {
      throw new WorkbenchException("negative layer count " + layers);
    }
    if (perClass.isEmpty()) {
      throw new WorkbenchException(name + ": no classes");
    }
    Map<String, List<Neuron>> sets = new LinkedHashMap<>();
    for (Map.Entry<String, ? extends Collection<Neuron>> e : perClass.entrySet()) {
      if (e.getKey() == null || e.getKey().isBlank()) {
        throw new WorkbenchException(name + ": a class has no name");
      }
      TreeSet<Neuron> set = new TreeSet<>(e.getValue());
      for (Neuron n : set) {
        if (n.layer() < 0 || n.layer() >= layers || n.index() < 0) {
          throw new WorkbenchException(name + ": neuron " + n + " of class " + e.getKey()
              + " is outside " + layers + " layers");
        }
      }
      sets.put(e.getKey(), List.copyOf(set));
    }
    return new ClassNeurons(name, layers, new ArrayList<>(perClass.keySet()), sets, aape);
  }

  /**
   * Neuron sets from a {@code neurons.csv}-style table ({@code layer}, {@code neuron},
   * {@code class}; an {@code aape} column is kept when present).
   *
   * @param classes the class order, including classes without neurons; null for the order of
   *     first appearance in the table
   * @param layers the model's layer count; 0 for the highest layer in the table + 1
   */
  public static ClassNeurons fromTable(String name, Table table, List<String> classes, int layers) {
    for (String col : List.of("layer", "neuron", "class")) {
      if (!table.columnNames().contains(col)) {
        throw new WorkbenchException(name + ": no '" + col + "' column (want layer,neuron,class)");
      }
    }
    Map<String, List<Neuron>> sets = new LinkedHashMap<>();
    if (classes != null) {
      classes.forEach(c -> sets.put(c, new ArrayList<>()));
    }
    Map<Neuron, Double> aape = new HashMap<>();
    boolean hasAape = table.columnNames().contains("aape");
    int maxLayer = -1;
    for (int r = 0; r < table.rowCount(); r++) {
      Neuron n = new Neuron(intAt(table, "layer", r, name), intAt(table, "neuron", r, name));
      String c = table.column("class").getString(r);
      if (classes != null && !sets.containsKey(c)) {
        throw new WorkbenchException(name + ": row " + (r + 1) + " has class '" + c
            + "', not one of " + classes);
      }
      sets.computeIfAbsent(c, k -> new ArrayList<>()).add(n);
      maxLayer = Math.max(maxLayer, n.layer());
      if (hasAape) {
        Object cell = table.column("aape").get(r);
        double v = cell instanceof Number num ? num.doubleValue() : parseOrNaN(String.valueOf(cell));
        if (!Double.isNaN(v)) {
          aape.put(n, v);
        }
      }
    }
    if (sets.isEmpty()) {
      throw new WorkbenchException(name + ": no rows and no class names given");
    }
    return of(name, layers > 0 ? layers : maxLayer + 1, sets, aape);
  }

  private static double parseOrNaN(String s) {
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  private static int intAt(Table t, String col, int row, String name) {
    Object v = t.column(col).get(row);
    if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw new WorkbenchException(name + ": row " + (row + 1) + " has " + col + " '" + v
          + "', not a whole number");
    }
    return n.intValue();
  }

  /** The label (a file name or a selection's parameters). */
  public String name() {
    return name;
  }

  /** Layers of the model (neurons lie in layers 0 .. layers-1). */
  public int layers() {
    return layers;
  }

  /** Class names, in order. */
  public List<String> classes() {
    return classes;
  }

  /** The neurons specific to one class, sorted by (layer, neuron). */
  public List<Neuron> neurons(String className) {
    List<Neuron> ns = byClass.get(className);
    if (ns == null) {
      throw new WorkbenchException("no class '" + className + "'; classes: " + classes);
    }
    return ns;
  }

  /** Every class's sorted neuron set, in class order (unmodifiable). */
  public Map<String, List<Neuron>> byClass() {
    return byClass;
  }

  /** All neurons specific to at least one class, sorted. */
  public List<Neuron> allNeurons() {
    TreeSet<Neuron> all = new TreeSet<>();
    byClass.values().forEach(all::addAll);
    return new ArrayList<>(all);
  }

  /** Number of neuron-class assignments (a neuron of two classes counts twice). */
  public int assignments() {
    return byClass.values().stream().mapToInt(List::size).sum();
  }

  /** The neurons of one class in one layer, ascending (a LAPE mask's {@code [class][layer]}). */
  public long[] indices(String className, int layer) {
    return neurons(className).stream().filter(n -> n.layer() == layer)
        .mapToLong(Neuron::index).toArray();
  }

  /**
   * One row per neuron-class assignment, class by class, then by (layer, neuron):
   * {@code layer, neuron, class, aape} (aape NaN where unknown, as for imported masks).
   */
  public Table table() {
    IntColumn layer = IntColumn.create("layer");
    IntColumn neuron = IntColumn.create("neuron");
    StringColumn cls = StringColumn.create("class");
    DoubleColumn h = DoubleColumn.create("aape");
    byClass.forEach((c, ns) -> {
      for (Neuron n : ns) {
        layer.append(n.layer());
        neuron.append(n.index());
        cls.append(c);
        h.append(aape.getOrDefault(n, Double.NaN));
      }
    });
    return Table.create("class-specific neurons (" + name + ")", layer, neuron, cls, h);
  }

  /** Per class: number of specific neurons in all, and per layer ({@code L0}, {@code L1}, ...). */
  public Table perClass() {
    StringColumn cls = StringColumn.create("class");
    IntColumn total = IntColumn.create("neurons");
    List<IntColumn> perLayer = new ArrayList<>();
    for (int l = 0; l < layers; l++) {
      perLayer.add(IntColumn.create("L" + l));
    }
    for (String c : classes) {
      List<Neuron> ns = neurons(c);
      cls.append(c);
      total.append(ns.size());
      int[] byLayer = new int[layers];
      ns.forEach(n -> byLayer[n.layer()]++);
      for (int l = 0; l < layers; l++) {
        perLayer.get(l).append(byLayer[l]);
      }
    }
    Table t = Table.create("class-specific neurons per class and layer", cls, total);
    perLayer.forEach(t::addColumns);
    return t;
  }

  /** Per layer: distinct class-specific neurons and assignments. */
  public Table perLayer() {
    IntColumn layer = IntColumn.create("layer");
    IntColumn distinct = IntColumn.create("neurons");
    IntColumn assigned = IntColumn.create("assignments");
    int[] d = new int[layers];
    int[] a = new int[layers];
    allNeurons().forEach(n -> d[n.layer()]++);
    byClass.values().forEach(ns -> ns.forEach(n -> a[n.layer()]++));
    for (int l = 0; l < layers; l++) {
      layer.append(l);
      distinct.append(d[l]);
      assigned.append(a[l]);
    }
    return Table.create("layer distribution of class-specific neurons", layer, distinct, assigned);
  }

  /** Class coverage: the share of classes with at least one specific neuron, in [0, 1]. */
  public double coverage() {
    return byClass.values().stream().filter(l -> !l.isEmpty()).count() / (double) classes.size();
  }

  /** Mean number of specific neurons per class. */
  public double meanNeuronsPerClass() {
    return assignments() / (double) classes.size();
  }

  /** One-row summary: classes, layers, specific neurons, assignments, coverage, mean per class. */
  public Table summary() {
    return Table.create("neuron sets summary",
        StringColumn.create("source", List.of(name)),
        IntColumn.create("layers", new int[] {layers}),
        IntColumn.create("classes", new int[] {classes.size()}),
        IntColumn.create("specific_neurons", new int[] {allNeurons().size()}),
        IntColumn.create("assignments", new int[] {assignments()}),
        DoubleColumn.create("coverage", new double[] {coverage()}),
        DoubleColumn.create("mean_neurons_per_class", new double[] {meanNeuronsPerClass()}));
  }

  /** Overlap and Jaccard index of the neuron sets of every pair of classes. */
  public Table sharing() {
    return Sharing.pairs(this, this, false);
  }

  /** Every class of these sets against every class of {@code other} (same model depth). */
  public Table sharingWith(ClassNeurons other) {
    return Sharing.between(this, other);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClassNeurons c && layers == c.layers && classes.equals(c.classes)
        && byClass.equals(c.byClass);
  }

  @Override
  public int hashCode() {
    return byClass.hashCode() * 31 + layers;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append("ClassNeurons ").append(name).append(": ").append(classes.size())
        .append(" classes x ").append(layers).append(" layers, ").append(allNeurons().size())
        .append(" class-specific, coverage ")
        .append(String.format("%.0f%%", 100 * coverage())).append('\n');
    sb.append(ClassListing.of(byClass));
    return sb.toString().stripTrailing();
  }
}
