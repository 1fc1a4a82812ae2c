package io.anw.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A verb run in this JVM with its output captured, for tests.
 *
 * @param code exit code
 * @param out what it printed to stdout
 * @param err what it printed to stderr
 */
record CliRun(int code, String out, String err) {
  /** Runs {@link Main#execute} with {@code args}, capturing stdout and stderr. */
  static CliRun exec(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      return new CliRun(Main.execute(args), out.toString(StandardCharsets.UTF_8),
          err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  /** The last line on stderr (where the one-line error goes). */
  String lastErrLine() {
    List<String> lines = err.strip().lines().toList();
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
  }
}
