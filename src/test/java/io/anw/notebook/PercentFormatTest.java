package io.anw.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Parsing and writing the percent format. */
class PercentFormatTest {
  static final String TEXT = String.join("\n",
      "int setup = 1;",            // 1: code before the first marker
      "",
      "// %% [markdown]",          // 3
      "// # Title",                // 4
      "// Some *text*.",
      "//",
      "// %% Load data",           // 7: a titled code cell
      "",
      "int x = 2;",                // 9
      "// %%",                     // 10
      "x + setup",                 // 11
      "");

  @Test
  void cellsKindsSourcesAndLines() {
    List<Cell> cells = PercentFormat.parse(TEXT);
    assertEquals(4, cells.size());
    assertEquals(new Cell(Cell.Kind.CODE, "int setup = 1;", 1), cells.get(0));
    assertEquals(new Cell(Cell.Kind.MARKDOWN, "# Title\nSome *text*.", 4), cells.get(1));
    assertEquals(new Cell(Cell.Kind.CODE, "int x = 2;", 9), cells.get(2));
    assertEquals(new Cell(Cell.Kind.CODE, "x + setup", 11), cells.get(3));
  }

  @Test
  void renderThenParseGivesTheSameCells() {
    List<Cell> cells = PercentFormat.parse(TEXT);
    List<Cell> again = PercentFormat.parse(PercentFormat.render(cells));
    assertEquals(cells.stream().map(Cell::source).toList(),
        again.stream().map(Cell::source).toList());
    assertEquals(cells.stream().map(Cell::kind).toList(), again.stream().map(Cell::kind).toList());
  }
}
