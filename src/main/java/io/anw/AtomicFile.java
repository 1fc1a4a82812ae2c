package io.anw;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;

/**
 * Writes files so that readers never see half-written output: the content goes to a hidden,
 * uniquely named temporary file beside the target (created like any new file, permissions from
 * the umask), which is renamed over the target only when complete. On failure the target is
 * untouched, the temporary file removed, and a {@link WorkbenchException} names the target.
 * A temporary file is named {@code .TARGET.PID-RANDOM.tmp}; one left by a killed process is
 * removed by the next write of the same target.
 */
public final class AtomicFile {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Fills the temporary file, given by path (for libraries that write to a path). */
  @FunctionalInterface
  public interface PathWriter {
    /** Writes everything to {@code tmp}. */
    void writeTo(Path tmp) throws IOException;
  }

  /** Fills the temporary file through a stream (buffered; closed by {@link AtomicFile}). */
  @FunctionalInterface
  public interface StreamWriter {
    /** Writes everything to {@code out}. */
    void writeTo(OutputStream out) throws IOException;
  }

  private AtomicFile() {}

  /** Writes {@code target} through {@code writer}, which gets the temporary path. */
  public static Path write(Path target, PathWriter writer) {
    Path abs = target.toAbsolutePath();
    Path tmp = abs.resolveSibling("." + abs.getFileName() + "." + ProcessHandle.current().pid()
        + "-" + Long.toHexString(RANDOM.nextLong()) + ".tmp");
    try {
      Files.createDirectories(abs.getParent());
      removeStale(abs);
      writer.writeTo(tmp);
      try {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
      return target;
    } catch (IOException e) {
      throw new WorkbenchException(target + ": cannot write (" + e.getMessage() + ")", e);
    } finally {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // best effort: the temporary file is hidden and named after the target
      }
    }
  }

  /**
   * Removes temporary files of {@code target} left by runs that were killed while writing it
   * (their process is gone); those of live writers stay.
   */
  static void removeStale(Path target) {
    String prefix = "." + target.getFileName() + ".";
    try (java.util.stream.Stream<Path> s = Files.list(target.getParent())) {
      for (Path p : s.toList()) {
        String n = p.getFileName().toString();
        if (!n.startsWith(prefix) || !n.endsWith(".tmp")) {
          continue;
        }
        String id = n.substring(prefix.length(), n.length() - 4);
        int dash = id.indexOf('-');
        try {
          long pid = dash < 0 ? -1 : Long.parseLong(id.substring(0, dash));
          boolean alive = pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive)
              .orElse(false);
          if (!alive) {
            Files.deleteIfExists(p);
          }
        } catch (NumberFormatException | IOException e) {
          // not ours, or already gone
        }
      }
    } catch (IOException e) {
      // the folder cannot be listed: nothing to clean
    }
  }

  /** Writes {@code target} through a buffered stream on a new temporary file. */
  public static Path stream(Path target, StreamWriter writer) {
    return write(target, tmp -> {
      try (OutputStream out = new BufferedOutputStream(
          Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
          1 << 20)) {
        writer.writeTo(out);
      }
    });
  }

  /** Writes {@code bytes} to {@code target} atomically. */
  public static Path write(Path target, byte[] bytes) {
    return stream(target, out -> out.write(bytes));
  }
}
