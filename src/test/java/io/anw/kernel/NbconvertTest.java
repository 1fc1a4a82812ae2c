package io.anw.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anw.notebook.ExecutedNotebook;
import io.anw.notebook.Ipynb;
import io.anw.notebook.NotebookRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A notebook the workbench wrote runs in Jupyter ({@code nbconvert --execute} with this kernel)
 * and gives the outputs {@code ./workbench notebook} gave: streams, results, tables, charts,
 * players.
 */
class NbconvertTest {
  @TempDir Path dir;

  @Test
  void aWrittenNotebookExecutesInJupyterWithTheSameOutputs() throws Exception {
    Jupyter.missing().ifPresent(why -> Assumptions.assumeTrue(false,
        "nbconvert test skipped: " + why));
    Path jsh = dir.resolve("small.jsh");
    Files.writeString(jsh, String.join("\n",
        "// %% [markdown]",
        "// # A small notebook",
        "// %%",
        "int n = 3;",
        "System.out.println(\"n is \" + n);",
        "n * 2",
        "// %%",
        "Table.create(\"t\", IntColumn.create(\"a\", new int[] {3, 1, 2}))",
        "    .sortAscendingOn(\"a\")",
        "// %%",
        "var c = new XYChartBuilder().width(400).height(250).title(\"line\").xAxisTitle(\"x\")",
        "    .yAxisTitle(\"y\").build();",
        "c.addSeries(\"y\", new double[] {0, 1, 2}, new double[] {0, 4, 1});",
        "WB.show(c);",
        "System.out.println(\"after the chart\");",
        "// %%",
        "new io.anw.audio.Clip(new float[1600], 16000)", ""));
    ExecutedNotebook run = NotebookRunner.run(jsh, false, null);
    Path ipynb = Ipynb.write(run, dir.resolve("small.ipynb"));
    assertTrue(Files.readString(ipynb).contains("\"name\": \"workbench\""),
        "the notebook names the workbench kernel");
    Path executed = dir.resolve("small-executed.ipynb");
    Jupyter.Result r = Jupyter.nbconvertExecute(ipynb, executed, 120);
    assertEquals(0, r.code(), r.output());
    List<String> expected = NotebookOutputs.of(ipynb);
    assertEquals(expected, NotebookOutputs.of(executed));
    assertTrue(expected.contains("stream stdout: n is 3\n"), expected.toString());
    assertTrue(expected.stream().anyMatch(l -> l.startsWith("display_data: XYChart \"line\"")
        && l.endsWith("png true")), expected.toString());
    // exported without a run (notebook export), Jupyter fills in the same outputs
    Path blank = Ipynb.write(ExecutedNotebook.unexecuted(jsh), dir.resolve("blank.ipynb"));
    assertTrue(NotebookOutputs.of(blank).stream().allMatch(l -> l.startsWith("--- cell")),
        "no outputs before the run");
    Path filled = dir.resolve("blank-executed.ipynb");
    Jupyter.Result b = Jupyter.nbconvertExecute(blank, filled, 120);
    assertEquals(0, b.code(), b.output());
    assertEquals(expected, NotebookOutputs.of(filled));
  }
}
