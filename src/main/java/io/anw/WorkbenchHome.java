package io.anw;

import java.nio.file.Path;

/**
 * The per-user workbench folder: {@code $WORKBENCH_HOME}, or {@code ~/.workbench}. It holds the
 * REPL history, the JLine native library extracted once ({@code native/}) and JVM crash logs
 * ({@code crash/}, set by the launcher).
 */
public final class WorkbenchHome {
  private WorkbenchHome() {}

  /** The folder (not created here). */
  public static Path dir() {
    String env = System.getenv("WORKBENCH_HOME");
    return env != null && !env.isBlank() ? Path.of(env)
        : Path.of(System.getProperty("user.home"), ".workbench");
  }
}
