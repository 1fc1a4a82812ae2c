package io.anw;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes files so that readers never see half-written output: the content goes to a hidden
 * temporary file beside the target, which is renamed over the target only when complete.
 */
public final class AtomicFile {
  /** Writes the whole content to the given (temporary) path. */
  @FunctionalInterface
  public interface Writer {
    /** Writes everything to {@code tmp}. */
    void writeTo(Path tmp) throws IOException;
  }

  private AtomicFile() {}

  /**
   * Writes {@code target} through {@code writer}: parent folders are created, the temporary
   * file is removed on failure, and an error names the target file.
   *
   * @return {@code target}
   */
  public static Path write(Path target, Writer writer) {
    Path abs = target.toAbsolutePath();
    Path tmp = abs.resolveSibling("." + abs.getFileName() + ".tmp-" + ProcessHandle.current().pid());
    try {
      Files.createDirectories(abs.getParent());
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

  /** Writes {@code bytes} to {@code target} atomically. */
  public static Path write(Path target, byte[] bytes) {
    return write(target, tmp -> Files.write(tmp, bytes));
  }
}
