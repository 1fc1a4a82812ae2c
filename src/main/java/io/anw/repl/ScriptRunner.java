package io.anw.repl;

import io.anw.WorkbenchException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs a {@code .jsh} script headless in one JShell session, failing fast.
 *
 * <p>At the first snippet that does not compile or throws, prints {@code FILE.jsh:LINE: message}
 * to stderr (LINE: 1-based line where that snippet starts) and returns 1. {@code /exit N} ends
 * the script with status N; {@code System.exit(N)} exits the JVM with N.
 */
public final class ScriptRunner {
  private ScriptRunner() {}

  /** Runs {@code script} with {@code args} bound to the script's {@code args}; returns the exit code. */
  public static int run(Path script, String[] args) {
    return run(script, args, System.err);
  }

  /** As {@link #run(Path, String[])}, reporting failures to {@code err}. */
  public static int run(Path script, String[] args, PrintStream err) {
    String text;
    try {
      text = Files.readString(script, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new WorkbenchException(script + ": cannot read script (" + e.getMessage() + ")", e);
    }
    try (JShellSession session = new JShellSession(args)) {
      return run(session, script, text, err);
    }
  }

  /** Runs the script text in an existing session (used by {@code :load} too). */
  static int run(JShellSession session, Path script, String text, PrintStream err) {
    List<SnippetSplitter.Piece> pieces = SnippetSplitter.split(text, session.analysis());
    for (SnippetSplitter.Piece piece : pieces) {
      String where = script + ":" + piece.line() + ": ";
      if (piece.command()) {
        Integer exit = command(session, piece.source(), where, err);
        if (exit != null) {
          return exit;
        }
        continue;
      }
      JShellSession.Outcome o = session.eval(piece.source());
      if (!o.ok()) {
        if (!piece.complete() && o.kind() == JShellSession.Kind.COMPILE_ERROR) {
          err.println(where + "incomplete snippet at end of file: " + o.message());
        } else {
          err.println(o.report(script.toString(), piece.line()));
        }
        if (io.anw.ErrorReport.debug() && o.exception() != null) {
          o.exception().printStackTrace(err);
        }
        return 1;
      }
    }
    return 0;
  }

  /** Handles a {@code /command} line; returns an exit code to stop with, or null to go on. */
  private static Integer command(JShellSession session, String line, String where,
      PrintStream err) {
    String[] words = line.split("\\s+", 2);
    switch (words[0]) {
      case "/exit":
        if (words.length == 1) {
          return 0;
        }
        try {
          return Integer.parseInt(words[1].strip().replaceAll(";$", ""));
        } catch (NumberFormatException e) {
          err.println(where + "/exit takes an integer status: " + words[1].strip());
          return 1;
        }
      default:
        err.println(where + "unknown command in script: " + words[0]
            + " (scripts accept /exit [N])");
        return 1;
    }
  }
}
