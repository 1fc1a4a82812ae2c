package io.anw.report;

import io.anw.AtomicFile;
import io.anw.WorkbenchException;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Every CSV the workbench writes or reads, through Apache Commons CSV (RFC 4180: commas,
 * quotes, line breaks inside quoted fields): what it writes it reads back, and Python's
 * {@code csv}/pandas and spreadsheets read it too. Numbers are written locale independently
 * (a dot as decimal separator, doubles in full precision).
 */
public final class CsvFiles {
  private static final CSVFormat WRITE = CSVFormat.RFC4180.builder().setRecordSeparator("\n")
      .get();
  private static final CSVFormat READ = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(true)
      .setIgnoreSurroundingSpaces(false).get();

  private CsvFiles() {}

  /** One record of a CSV and the 1-based line of the file it starts on. */
  public record Row(int line, List<String> fields) {}

  /**
   * Writes a table with a header row; doubles printed in full precision with a dot decimal
   * separator; missing doubles (Tablesaw keeps NaN as missing) written {@code NaN}, other
   * missing cells empty. The file appears atomically.
   */
  public static Path write(Table table, Path file) {
    List<List<String>> rows = new ArrayList<>(table.rowCount());
    for (int r = 0; r < table.rowCount(); r++) {
      List<String> cells = new ArrayList<>(table.columnCount());
      for (int c = 0; c < table.columnCount(); c++) {
        Object v = table.column(c).get(r);
        cells.add(v instanceof Double d ? String.format(Locale.ROOT, "%s", d)
            : v != null ? String.valueOf(v)
            : table.column(c) instanceof tech.tablesaw.api.NumberColumn<?, ?> n
                && n.type() == ColumnType.DOUBLE ? "NaN" : "");
      }
      rows.add(cells);
    }
    return write(table.columnNames(), rows, file);
  }

  /** Writes a header and rows of cells (quoted where needed), atomically. */
  public static Path write(List<String> header, List<List<String>> rows, Path file) {
    StringWriter out = new StringWriter();
    try (CSVPrinter p = new CSVPrinter(out, WRITE)) {
      p.printRecord(header);
      for (List<String> r : rows) {
        p.printRecord(r);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e); // a StringWriter does not fail
    }
    return AtomicFile.write(file, out.toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The records of a UTF-8 CSV (header included), blank lines skipped, a leading BOM ignored.
   *
   * @throws WorkbenchException naming the file when it cannot be read, is not UTF-8 text or is
   *     malformed (an unclosed quote)
   */
  public static List<Row> read(Path file) {
    String text;
    try {
      byte[] bytes = Files.readAllBytes(file);
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new WorkbenchException(file + ": not UTF-8 text (save the CSV as UTF-8)", e);
    } catch (IOException e) {
      throw new WorkbenchException(file + ": cannot read (" + e.getMessage() + ")", e);
    }
    return parse(text, file.toString());
  }

  /** The records of CSV text (see {@link #read}); {@code source} names it in messages. */
  public static List<Row> parse(String text, String source) {
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    int[] lineStarts = lineStarts(text);
    List<Row> out = new ArrayList<>();
    try (CSVParser parser = CSVParser.parse(new StringReader(text), READ)) {
      for (CSVRecord r : parser) {
        int line = java.util.Arrays.binarySearch(lineStarts, (int) r.getCharacterPosition());
        line = line >= 0 ? line + 1 : -line - 1;
        out.add(new Row(line, r.toList()));
      }
    } catch (IOException | java.io.UncheckedIOException | IllegalStateException e) {
      throw new WorkbenchException(source + ": malformed CSV (" + e.getMessage() + ")", e);
    }
    return out;
  }

  private static int[] lineStarts(String text) {
    List<Integer> starts = new ArrayList<>(List.of(0));
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        starts.add(i + 1);
      }
    }
    return starts.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * A CSV with a header as a table: the columns named in {@code types} with those types
   * ({@code INTEGER}, {@code DOUBLE} or {@code STRING}), the others integer, double or string as
   * their values allow.
   *
   * @throws WorkbenchException naming the file, row and column of a value of the wrong type
   */
  public static Table readTable(Path file, Map<String, ColumnType> types) {
    List<Row> rows = read(file);
    if (rows.isEmpty()) {
      throw new WorkbenchException(file + ": empty CSV");
    }
    List<String> header = rows.get(0).fields();
    Table t = Table.create(file.getFileName().toString());
    for (int c = 0; c < header.size(); c++) {
      String name = header.get(c);
      List<String> values = new ArrayList<>();
      for (Row r : rows.subList(1, rows.size())) {
        if (r.fields().size() != header.size()) {
          throw new WorkbenchException(file + ": line " + r.line() + " has " + r.fields().size()
              + " fields, the header " + header.size());
        }
        values.add(r.fields().get(c));
      }
      ColumnType type = types.getOrDefault(name, infer(values));
      t.addColumns(column(file, name, type, values, rows));
    }
    return t;
  }

  private static ColumnType infer(List<String> values) {
    if (!values.isEmpty() && values.stream().allMatch(v -> v.matches("-?\\d{1,9}"))) {
      return ColumnType.INTEGER;
    }
    if (!values.isEmpty() && values.stream().allMatch(CsvFiles::isDouble)) {
      return ColumnType.DOUBLE;
    }
    return ColumnType.STRING;
  }

  private static boolean isDouble(String v) {
    try {
      Double.parseDouble(v);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static Column<?> column(Path file, String name, ColumnType type, List<String> values,
      List<Row> rows) {
    try {
      if (type == ColumnType.INTEGER) {
        return IntColumn.create(name, values.stream().mapToInt(Integer::parseInt).toArray());
      }
      if (type == ColumnType.DOUBLE) {
        return DoubleColumn.create(name, values.stream().mapToDouble(Double::parseDouble)
            .toArray());
      }
      return StringColumn.create(name, values);
    } catch (NumberFormatException e) {
      int bad = 0;
      while (bad < values.size() && isNumber(values.get(bad), type)) {
        bad++;
      }
      throw new WorkbenchException(file + ": line " + rows.get(bad + 1).line() + ": column "
          + name + " must be " + (type == ColumnType.INTEGER ? "an integer" : "a number")
          + ", got '" + (bad < values.size() ? values.get(bad) : "") + "'", e);
    }
  }

  private static boolean isNumber(String v, ColumnType type) {
    try {
      if (type == ColumnType.INTEGER) {
        Integer.parseInt(v);
      } else {
        Double.parseDouble(v);
      }
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
