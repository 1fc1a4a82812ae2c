package io.anw.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.anw.WorkbenchException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** What the workbench writes as CSV it reads back: commas, quotes, line breaks, numbers. */
class CsvFilesTest {
  @TempDir Path dir;

  @Test
  void tablesRoundTripWithCommasQuotesAndLineBreaks() {
    Table t = Table.create("t", IntColumn.create("layer", new int[] {0, 11}),
        StringColumn.create("class", List.of("brass, bright", "say \"hi\"\nagain")),
        DoubleColumn.create("aape", new double[] {0.1, Double.NaN}));
    Path f = CsvFiles.write(t, dir.resolve("t.csv"));
    List<CsvFiles.Row> rows = CsvFiles.read(f);
    assertEquals(List.of("layer", "class", "aape"), rows.get(0).fields());
    assertEquals(List.of("0", "brass, bright", "0.1"), rows.get(1).fields());
    assertEquals(List.of("11", "say \"hi\"\nagain", "NaN"), rows.get(2).fields());
    assertEquals(3, rows.get(2).line(), "the line the record starts on");
    Table back = CsvFiles.readTable(f, Map.of("class", ColumnType.STRING));
    assertEquals("brass, bright", back.stringColumn("class").get(0));
    assertEquals(11, back.intColumn("layer").get(1));
  }

  @Test
  void badFilesAreOneLineErrorsNamingThem() throws Exception {
    Path latin = dir.resolve("latin.csv");
    Files.write(latin, "a,b\ncaf\u00e9,1\n".getBytes(StandardCharsets.ISO_8859_1));
    assertEquals(latin + ": not UTF-8 text (save the CSV as UTF-8)",
        assertThrows(WorkbenchException.class, () -> CsvFiles.read(latin)).getMessage());
    Path typed = dir.resolve("typed.csv");
    Files.writeString(typed, "layer,neuron\n1,2\nx,3\n");
    assertEquals(typed + ": line 3: column layer must be an integer, got 'x'",
        assertThrows(WorkbenchException.class, () -> CsvFiles.readTable(typed,
            Map.of("layer", ColumnType.INTEGER))).getMessage());
  }
}
