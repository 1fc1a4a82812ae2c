package io.anw;

import java.io.PrintStream;

/**
 * How failures reach the user: one line ({@code workbench: message}) naming the file or value
 * and what is wrong, or the full stack trace under {@code --debug}. Every entry point (CLI
 * verbs, scripts, the REPL) reports through here, so {@link Error}s such as
 * {@link OutOfMemoryError} get the same one line, with a hint of what to change.
 */
public final class ErrorReport {
  private static volatile boolean debug;

  private ErrorReport() {}

  /** Whether stack traces are wanted ({@code --debug}, or {@code -Danw.debug=true}). */
  public static boolean debug() {
    return debug || Boolean.getBoolean("anw.debug");
  }

  /** Turns stack traces on (the CLI's {@code --debug}). */
  public static void setDebug(boolean on) {
    debug = on;
  }

  /**
   * The one-line message of a failure: a {@link WorkbenchException}'s own message; for
   * anything else its type and message; for running out of memory what to try instead.
   */
  public static String oneLine(Throwable ex) {
    Throwable root = ex;
    while (!(root instanceof WorkbenchException) && !(root instanceof VirtualMachineError)
        && root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (!(root instanceof WorkbenchException) && !(root instanceof VirtualMachineError)) {
      root = ex;
    }
    String msg = root.getMessage();
    if (root instanceof OutOfMemoryError) {
      return "out of memory (" + (msg == null ? "Java heap" : msg) + "); give the JVM more"
          + " (WORKBENCH_JAVA_OPTS=-Xmx16g ./workbench ...) or use a smaller --batch";
    }
    if (root instanceof StackOverflowError) {
      return "stack overflow (input nested too deeply?); rerun with --debug for details";
    }
    if (!(root instanceof WorkbenchException) || msg == null) {
      msg = root.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
    }
    return msg.lines().findFirst().orElse("").strip();
  }

  /** Prints a failure to {@code err}: one line, or the stack trace under {@link #debug()}. */
  public static void report(Throwable ex, PrintStream err) {
    err.flush();
    if (debug()) {
      ex.printStackTrace(err);
      return;
    }
    err.println("workbench: " + oneLine(ex));
  }
}
