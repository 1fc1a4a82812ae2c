package io.anw.report;

import java.util.function.Consumer;

/**
 * Shows a value as a cell output: in a notebook run the runner installs a sink that records the
 * value's rich rendering ({@link RichOutput}); elsewhere (scripts, the REPL) the value's text is
 * printed to standard output.
 */
public final class Show {
  private static volatile Consumer<Object> sink;

  private Show() {}

  /** Shows {@code value} (a table, a chart, an image, an audio clip, anything). */
  public static void show(Object value) {
    Consumer<Object> s = sink;
    if (s != null) {
      s.accept(value);
    } else {
      System.out.println(value instanceof tech.tablesaw.api.Table t ? TableText.render(t)
          .stripTrailing() : value);
    }
  }

  /** Installs the notebook runner's sink ({@code null} to remove it). */
  public static void setSink(Consumer<Object> newSink) {
    sink = newSink;
  }
}
