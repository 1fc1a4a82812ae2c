package io.anw.repl;

import io.anw.pipeline.Steps;

/**
 * Progress of a long {@code WB} call on the REPL's terminal: one line on stderr redrawn in
 * place ({@code ablate 7/22 (31%)}), ended when a stage completes. Silent when no terminal is
 * attached (scripts, notebooks, tests), so their output stays clean.
 */
final class ConsoleSteps implements Steps {
  private final boolean terminal = System.console() != null;
  private String lastShown = "";

  /** The progress display for this process: drawing on a terminal, silent otherwise. */
  static Steps create() {
    return new ConsoleSteps();
  }

  @Override
  public synchronized void at(String stage, int done, int total) {
    if (!terminal) {
      return;
    }
    int pct = (int) (100L * done / Math.max(1, total));
    String text = stage + " " + done + "/" + total + " (" + pct + "%)";
    if (!text.equals(lastShown)) {
      System.err.print("\r" + text);
      lastShown = text;
    }
    if (done >= total) {
      System.err.println();
      lastShown = "";
    }
    System.err.flush();
  }
}
