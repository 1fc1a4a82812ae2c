package io.anw.neuron;

import io.anw.WorkbenchException;
import io.anw.report.CsvFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Reads neuron lists from a {@code neurons.csv} ({@code layer,neuron,class,aape} as written by
 * {@code aape}; extra columns ignored) or from any CSV with {@code layer,neuron} columns.
 */
public final class NeuronCsv {
  private NeuronCsv() {}

  /**
   * The distinct neurons of the file, sorted; only the rows of {@code className} when it is not
   * {@code null} (the file then needs a {@code class} column).
   */
  public static List<Neuron> read(Path file, String className) {
    List<CsvFiles.Row> rows = CsvFiles.read(file);
    if (rows.isEmpty()) {
      throw new WorkbenchException(file + ": empty; expected a header layer,neuron[,class,...]");
    }
    List<String> header = rows.get(0).fields().stream().map(String::strip).toList();
    int layer = header.indexOf("layer");
    int neuron = header.indexOf("neuron");
    int cls = header.indexOf("class");
    if (layer < 0 || neuron < 0) {
      throw new WorkbenchException(file + ": header needs 'layer' and 'neuron' columns, has "
          + header);
    }
    if (className != null && cls < 0) {
      throw new WorkbenchException(file + ": no 'class' column to select class " + className);
    }
    TreeSet<Neuron> out = new TreeSet<>();
    List<String> classes = new ArrayList<>();
    for (CsvFiles.Row row : rows.subList(1, rows.size())) {
      List<String> f = row.fields();
      if (f.size() < header.size()) {
        throw new WorkbenchException(file + ": line " + row.line() + " has " + f.size()
            + " fields, the header " + header.size());
      }
      if (cls >= 0 && !classes.contains(f.get(cls))) {
        classes.add(f.get(cls));
      }
      if (className != null && !f.get(cls).equals(className)) {
        continue;
      }
      try {
        out.add(new Neuron(Integer.parseInt(f.get(layer).strip()),
            Integer.parseInt(f.get(neuron).strip())));
      } catch (NumberFormatException e) {
        throw new WorkbenchException(file + ": line " + row.line() + ": layer and neuron must be"
            + " integers");
      }
    }
    if (className != null && out.isEmpty()) {
      throw new WorkbenchException(file + ": no neurons of class '" + className + "' (classes: "
          + String.join(", ", classes) + ")");
    }
    return new ArrayList<>(out);
  }
}
