package io.anw.kernel;

/**
 * Ends the kernel when the process that started it is gone (Jupyter names it in
 * {@code JPY_PARENT_PID}), so a notebook server that crashed or was killed leaves no kernel
 * behind.
 */
final class ParentWatch {
  private ParentWatch() {}

  /** Starts watching the parent named by {@code JPY_PARENT_PID}, if any. */
  static void start() {
    String pid = System.getenv("JPY_PARENT_PID");
    if (pid == null || !pid.matches("\\d+")) {
      return;
    }
    ProcessHandle.of(Long.parseLong(pid)).ifPresent(parent -> {
      Thread t = new Thread(() -> {
        parent.onExit().join();
        System.exit(0);
      }, "jupyter-parent-watch");
      t.setDaemon(true);
      t.start();
    });
  }
}
