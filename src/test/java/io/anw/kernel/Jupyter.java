package io.anw.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Jupyter for tests: whether it is here, the workbench's kernelspec installed once per
 * test JVM into a temporary prefix (found through {@code JUPYTER_PATH}), and commands run with
 * that environment.
 */
public final class Jupyter {
  /** Debian's Python, with the Jupyter modules. */
  public static final Path PYTHON = Path.of("/usr/bin/python3");
  private static Path prefix;

  private Jupyter() {}

  /** Why Jupyter cannot be used here (packages to install), or empty when it can. */
  public static Optional<String> missing() {
    if (!Files.isExecutable(PYTHON)) {
      return Optional.of("no /usr/bin/python3");
    }
    try {
      Process p = new ProcessBuilder(PYTHON.toString(), "-c",
          "import jupyter_client, nbclient, nbconvert, notebook").redirectErrorStream(true)
          .start();
      p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return Optional.of("Jupyter not installed (apt-get install jupyter-notebook"
            + " python3-jupyter-client jupyter-nbconvert python3-nbclient)");
      }
    } catch (IOException | InterruptedException e) {
      return Optional.of("cannot run python3: " + e.getMessage());
    }
    return Optional.empty();
  }

  /** The Jupyter data folder holding the installed kernelspec ({@code JUPYTER_PATH}). */
  public static synchronized Path path() throws IOException {
    if (prefix == null) {
      prefix = Files.createTempDirectory("workbench-jupyter");
      KernelSpec.install(Path.of("workbench").toAbsolutePath(),
          KernelSpec.folder(prefix, WorkbenchKernel.NAME), WorkbenchKernel.NAME);
      Files.createDirectories(prefix.resolve("runtime"));
    }
    return prefix.resolve("share/jupyter");
  }

  /** A process builder for {@code command} with the kernelspec on the Jupyter path. */
  public static ProcessBuilder command(List<String> command) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    env.put("JUPYTER_PATH", path().toString());
    env.put("JUPYTER_RUNTIME_DIR", prefix.resolve("runtime").toString());
    env.put("PYDEVD_DISABLE_FILE_VALIDATION", "1");
    return pb;
  }

  /** The result of a command: exit code and its merged output. */
  public record Result(int code, String output) {}

  /** Runs {@code command} to its end (at most {@code seconds}), output merged. */
  public static Result run(List<String> command, long seconds) throws Exception {
    Process p = command(command).redirectErrorStream(true).start();
    StringBuilder out = new StringBuilder();
    Thread reader = new Thread(() -> {
      try {
        out.append(new String(p.getInputStream().readAllBytes()));
      } catch (IOException ignored) {
        // the process ended
      }
    });
    reader.start();
    if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      reader.join(5000);
      return new Result(-1, out + "\n(timed out after " + seconds + " s)");
    }
    reader.join(10000);
    return new Result(p.exitValue(), out.toString());
  }

  /**
   * Executes {@code ipynb} with {@code jupyter nbconvert --execute} (the kernel its metadata
   * names) into {@code out}; cells may take up to {@code cellSeconds}.
   */
  public static Result nbconvertExecute(Path ipynb, Path out, int cellSeconds) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(PYTHON.toString(), "-m", "nbconvert",
        "--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=" + cellSeconds,
        "--ExecutePreprocessor.startup_timeout=180", "--output",
        out.toAbsolutePath().toString(), ipynb.toAbsolutePath().toString()));
    return run(cmd, cellSeconds * 4L + 300);
  }
}
