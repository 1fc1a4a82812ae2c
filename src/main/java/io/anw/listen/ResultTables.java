package io.anw.listen;

import io.anw.WorkbenchException;
import io.anw.report.CsvFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result folders of other verbs as the explorer shows them: an {@code ablate} folder
 * ({@code summary.csv}, {@code per_class.csv}, {@code deactivation.png}) and a {@code grounding}
 * folder ({@code grounding.csv}: {@code class,layer,neuron,delta_audio,delta_text,gc,grounding}).
 *
 * @param dir the folder
 * @param tables its CSV files by name, each a header and rows of cells
 * @param figures its PNG files
 */
public record ResultTables(Path dir, Map<String, List<List<String>>> tables, List<Path> figures) {
  /**
   * Reads the CSVs and finds the PNGs of a result folder, requiring {@code needed} among them.
   *
   * @throws WorkbenchException naming the folder and the missing file
   */
  public static ResultTables read(Path dir, String what, String... needed) {
    if (!Files.isDirectory(dir)) {
      throw new WorkbenchException(dir + ": no such folder (the output of `" + what + " --out`)");
    }
    for (String n : needed) {
      if (!Files.isRegularFile(dir.resolve(n))) {
        throw new WorkbenchException(dir + ": no " + n + "; is it the output of `" + what
            + " --out`?");
      }
    }
    Map<String, List<List<String>>> tables = new LinkedHashMap<>();
    List<Path> figures = new ArrayList<>();
    try (var files = Files.list(dir)) {
      for (Path p : files.sorted().toList()) {
        String name = p.getFileName().toString();
        if (name.endsWith(".csv")) {
          List<List<String>> rows = new ArrayList<>();
          CsvFiles.read(p).forEach(r -> rows.add(r.fields()));
          tables.put(name, rows);
        } else if (name.endsWith(".png")) {
          figures.add(p);
        }
      }
    } catch (java.io.IOException e) {
      throw new WorkbenchException(dir + ": cannot list (" + e.getMessage() + ")", e);
    }
    return new ResultTables(dir, tables, figures);
  }

  /** The rows of {@code table} (header excluded) as column name to cell. */
  public List<Map<String, String>> rows(String table) {
    List<List<String>> t = tables.get(table);
    List<Map<String, String>> out = new ArrayList<>();
    if (t == null || t.isEmpty()) {
      return out;
    }
    List<String> header = t.get(0);
    for (List<String> r : t.subList(1, t.size())) {
      Map<String, String> m = new LinkedHashMap<>();
      for (int i = 0; i < header.size() && i < r.size(); i++) {
        m.put(header.get(i).strip(), r.get(i));
      }
      out.add(m);
    }
    return out;
  }

  /** The header of {@code table} (empty when absent). */
  public List<String> header(String table) {
    List<List<String>> t = tables.get(table);
    return t == null || t.isEmpty() ? List.of() : t.get(0);
  }
}
