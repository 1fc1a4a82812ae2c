package io.anw.tensor;

import io.anw.AtomicFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes a float32 C-order {@code .npy} whose shape is known before its values, piece by piece
 * at any element offset: e.g. a log-mel {@code [mels, frames]} of a long recording produced a
 * block of frames at a time, without holding it in memory. The file appears atomically when
 * {@link #write} returns.
 */
public final class NpyStreamWriter {
  private final FileChannel ch;
  private final long dataStart;
  private final long elements;
  private ByteBuffer buf = ByteBuffer.allocate(0);

  private NpyStreamWriter(FileChannel ch, long dataStart, long elements) {
    this.ch = ch;
    this.dataStart = dataStart;
    this.elements = elements;
  }

  /** What fills the file. */
  @FunctionalInterface
  public interface Filler {
    /** Writes every element through {@code out}. */
    void fill(NpyStreamWriter out) throws IOException;
  }

  /** Writes {@code target}, a float32 array of {@code shape}, filled by {@code filler}. */
  public static Path write(Path target, long[] shape, Filler filler) {
    long n = 1;
    for (long d : shape) {
      n = Math.multiplyExact(n, d);
    }
    long elements = n;
    byte[] header = NpyFormat.headerBytes("<f4", false, shape);
    return AtomicFile.write(target, tmp -> {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE)) {
        ch.write(ByteBuffer.wrap(header), 0);
        NpyStreamWriter w = new NpyStreamWriter(ch, header.length, elements);
        filler.fill(w);
        // unwritten elements read as 0: extend the file to its full size
        ByteBuffer last = ByteBuffer.allocate(1);
        if (ch.size() < header.length + 4 * elements) {
          ch.write(last, header.length + 4 * elements - 1);
        }
      }
    });
  }

  /** Writes {@code values[off .. off+len)} as elements {@code at ..} (row-major index). */
  public void put(long at, float[] values, int off, int len) throws IOException {
    if (at < 0 || len < 0 || at + len > elements) {
      throw new IndexOutOfBoundsException("elements " + at + ".." + (at + len) + " of "
          + elements);
    }
    if (buf.capacity() < 4 * len) {
      buf = ByteBuffer.allocate(4 * len).order(ByteOrder.LITTLE_ENDIAN);
    }
    buf.clear();
    buf.asFloatBuffer().put(values, off, len);
    buf.limit(4 * len);
    long pos = dataStart + 4 * at;
    while (buf.hasRemaining()) {
      pos += ch.write(buf, pos);
    }
  }
}
