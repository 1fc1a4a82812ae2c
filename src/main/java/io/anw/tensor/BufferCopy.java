package io.anw.tensor;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/** Copies (possibly memory-mapped) buffers to streams in bounded chunks. */
final class BufferCopy {
  private BufferCopy() {}

  /** Copies a buffer's remaining bytes to {@code out} in chunks (the buffer's position is kept). */
  static void copy(ByteBuffer src, OutputStream out) throws IOException {
    ByteBuffer b = src.duplicate();
    byte[] chunk = new byte[(int) Math.min(b.remaining(), 1 << 20)];
    while (b.hasRemaining()) {
      int n = Math.min(chunk.length, b.remaining());
      b.get(chunk, 0, n);
      out.write(chunk, 0, n);
    }
  }
}
