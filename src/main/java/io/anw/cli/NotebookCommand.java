package io.anw.cli;

import io.anw.notebook.ExecutedCell;
import io.anw.notebook.ExecutedNotebook;
import io.anw.notebook.HtmlWriter;
import io.anw.notebook.Ipynb;
import io.anw.notebook.NotebookRunner;
import io.anw.notebook.PercentFormat;
import io.anw.AtomicFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code workbench notebook FILE.jsh [--html OUT.html] [--ipynb OUT.ipynb] [--allow-errors]}:
 * runs a percent-format notebook and renders it; {@code workbench notebook import} converts an
 * {@code .ipynb} back to percent format, {@code notebook export} writes one without running it.
 */
@Command(name = "notebook", mixinStandardHelpOptions = true,
    description = "Run a percent-format .jsh notebook and write HTML and/or ipynb with outputs.",
    subcommands = {NotebookCommand.Import.class, NotebookCommand.Export.class})
public final class NotebookCommand implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", paramLabel = "FILE.jsh", description = "The notebook.")
  Path file;

  @Option(names = "--html", paramLabel = "OUT.html", description = "Write a self-contained HTML.")
  Path html;

  @Option(names = "--ipynb", paramLabel = "OUT.ipynb", description = "Write a Jupyter notebook.")
  Path ipynb;

  @Option(names = "--allow-errors", description = "Go on after a failing cell (exit 0).")
  boolean allowErrors;

  @Override
  public Integer call() {
    if (file == null) {
      throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
          "Missing FILE.jsh (or use: notebook import FILE.ipynb --out FILE.jsh)");
    }
    ExecutedNotebook nb = NotebookRunner.run(file, allowErrors, System.err);
    if (html != null) {
      System.err.println("html: " + HtmlWriter.write(nb, html));
    }
    if (ipynb != null) {
      System.err.println("ipynb: " + Ipynb.write(nb, ipynb));
    }
    for (ExecutedCell c : nb.cells()) {
      if (c.failed()) {
        c.outputs().stream().filter(o -> o.type().equals("error"))
            .forEach(o -> System.err.println(o.text()));
      }
    }
    return nb.failed() && !allowErrors ? 1 : 0;
  }

  /** {@code workbench notebook export FILE.jsh --out FILE.ipynb}: cells only, nothing run. */
  @Command(name = "export", mixinStandardHelpOptions = true,
      description = "Write a percent-format .jsh notebook as an .ipynb without running it (no "
          + "outputs), naming the workbench kernel: open and run it in Jupyter.")
  static final class Export implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE.jsh", description = "The notebook to export.")
    Path in;

    @Option(names = "--out", required = true, paramLabel = "FILE.ipynb", description = "Output.")
    Path out;

    @Override
    public Integer call() {
      System.err.println("wrote " + Ipynb.write(ExecutedNotebook.unexecuted(in), out));
      return 0;
    }
  }

  /** {@code workbench notebook import FILE.ipynb --out FILE.jsh}. */
  @Command(name = "import", mixinStandardHelpOptions = true,
      description = "Convert a Jupyter notebook (.ipynb) to a percent-format .jsh notebook.")
  static final class Import implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE.ipynb", description = "The notebook to import.")
    Path in;

    @Option(names = "--out", required = true, paramLabel = "FILE.jsh", description = "Output.")
    Path out;

    @Override
    public Integer call() {
      String text = PercentFormat.render(Ipynb.readCells(in));
      AtomicFile.write(out, text.getBytes(StandardCharsets.UTF_8));
      System.err.println("wrote " + out);
      return 0;
    }
  }
}
