package io.anw.report;

import java.util.ArrayList;
import java.util.List;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * A Tablesaw table as text for people: numbers by the one rule ({@link NumberText}: p-values,
 * z-scores, counts and decimals each with their digits; columns of whole numbers as integers),
 * text left-aligned and numbers right-aligned, and never wider than the screen: columns that do
 * not fit go to further blocks, each repeating the first (label) column. Long tables show their
 * first rows and say how many more there are.
 */
public final class TableText {
  /** Width when the terminal's is not known ({@code COLUMNS} unset). */
  public static final int DEFAULT_WIDTH = 120;

  /** Rows shown before "… N more rows". */
  public static final int DEFAULT_ROWS = 30;

  private static final String GAP = "  ";

  private TableText() {}

  /** The table in the screen's width ({@code COLUMNS}, else {@value #DEFAULT_WIDTH}). */
  public static String render(Table table) {
    return render(table, width(), DEFAULT_ROWS);
  }

  /** Every row of the table, in the screen's width. */
  public static String all(Table table) {
    return render(table, width(), Integer.MAX_VALUE);
  }

  /** System property a terminal program sets to its current width (the REPL does). */
  public static final String WIDTH_PROPERTY = "workbench.columns";

  /**
   * The screen's width in columns: the {@value #WIDTH_PROPERTY} property (set by the REPL from
   * its terminal), else {@code COLUMNS}, else 120.
   */
  public static int width() {
    String c = System.getProperty(WIDTH_PROPERTY, System.getenv("COLUMNS"));
    try {
      int w = c == null ? DEFAULT_WIDTH : Integer.parseInt(c.strip());
      return w >= 40 ? Math.min(w, 400) : DEFAULT_WIDTH;
    } catch (NumberFormatException e) {
      return DEFAULT_WIDTH;
    }
  }

  /**
   * The table at most {@code width} columns wide (a single column wider than that is cut with
   * an ellipsis), showing at most {@code maxRows} rows.
   */
  public static String render(Table table, int width, int maxRows) {
    int rows = Math.min(table.rowCount(), Math.max(1, maxRows));
    int nc = table.columnCount();
    String[][] cells = new String[nc][];
    boolean[] numeric = new boolean[nc];
    int[] widths = new int[nc];
    for (int c = 0; c < nc; c++) {
      Column<?> col = table.column(c);
      numeric[c] = isNumeric(col);
      cells[c] = cells(col, rows);
      widths[c] = Math.min(col.name().length(), width);
      for (String s : cells[c]) {
        widths[c] = Math.max(widths[c], Math.min(s.length(), width));
      }
    }
    StringBuilder sb = new StringBuilder();
    if (table.name() != null && !table.name().isBlank()) {
      sb.append(cut(table.name(), width)).append('\n');
    }
    if (nc == 0) {
      return sb.append("(no columns)\n").toString();
    }
    boolean label = !numeric[0] && nc > 1;
    List<List<Integer>> blocks = blocks(widths, label, width);
    for (int b = 0; b < blocks.size(); b++) {
      List<Integer> cols = blocks.get(b);
      if (b > 0) {
        sb.append('\n');
      }
      line(sb, cols, c -> table.column(c).name(), widths, numeric, width);
      line(sb, cols, c -> "-".repeat(widths[c]), widths, numeric, width);
      for (int r = 0; r < rows; r++) {
        int row = r;
        line(sb, cols, c -> cells[c][row], widths, numeric, width);
      }
    }
    if (table.rowCount() == 0) {
      sb.append("(no rows)\n");
    } else if (table.rowCount() > rows) {
      sb.append("… ").append(table.rowCount() - rows).append(" more rows (")
          .append(table.rowCount()).append(" in all)\n");
    }
    return sb.toString();
  }

  /** Greedy blocks of columns within {@code width}; the label column starts every block. */
  private static List<List<Integer>> blocks(int[] widths, boolean label, int width) {
    List<List<Integer>> blocks = new ArrayList<>();
    List<Integer> cur = new ArrayList<>();
    int used = 0;
    int first = label ? 1 : 0;
    if (label) {
      cur.add(0);
      used = widths[0];
    }
    for (int c = first; c < widths.length; c++) {
      int add = (cur.isEmpty() ? 0 : GAP.length()) + widths[c];
      if (used + add > width && cur.size() > (label ? 1 : 0)) {
        blocks.add(cur);
        cur = new ArrayList<>();
        used = 0;
        if (label) {
          cur.add(0);
          used = widths[0];
        }
        add = (cur.isEmpty() ? 0 : GAP.length()) + widths[c];
      }
      cur.add(c);
      used += add;
    }
    blocks.add(cur);
    return blocks;
  }

  private static void line(StringBuilder sb, List<Integer> cols,
      java.util.function.IntFunction<String> text, int[] widths, boolean[] numeric, int width) {
    StringBuilder l = new StringBuilder();
    for (int i = 0; i < cols.size(); i++) {
      int c = cols.get(i);
      if (i > 0) {
        l.append(GAP);
      }
      String s = cut(text.apply(c), widths[c]);
      String pad = " ".repeat(widths[c] - s.length());
      l.append(numeric[c] ? pad + s : s + pad);
    }
    sb.append(cut(l.toString().stripTrailing(), width)).append('\n');
  }

  private static String cut(String s, int width) {
    return s.length() <= width ? s : s.substring(0, Math.max(0, width - 1)) + "…";
  }

  private static boolean isNumeric(Column<?> col) {
    ColumnType t = col.type();
    return t.equals(ColumnType.DOUBLE) || t.equals(ColumnType.FLOAT)
        || t.equals(ColumnType.INTEGER) || t.equals(ColumnType.LONG)
        || t.equals(ColumnType.SHORT);
  }

  /** The first {@code rows} cells of a column as text, numbers by {@link NumberText}. */
  static String[] cells(Column<?> col, int rows) {
    String[] out = new String[rows];
    NumberText.Kind kind = kindOf(col);
    for (int r = 0; r < rows; r++) {
      if (col.isMissing(r)) {
        out[r] = "";
        continue;
      }
      Object v = col.get(r);
      out[r] = v instanceof Number n && isNumeric(col) ? NumberText.format(n.doubleValue(), kind)
          : col.getString(r);
    }
    return out;
  }

  /**
   * A numeric column's kind: by its name (p-values, z-scores), else integers for integer
   * columns and for decimal columns whose values are all whole, else decimal.
   */
  static NumberText.Kind kindOf(Column<?> col) {
    if (!isNumeric(col)) {
      return NumberText.Kind.DECIMAL;
    }
    NumberText.Kind byName = NumberText.kindOf(col.name());
    if (byName != NumberText.Kind.DECIMAL) {
      return byName;
    }
    ColumnType t = col.type();
    if (t.equals(ColumnType.INTEGER) || t.equals(ColumnType.LONG) || t.equals(ColumnType.SHORT)) {
      return NumberText.Kind.INTEGER;
    }
    for (int r = 0; r < col.size(); r++) {
      if (!col.isMissing(r)) {
        double d = ((Number) col.get(r)).doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d) || d != Math.rint(d)) {
          return NumberText.Kind.DECIMAL;
        }
      }
    }
    return NumberText.Kind.INTEGER;
  }
}
