package io.anw.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every notebook in notebooks/ renders to HTML and to an ipynb that nbformat validates, and
 * that ipynb, executed by Jupyter ({@code nbconvert --execute}) with the workbench's kernel,
 * gives the same outputs.
 */
class NotebooksRenderTest {
  @TempDir Path out;

  @TestFactory
  Stream<DynamicTest> everyNotebookRenders() throws IOException {
    Path dir = Path.of("notebooks");
    List<Path> notebooks;
    try (Stream<Path> files = Files.list(dir)) {
      notebooks = files.filter(p -> p.toString().endsWith(".jsh")).sorted().toList();
    }
    return notebooks.stream().map(nb -> DynamicTest.dynamicTest(nb.toString(), () -> {
      // the thread count a fresh JVM (the Jupyter kernel below) has: other tests pin one
      // thread, and a different count moves activations in the 7th digit, enough to change
      // a pixel of a picture and so the rich output compared with Jupyter's
      io.anw.GradMode.setThreads(Runtime.getRuntime().availableProcessors());
      ExecutedNotebook run = NotebookRunner.run(nb, false, null);
      List<String> errors = run.cells().stream().flatMap(c -> c.outputs().stream())
          .filter(o -> o.type().equals("error")).map(CellOutput::text).toList();
      // sample data this machine cannot make (a soundfont or espeak-ng missing): skip, naming it
      errors.stream().filter(e -> e.contains("cannot be made here")).findFirst()
          .ifPresent(e -> Assumptions.assumeTrue(false, nb + " skipped: " + e.strip()));
      assertFalse(run.failed(), () -> nb + " failed: " + errors);
      String name = nb.getFileName().toString().replace(".jsh", "");
      HtmlWriter.write(run, out.resolve(name + ".html"));
      Path ipynb = Ipynb.write(run, out.resolve(name + ".ipynb"));
      // the same notebook run by Jupyter with the workbench's kernel gives the same outputs
      if (io.anw.kernel.Jupyter.missing().isEmpty()) {
        Path executed = out.resolve(name + "-jupyter.ipynb");
        io.anw.kernel.Jupyter.Result r = io.anw.kernel.Jupyter.nbconvertExecute(ipynb, executed,
            1800);
        assertEquals(0, r.code(), () -> nb + " in nbconvert: " + r.output());
        assertEquals(io.anw.kernel.NotebookOutputs.of(ipynb),
            io.anw.kernel.NotebookOutputs.of(executed), nb + ": Jupyter's outputs differ");
      } else {
        System.err.println("nbconvert runs of the notebooks skipped: "
            + io.anw.kernel.Jupyter.missing().get());
      }
      Path python = Path.of("/usr/bin/python3");
      if (Files.isExecutable(python)) {
        Process p = new ProcessBuilder(python.toString(), "-c",
            "import sys\ntry:\n import nbformat\nexcept ImportError:\n sys.exit(0)\n"
                + "nbformat.validate(nbformat.read(sys.argv[1], as_version=4))", ipynb.toString())
            .redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes());
        p.waitFor(60, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), text);
      }
    }));
  }
}
