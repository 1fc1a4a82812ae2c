package io.anw.notebook;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A notebook after a run: its cells with outputs, and the provenance shown in the HTML header
 * and the ipynb metadata (date, versions, hashes of models and data used).
 */
public record ExecutedNotebook(Path source, List<ExecutedCell> cells,
    Map<String, String> provenance) {
  /**
   * A percent-format notebook as it stands before any run: every cell without outputs (to open
   * and run in Jupyter with the workbench's kernel).
   */
  public static ExecutedNotebook unexecuted(Path file) {
    String text;
    try {
      text = java.nio.file.Files.readString(file, java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new io.anw.WorkbenchException(file + ": cannot read notebook (" + e.getMessage()
          + ")", e);
    }
    List<ExecutedCell> cells = PercentFormat.parse(text).stream()
        .map(c -> new ExecutedCell(c, 0, List.of(), false, 0)).toList();
    return new ExecutedNotebook(file, cells, Map.of());
  }

  /** Whether some cell failed. */
  public boolean failed() {
    return cells.stream().anyMatch(ExecutedCell::failed);
  }

  /** The title: the first markdown heading, else the file name. */
  public String title() {
    for (ExecutedCell c : cells) {
      if (c.cell().kind() == Cell.Kind.MARKDOWN) {
        for (String line : c.cell().source().split("\n")) {
          if (line.startsWith("# ")) {
            return line.substring(2).strip();
          }
        }
      }
    }
    return source.getFileName().toString();
  }
}
