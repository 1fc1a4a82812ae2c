package io.anw;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A claim on an output (a file or a folder) for one run: {@code OUT.lock} beside it holds the
 * process id, host and start time. A second run writing the same output while the first is
 * alive is refused with one line; a lock whose process is gone (a killed run) is taken over.
 * The lock is removed when closed, and at JVM exit.
 */
public final class OutputLock implements AutoCloseable {
  private final Path lock;
  private final Thread hook;
  private boolean closed;

  private OutputLock(Path lock) {
    this.lock = lock;
    this.hook = new Thread(this::remove, "remove " + lock.getFileName());
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** The lock file of {@code output}: {@code OUT.lock} in the same folder. */
  public static Path lockFile(Path output) {
    Path abs = output.toAbsolutePath().normalize();
    return abs.resolveSibling(abs.getFileName() + ".lock");
  }

  /**
   * Claims {@code output} for this run.
   *
   * @throws WorkbenchException when another live process holds it, or the lock cannot be made
   */
  public static OutputLock acquire(Path output) {
    Path lock = lockFile(output);
    String me = ProcessHandle.current().pid() + " " + host() + " " + Instant.now();
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        Files.createDirectories(lock.getParent());
        Files.writeString(Files.createFile(lock), me + "\n", StandardCharsets.UTF_8);
        return new OutputLock(lock);
      } catch (FileAlreadyExistsException e) {
        String holder = read(lock);
        if (holder != null && alive(holder)) {
          String[] f = holder.split(" ");
          throw new WorkbenchException(output + ": in use by another run (process " + f[0]
              + (f.length > 2 ? ", started " + f[2] : "") + "); wait for it, or delete "
              + lock + " if that run is gone");
        }
        try {
          Files.deleteIfExists(lock); // stale: its process is gone
        } catch (IOException ex) {
          throw new WorkbenchException(lock + ": stale lock cannot be removed ("
              + ex.getMessage() + ")", ex);
        }
      } catch (IOException e) {
        throw new WorkbenchException(lock + ": cannot create the output lock ("
            + e.getMessage() + ")", e);
      }
    }
    throw new WorkbenchException(output + ": another run keeps claiming it; try again");
  }

  private static String read(Path lock) {
    try {
      return Files.readString(lock, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return null;
    }
  }

  /** Whether the holder line names a live process (on another host: assumed alive). */
  private static boolean alive(String holder) {
    String[] f = holder.split(" ");
    try {
      long pid = Long.parseLong(f[0]);
      if (f.length > 1 && !f[1].equals(host())) {
        return true;
      }
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    } catch (NumberFormatException e) {
      return false; // not a lock of ours: take it over
    }
  }

  private static final String HOST = findHost();

  private static String host() {
    return HOST;
  }

  private static String findHost() {
    String h = System.getenv("HOSTNAME");
    if (h == null || h.isBlank()) {
      try {
        h = java.net.InetAddress.getLocalHost().getHostName();
      } catch (IOException e) {
        h = "localhost";
      }
    }
    return h.replace(' ', '_');
  }

  private synchronized void remove() {
    if (!closed) {
      closed = true;
      try {
        Files.deleteIfExists(lock);
      } catch (IOException e) {
        // left behind: the next run finds its process gone and takes it over
      }
    }
  }

  /** Releases the output. */
  @Override
  public void close() {
    remove();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // already shutting down
    }
  }
}
