package io.anw.notebook;

import io.anw.WorkbenchException;
import io.anw.report.Provenance;
import io.anw.report.RichOutput;
import io.anw.report.Show;
import io.anw.repl.JShellSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Executes a percent-format notebook in one JShell session, capturing per code cell its
 * standard output and error, values shown with {@code WB.show}, and the value of its last
 * expression (rich: tables as HTML, charts and images as PNG). A failing cell is marked and
 * stops the run unless errors are allowed.
 */
public final class NotebookRunner {
  private NotebookRunner() {}

  /**
   * Runs {@code file}.
   *
   * @param allowErrors go on after a failing cell
   * @param progress where to print one progress line per cell ({@code null}: silent)
   */
  public static ExecutedNotebook run(Path file, boolean allowErrors, PrintStream progress) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new WorkbenchException(file + ": cannot read notebook (" + e.getMessage() + ")", e);
    }
    List<Cell> cells = PercentFormat.parse(text);
    long codeCells = cells.stream().filter(c -> c.kind() == Cell.Kind.CODE).count();
    List<ExecutedCell> done = new ArrayList<>();
    Provenance.clear();
    Provenance.record("notebook", file.getFileName() + " sha256:" + Provenance.sha256(file));
    PrintStream out = System.out;
    PrintStream err = System.err;
    boolean stopped = false;
    int count = 0;
    try (JShellSession session = new JShellSession(new String[0])) {
      for (Cell cell : cells) {
        if (cell.kind() == Cell.Kind.MARKDOWN || stopped) {
          done.add(new ExecutedCell(cell, 0, List.of(), false, 0));
          continue;
        }
        count++;
        if (progress != null) {
          progress.printf("[%d/%d] %s:%d ...", count, codeCells, file, cell.line());
          progress.flush();
        }
        long t0 = System.nanoTime();
        Capture capture = new Capture();
        System.setOut(capture.stream("stdout"));
        System.setErr(capture.stream("stderr"));
        Show.setSink(value -> capture.add(CellOutput.display(RichOutput.bundle(value, null))));
        boolean failed;
        try {
          failed = runCell(session, file, cell, capture);
        } finally {
          System.out.flush();
          System.err.flush();
          System.setOut(out);
          System.setErr(err);
          Show.setSink(null);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        done.add(new ExecutedCell(cell, count, capture.outputs(), failed, seconds));
        if (progress != null) {
          progress.printf(" %s %.1f s%n", failed ? "FAILED" : "ok", seconds);
        }
        if (failed && !allowErrors) {
          stopped = true;
        }
      }
    }
    return new ExecutedNotebook(file, done, Provenance.snapshot());
  }

  /** Runs one code cell's snippets; returns whether it failed. */
  private static boolean runCell(JShellSession session, Path file, Cell cell, Capture capture) {
    return CellExecution.run(session, file.toString(), cell.line(), cell.source(),
        new CellExecution.Sink() {
          @Override
          public void result(Object value, java.util.Map<String, String> bundle) {
            capture.add(CellOutput.result(bundle));
          }

          @Override
          public void error(String message, JShellSession.Kind kind) {
            capture.add(CellOutput.error(message));
          }
        });
  }

  /** Collects a cell's outputs in order, merging consecutive text of the same stream. */
  private static final class Capture {
    private final List<CellOutput> outputs = new ArrayList<>();
    private final StringBuilder pending = new StringBuilder();
    private String pendingName;

    synchronized PrintStream stream(String name) {
      OutputStream sink = new OutputStream() {
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

        @Override
        public void write(int b) {
          buf.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
          buf.write(b, off, len);
        }

        @Override
        public void flush() {
          if (buf.size() > 0) {
            text(name, buf.toString(StandardCharsets.UTF_8));
            buf.reset();
          }
        }
      };
      return new PrintStream(sink, true, StandardCharsets.UTF_8);
    }

    synchronized void text(String name, String text) {
      if (pendingName != null && !pendingName.equals(name)) {
        flushPending();
      }
      pendingName = name;
      pending.append(text);
    }

    synchronized void add(CellOutput output) {
      flushPending();
      outputs.add(output);
    }

    private void flushPending() {
      if (pending.length() > 0) {
        outputs.add(CellOutput.stream(pendingName, pending.toString()));
      }
      pending.setLength(0);
      pendingName = null;
    }

    synchronized List<CellOutput> outputs() {
      flushPending();
      return List.copyOf(outputs);
    }
  }
}
