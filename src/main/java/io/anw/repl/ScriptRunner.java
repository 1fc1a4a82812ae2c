package io.anw.repl;

import java.nio.file.Path;

/** Runs {@code .jsh} scripts headless. */
public final class ScriptRunner {
  private ScriptRunner() {}

  /** Runs a script; returns the exit code. */
  public static int run(Path script, String[] args) {
    throw new UnsupportedOperationException("script runner under construction");
  }
}
