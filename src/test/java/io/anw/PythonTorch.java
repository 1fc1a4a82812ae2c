package io.anw;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs a script with Debian's {@code /usr/bin/python3} and its torch (1.13) for interop tests;
 * the calling test is skipped (with a message) when either is missing.
 */
public final class PythonTorch {
  private static final Path PYTHON = Path.of("/usr/bin/python3");
  private static Boolean available;

  private PythonTorch() {}

  /** Skips the calling test unless {@code /usr/bin/python3} can {@code import torch}. */
  public static void assumeAvailable() {
    if (available == null) {
      available = Files.isExecutable(PYTHON) && run0("import torch").exit == 0;
    }
    Assumptions.assumeTrue(available, "/usr/bin/python3 with torch is not available (apt-get install python3-torch)");
  }

  /** Runs {@code script} with {@code args}; returns stdout+stderr, failing on a non-zero exit. */
  public static String run(String script, String... args) {
    assumeAvailable();
    Result r = run0(script, args);
    if (r.exit != 0) {
      throw new AssertionError("python failed (exit " + r.exit + "):\n" + r.output);
    }
    return r.output.strip();
  }

  private record Result(int exit, String output) {}

  private static Result run0(String script, String... args) {
    List<String> cmd = new ArrayList<>(List.of(PYTHON.toString(), "-c", script));
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, "timed out");
      }
      return new Result(p.exitValue(), out);
    } catch (IOException e) {
      return new Result(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, e.toString());
    }
  }
}
