package io.anw.tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A file read through read-only memory maps: the whole file at once when it is under 2 GiB,
 * otherwise one map per requested region. Mapped bytes live outside the Java heap.
 */
final class MappedFile {
  private final Path path;
  private final long size;
  private final ByteBuffer whole;

  /** Opens and (if small enough) maps {@code path}. */
  MappedFile(Path path) throws IOException {
    this.path = path;
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      this.size = ch.size();
      this.whole = size <= Integer.MAX_VALUE ? ch.map(FileChannel.MapMode.READ_ONLY, 0, size) : null;
    }
  }

  /** The file's path. */
  Path path() {
    return path;
  }

  /** Length in bytes. */
  long size() {
    return size;
  }

  /** Whether {@code [offset, offset+length)} lies inside the file (overflow-safe). */
  boolean contains(long offset, long length) {
    return offset >= 0 && length >= 0 && offset <= size && length <= size - offset;
  }

  /**
   * The bytes {@code [offset, offset+length)}, little-endian, read-only, position 0; throws
   * {@link IllegalArgumentException} if the region is outside the file or over 2 GiB.
   */
  ByteBuffer region(long offset, long length) {
    if (!contains(offset, length)) {
      throw new IllegalArgumentException("region " + offset + "+" + length + " lies outside the file of "
          + size + " bytes");
    }
    if (length > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("region of " + length + " bytes is larger than 2 GiB");
    }
    if (whole != null) {
      return whole.slice((int) offset, (int) length).order(ByteOrder.LITTLE_ENDIAN);
    }
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      return ch.map(FileChannel.MapMode.READ_ONLY, offset, length).order(ByteOrder.LITTLE_ENDIAN);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A lazily mapped storage over {@code [offset, offset+length)} (checked now). */
  Storage storage(long offset, long length) {
    if (!contains(offset, length)) {
      throw new IllegalArgumentException("storage at " + offset + "+" + length + " lies outside the file of "
          + size + " bytes");
    }
    return Storage.lazy(path.getFileName().toString(), length, () -> region(offset, length));
  }
}
