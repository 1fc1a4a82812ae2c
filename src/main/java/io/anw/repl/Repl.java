package io.anw.repl;

/** The interactive REPL (JShell + JLine). */
public final class Repl {
  private Repl() {}

  /** Runs the REPL on the terminal until Ctrl-D or :exit; returns the exit code. */
  public static int start() {
    throw new UnsupportedOperationException("REPL under construction");
  }
}
