package io.anw.listen;

import io.anw.WorkbenchException;
import io.anw.neuron.Neuron;
import io.anw.report.CsvFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A selection as the explorer reads it: {@code neurons.csv} ({@code layer,neuron[,class][,aape]},
 * one row per unit-class assignment, as {@code aape} writes it), the classes in order of first
 * appearance, each unit's classes and AAPE entropy (NaN when the file has none).
 *
 * @param file the file read
 * @param byClass units per class, in file order
 * @param classesOf classes per unit
 * @param entropy AAPE entropy per unit
 */
public record ClassAssignments(Path file, Map<String, List<Neuron>> byClass,
    Map<Neuron, List<String>> classesOf, Map<Neuron, Double> entropy) {
  /** Reads {@code neurons.csv}; a file without a class column puts every unit in class "-". */
  public static ClassAssignments read(Path file) {
    List<CsvFiles.Row> rows = CsvFiles.read(file);
    if (rows.isEmpty()) {
      throw new WorkbenchException(file + ": empty; expected a header layer,neuron[,class,aape]");
    }
    List<String> header = rows.get(0).fields().stream().map(String::strip).toList();
    int layer = header.indexOf("layer");
    int neuron = header.indexOf("neuron");
    int cls = header.indexOf("class");
    int aape = header.indexOf("aape");
    if (layer < 0 || neuron < 0) {
      throw new WorkbenchException(file + ": header needs 'layer' and 'neuron' columns, has "
          + header);
    }
    Map<String, List<Neuron>> byClass = new LinkedHashMap<>();
    Map<Neuron, List<String>> classesOf = new LinkedHashMap<>();
    Map<Neuron, Double> entropy = new LinkedHashMap<>();
    for (CsvFiles.Row row : rows.subList(1, rows.size())) {
      List<String> f = row.fields();
      if (f.size() < header.size()) {
        throw new WorkbenchException(file + ": line " + row.line() + " has " + f.size()
            + " fields, the header " + header.size());
      }
      Neuron n;
      try {
        n = new Neuron(Integer.parseInt(f.get(layer).strip()),
            Integer.parseInt(f.get(neuron).strip()));
      } catch (NumberFormatException e) {
        throw new WorkbenchException(file + ": line " + row.line() + ": layer and neuron must be"
            + " integers, got " + f.get(layer) + "," + f.get(neuron));
      }
      String c = cls < 0 ? "-" : f.get(cls).strip();
      byClass.computeIfAbsent(c, x -> new ArrayList<>()).add(n);
      List<String> of = classesOf.computeIfAbsent(n, x -> new ArrayList<>());
      if (!of.contains(c)) {
        of.add(c);
      }
      double h = Double.NaN;
      if (aape >= 0 && !f.get(aape).isBlank()) {
        try {
          h = Double.parseDouble(f.get(aape).strip());
        } catch (NumberFormatException e) {
          throw new WorkbenchException(file + ": line " + row.line() + ": aape '" + f.get(aape)
              + "' is not a number");
        }
      }
      entropy.putIfAbsent(n, h);
    }
    if (classesOf.isEmpty()) {
      throw new WorkbenchException(file + ": no units listed (an empty selection: nothing to"
          + " explore)");
    }
    return new ClassAssignments(file, byClass, classesOf, entropy);
  }

  /**
   * A selection made in this session ({@code WB.aape(counts)}), as if read from the
   * {@code neurons.csv} it would write; {@code name} stands for the file in provenance.
   */
  public static ClassAssignments of(io.anw.neuron.NeuronSelection s, String name) {
    Map<String, List<Neuron>> byClass = new LinkedHashMap<>();
    Map<Neuron, List<String>> classesOf = new LinkedHashMap<>();
    Map<Neuron, Double> entropy = new LinkedHashMap<>();
    for (io.anw.neuron.NeuronSelection.Assignment a : s.assignments()) {
      String c = s.classes().get(a.classIndex());
      byClass.computeIfAbsent(c, x -> new ArrayList<>()).add(a.neuron());
      classesOf.computeIfAbsent(a.neuron(), x -> new ArrayList<>()).add(c);
      entropy.putIfAbsent(a.neuron(), a.aape());
    }
    if (classesOf.isEmpty()) {
      throw new WorkbenchException("the selection assigns no unit to any class: nothing to"
          + " explore (try SelectionMethod.LAPE.defaults())");
    }
    return new ClassAssignments(Path.of(name), byClass, classesOf, entropy);
  }

  /**
   * The units kept: per class the {@code perClass} with the lowest entropy (file order on
   * ties), in class order; 0 keeps all.
   */
  public List<Neuron> kept(int perClass) {
    Set<Neuron> out = new LinkedHashSet<>();
    for (List<Neuron> units : byClass.values()) {
      List<Neuron> sorted = new ArrayList<>(units);
      sorted.sort(java.util.Comparator.comparingDouble(
          (Neuron n) -> Double.isNaN(entropy.get(n)) ? Double.MAX_VALUE : entropy.get(n)));
      out.addAll(perClass <= 0 ? sorted : sorted.subList(0, Math.min(perClass, sorted.size())));
    }
    return List.copyOf(out);
  }

  /** All units listed. */
  public List<Neuron> units() {
    return List.copyOf(classesOf.keySet());
  }
}
