package io.anw.neuron;

import io.anw.WorkbenchException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new WorkbenchException(file + ": cannot read (" + e.getMessage() + ")", e);
    }
    if (lines.isEmpty()) {
      throw new WorkbenchException(file + ": empty; expected a header layer,neuron[,class,...]");
    }
    List<String> header = Arrays.stream(lines.get(0).split(",", -1)).map(String::strip).toList();
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
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(",", -1);
      if (f.length < header.size()) {
        throw new WorkbenchException(file + ": row " + (i + 1) + " has " + f.length
            + " fields, the header " + header.size());
      }
      if (cls >= 0 && !classes.contains(f[cls].strip())) {
        classes.add(f[cls].strip());
      }
      if (className != null && !f[cls].strip().equals(className)) {
        continue;
      }
      try {
        out.add(new Neuron(Integer.parseInt(f[layer].strip()), Integer.parseInt(f[neuron].strip())));
      } catch (NumberFormatException e) {
        throw new WorkbenchException(file + ": row " + (i + 1) + ": layer and neuron must be"
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
