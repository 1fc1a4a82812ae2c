package io.anw.notebook;

import io.anw.repl.Display;
import io.anw.repl.JShellSession;
import io.anw.repl.SnippetSplitter;
import io.anw.report.RichOutput;
import java.util.List;
import java.util.Map;

/**
 * Runs one notebook cell in a JShell session, the one way both {@code ./workbench notebook} and
 * the Jupyter kernel do it: the cell is split into snippets (operator-first lines join the
 * snippet before them), each is evaluated in order, the first failure stops the cell with a
 * jshell-style message naming the line, and the value of the last expression becomes the cell's
 * result (rich: tables as HTML, charts and images as PNG, clips as players) when it is worth
 * showing. Standard output and error are the caller's to capture.
 */
public final class CellExecution {
  /** Where a cell's outputs go. */
  public interface Sink {
    /**
     * The cell's result: the value and its MIME bundle (type to text, or base64 for binary
     * types).
     */
    void result(Object value, Map<String, String> bundle);

    /**
     * The cell failed: the message ({@code WHERE:LINE[:COL]: message} and detail lines) and
     * whether it did not compile or threw.
     */
    void error(String message, JShellSession.Kind kind);

    /**
     * A REPL command line ({@code :help ...}) in the cell at {@code line}; true when the sink
     * handled it, false to fail the cell (the default: commands are the REPL's).
     */
    default boolean command(String source, int line) {
      return false;
    }
  }

  private CellExecution() {}

  /**
   * Runs {@code code}, whose first line is line {@code firstLine} of {@code where}; returns
   * whether it failed.
   */
  public static boolean run(JShellSession session, String where, int firstLine, String code,
      Sink sink) {
    List<SnippetSplitter.Piece> pieces = SnippetSplitter.split(code, session.analysis());
    JShellSession.Outcome last = null;
    for (SnippetSplitter.Piece piece : pieces) {
      int line = firstLine + piece.line() - 1;
      if (piece.command()) {
        if (sink.command(piece.source(), line)) {
          last = null;
          continue;
        }
        sink.error(where + ":" + line + ": commands (" + piece.source()
            + ") are not supported in notebooks", JShellSession.Kind.COMPILE_ERROR);
        return true;
      }
      last = session.eval(piece.source());
      if (!last.ok()) {
        System.out.flush();
        System.err.flush();
        sink.error(last.report(where, line), last.kind());
        return true;
      }
    }
    if (last != null) {
      for (JShellSession.Shown s : last.shown()) {
        if (s.expression()) {
          System.out.flush();
          Object value = session.evalHidden("io.anw.repl.Display.captureObject(" + s.name() + ")")
              ? Display.takeLastObject() : null;
          if (!worthShowing(value)) {
            continue; // e.g. the PrintStream that printf returns: its identity says nothing
          }
          sink.result(value, RichOutput.bundle(value, s.value()));
        }
      }
    }
    return false;
  }

  /**
   * Whether a cell's last value is worth an output: not a stream or writer (what
   * {@code printf} and {@code append} return), and not an object whose text is only its class
   * and identity hash ({@code Foo@1a2b3c}).
   */
  public static boolean worthShowing(Object value) {
    if (value == null) {
      return true; // the value "null" is shown as jshell shows it
    }
    if (value instanceof java.io.OutputStream || value instanceof java.io.Writer
        || value instanceof Appendable && !(value instanceof CharSequence)) {
      return false;
    }
    try {
      return value.getClass().getMethod("toString").getDeclaringClass() != Object.class
          || value instanceof org.knowm.xchart.internal.chartpart.Chart<?, ?>
          || value instanceof java.awt.image.BufferedImage || value.getClass().isArray()
          || value instanceof io.anw.report.RichOutput.Rich;
    } catch (NoSuchMethodException e) {
      return true;
    }
  }
}
