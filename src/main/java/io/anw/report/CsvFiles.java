package io.anw.report;

import io.anw.AtomicFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import tech.tablesaw.api.Table;

/** Writes Tablesaw tables as CSV files that Python and spreadsheets read back exactly. */
public final class CsvFiles {
  private CsvFiles() {}

  /**
   * Writes a table as RFC-4180 CSV with a header row; doubles printed in full precision with a
   * dot decimal separator (locale independent). Missing doubles (Tablesaw keeps NaN as
   * missing) are written {@code NaN}, other missing cells empty.
   */
  public static Path write(Table table, Path file) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.join(",", table.columnNames())).append('\n');
    for (int r = 0; r < table.rowCount(); r++) {
      for (int c = 0; c < table.columnCount(); c++) {
        if (c > 0) {
          sb.append(',');
        }
        Object v = table.column(c).get(r);
        String cell = v instanceof Double d ? String.format(Locale.ROOT, "%s", d)
            : v != null ? String.valueOf(v)
            : table.column(c) instanceof tech.tablesaw.api.NumberColumn<?, ?> n
                && n.type() == tech.tablesaw.api.ColumnType.DOUBLE ? "NaN" : "";
        if (cell.contains(",") || cell.contains("\"") || cell.contains("\n")) {
          cell = "\"" + cell.replace("\"", "\"\"") + "\"";
        }
        sb.append(cell);
      }
      sb.append('\n');
    }
    return AtomicFile.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
  }
}
