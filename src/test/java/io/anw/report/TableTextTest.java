package io.anw.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class TableTextTest {
  private static Table wide(int columns, int rows) {
    Table t = Table.create("per class", StringColumn.create("class"));
    for (int r = 0; r < rows; r++) {
      t.stringColumn(0).append("chromatic_percussion_" + r);
    }
    for (int c = 0; c < columns; c++) {
      DoubleColumn d = DoubleColumn.create(c == columns - 1 ? "p" : "random_prob_drop_" + c);
      for (int r = 0; r < rows; r++) {
        d.append(0.1 * r + 0.2 - 1e-17 * c);
      }
      t.addColumns(d);
    }
    return t;
  }

  @Test
  void wideTablesSplitIntoBlocksThatFitAndRepeatTheLabels() {
    String text = TableText.render(wide(12, 3), 100, 30);
    List<String> lines = text.lines().toList();
    assertTrue(lines.stream().allMatch(l -> l.length() <= 100), text);
    long labelHeaders = lines.stream().filter(l -> l.startsWith("class ")).count();
    assertTrue(labelHeaders >= 2, "split into blocks, each with the label column:\n" + text);
    for (int c = 0; c < 11; c++) {
      assertTrue(text.contains("random_prob_drop_" + c), "every column is shown: " + c);
    }
    assertTrue(text.contains("0.2000"), text);
    assertFalse(text.contains("0.20000000"), text);
    assertTrue(text.contains("0.400"), "the p column has 3 decimals:\n" + text);
  }

  @Test
  void longTablesSayHowManyRowsAreLeftOut() {
    String text = TableText.render(wide(1, 50), 120, 10);
    assertTrue(text.contains("… 40 more rows (50 in all)"), text);
    assertEquals(1 + 2 + 10 + 1, text.lines().count(), text);
  }

  @Test
  void wholeNumbersStayWholeAndTextIsLeftAligned() {
    Table t = Table.create("t", StringColumn.create("class", "a", "bbbb"),
        IntColumn.create("neurons", 3, 17), DoubleColumn.create("seconds", 26.0, 2.0));
    String text = TableText.render(t, 120, 30);
    assertTrue(text.contains("a            3       26"), text);
    assertTrue(text.contains("bbbb        17        2"), text);
  }

  @Test
  void emptyTablesSaySo() {
    Table t = Table.create("none", StringColumn.create("class"), IntColumn.create("n"));
    assertTrue(TableText.render(t).contains("(no rows)"));
  }
}
