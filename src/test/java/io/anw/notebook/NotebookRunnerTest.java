package io.anw.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Running a notebook and rendering it to HTML and ipynb. */
class NotebookRunnerTest {
  static final String NOTEBOOK = String.join("\n",
      "// %% [markdown]",
      "// # Demo notebook",
      "// ## Numbers",
      "// %%",
      "int x = 6 * 7;",
      "System.out.println(\"x is \" + x);",
      "System.err.println(\"careful\");",
      "x + 1",
      "// %% [markdown]",
      "// ## Tables and plots",
      "// %%",
      "Table t = Table.create(\"demo table\", IntColumn.create(\"layer\", new int[] {7, 8, 9}));",
      "WB.show(t);",
      "CategoryChart chart = new CategoryChartBuilder().width(400).height(300).title(\"bars\").build();",
      "chart.addSeries(\"s\", List.of(1, 2, 3), List.of(3, 1, 2));",
      "chart",
      "// %%",
      "String s = null;",
      "",
      "s.length();",
      "// %%",
      "System.out.println(\"after the error\");",
      "");

  @TempDir static Path dir;
  static ExecutedNotebook run;
  static ExecutedNotebook runAllowingErrors;

  @BeforeAll
  static void runOnce() throws Exception {
    Path nb = dir.resolve("demo.jsh");
    Files.writeString(nb, NOTEBOOK);
    run = NotebookRunner.run(nb, false, null);
    runAllowingErrors = NotebookRunner.run(nb, true, null);
  }

  private static List<ExecutedCell> code(ExecutedNotebook nb) {
    return nb.cells().stream().filter(c -> c.cell().kind() == Cell.Kind.CODE).toList();
  }

  @Test
  void streamsAndTheLastExpressionAreCaptured() {
    ExecutedCell first = code(run).get(0);
    assertEquals(1, first.executionCount());
    List<CellOutput> o = first.outputs();
    assertEquals(CellOutput.stream("stdout", "x is 42\n"), o.get(0));
    assertEquals(CellOutput.stream("stderr", "careful\n"), o.get(1));
    assertEquals("execute_result", o.get(2).type());
    assertEquals("43", o.get(2).text());
  }

  @Test
  void valuesWithoutAUsefulTextAreNotShown() {
    assertFalse(CellExecution.worthShowing(System.out), "printf's PrintStream");
    assertFalse(CellExecution.worthShowing(new Object()), "an identity hash");
    assertFalse(CellExecution.worthShowing(new java.io.StringWriter()));
    assertTrue(CellExecution.worthShowing(new StringBuilder("text")));
    assertTrue(CellExecution.worthShowing(42));
    assertTrue(CellExecution.worthShowing(new int[] {1, 2}));
    assertTrue(CellExecution.worthShowing(java.util.List.of(1)));
  }

  @Test
  void tablesBecomeHtmlAndChartsPng() {
    List<CellOutput> o = code(run).get(1).outputs();
    assertEquals("display_data", o.get(0).type());
    assertTrue(o.get(0).data().get("text/html").contains("<caption>demo table</caption>"));
    assertEquals("execute_result", o.get(1).type());
    assertTrue(o.get(1).data().get("image/png").startsWith("iVBOR")); // PNG magic in base64
  }

  @Test
  void aFailingCellStopsTheRunWithItsLine() {
    ExecutedCell failed = code(run).get(2);
    assertTrue(failed.failed());
    CellOutput err = failed.outputs().get(failed.outputs().size() - 1);
    assertEquals("error", err.type());
    assertTrue(err.text().startsWith(dir.resolve("demo.jsh") + ":20: NullPointerException"),
        err.text());
    assertEquals(0, code(run).get(3).executionCount());
    assertTrue(run.failed());
    assertEquals(4, code(runAllowingErrors).get(3).executionCount());
    assertEquals("after the error\n", code(runAllowingErrors).get(3).outputs().get(0).text());
  }

  @Test
  void htmlIsSelfContainedWithTocProvenanceTableAndImage() throws Exception {
    String html = HtmlWriter.render(runAllowingErrors);
    assertTrue(html.contains("<title>Demo notebook</title>"));
    assertTrue(html.contains("href=\"#tables-and-plots\""), "table of contents");
    assertTrue(html.contains("id=\"tables-and-plots\""), "heading anchor");
    assertTrue(html.contains("<dt>workbench</dt>"), "provenance");
    assertTrue(html.contains("<table class=\"dataframe\">"));
    assertTrue(html.contains("src=\"data:image/png;base64,iVBOR"));
    assertFalse(html.contains("http://") || html.contains("https://"), "no network references");
  }

  @Test
  void ipynbValidatesWithNbformat() throws Exception {
    Path python = Path.of("/usr/bin/python3");
    Assumptions.assumeTrue(Files.isExecutable(python), "no /usr/bin/python3 (apt-get install python3-nbformat)");
    Process check = new ProcessBuilder(python.toString(), "-c", "import nbformat").start();
    Assumptions.assumeTrue(check.waitFor() == 0,
        "python3-nbformat not installed: ipynb validation skipped (apt-get install python3-nbformat)");
    Path out = Ipynb.write(runAllowingErrors, dir.resolve("demo.ipynb"));
    Process p = new ProcessBuilder(python.toString(), "-c",
        "import sys, nbformat; nb = nbformat.read(sys.argv[1], as_version=4); "
            + "nbformat.validate(nb); print(len(nb.cells))", out.toString())
        .redirectErrorStream(true).start();
    String text = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), text);
    assertEquals("6", text.strip());
  }

  @Test
  void importingAnIpynbGivesPercentFormat() throws Exception {
    Path out = Ipynb.write(runAllowingErrors, dir.resolve("roundtrip.ipynb"));
    List<Cell> cells = Ipynb.readCells(out);
    assertEquals(runAllowingErrors.cells().stream().map(c -> c.cell().source()).toList(),
        cells.stream().map(Cell::source).toList());
  }
}
