package io.anw.repl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Drives a terminal program under tmux for tests: a private tmux server (own socket), keys sent
 * with send-keys, the screen read with capture-pane.
 */
final class TmuxTerminal implements AutoCloseable {
  private final String socket = "anw-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
  private final String session = "t";

  /** Whether tmux is installed. */
  static boolean available() {
    try {
      return new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /** Starts {@code script} (an executable file) in a new 160x50 tmux session. */
  void start(Path script) throws IOException, InterruptedException {
    tmux("new-session", "-d", "-s", session, "-x", "160", "-y", "50", script.toString());
  }

  /** Sends keys (tmux key names like {@code Enter}, {@code Tab}, {@code Up}, {@code C-d}). */
  void send(String... keys) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("send-keys", "-t", session));
    args.addAll(List.of(keys));
    tmux(args.toArray(String[]::new));
  }

  /** Sends text literally (no key-name interpretation). */
  void type(String text) throws IOException, InterruptedException {
    tmux("send-keys", "-t", session, "-l", text);
  }

  /** The visible screen plus scroll-back. */
  String screen() throws IOException, InterruptedException {
    return tmux("capture-pane", "-p", "-S", "-200", "-t", session);
  }

  /** Waits until the screen satisfies {@code condition}; returns the screen or throws. */
  String await(Predicate<String> condition, Duration timeout, String what)
      throws IOException, InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    String s = "";
    while (System.nanoTime() < end) {
      s = screen();
      if (condition.test(s)) {
        return s;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("timed out waiting for " + what + "; screen:\n" + s);
  }

  /** Whether the session is still running. */
  boolean alive() throws InterruptedException {
    try {
      Process p = new ProcessBuilder("tmux", "-L", socket, "has-session", "-t", session)
          .redirectErrorStream(true).start();
      return p.waitFor() == 0;
    } catch (IOException e) {
      return false;
    }
  }

  private String tmux(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("tmux", "-L", socket));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    tmux("kill-server");
  }

  /** Writes an executable shell script that runs the workbench REPL with a given home. */
  static Path replLauncher(Path dir, Path home) throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path script = dir.resolve("repl.sh");
    Files.writeString(script, "#!/bin/sh\n"
        + "export WORKBENCH_HOME='" + home + "' OPT_OUT_TRACKING=true TERM=xterm-256color\n"
        + "cd '" + dir + "'\n"
        + "exec '" + java + "' -Dai.djl.offline=true -cp '" + System.getProperty("java.class.path")
        + "' io.anw.cli.Main repl\n");
    script.toFile().setExecutable(true);
    return script;
  }
}
