package io.anw.tensor;

import java.nio.ByteBuffer;
import java.util.function.Supplier;

/**
 * A flat run of bytes that one or more {@link Tensor}s view, loaded on first use.
 *
 * <p>File-backed storages are memory-mapped (off the Java heap) or read lazily, so opening a
 * checkpoint costs little heap until values are asked for.
 */
public final class Storage {
  private final long byteSize;
  private final Supplier<ByteBuffer> loader;
  private ByteBuffer bytes;

  private Storage(long byteSize, Supplier<ByteBuffer> loader) {
    this.byteSize = byteSize;
    this.loader = loader;
  }

  /** A storage over bytes already in memory (not copied). */
  public static Storage of(byte[] data) {
    ByteBuffer b = ByteBuffer.wrap(data);
    Storage s = new Storage(data.length, () -> b);
    s.bytes = b;
    return s;
  }

  /**
   * A storage of {@code byteSize} bytes that {@code loader} supplies on first use; a loader
   * failure becomes a {@link TensorFileException} naming {@code source}.
   */
  public static Storage lazy(String source, long byteSize, Supplier<ByteBuffer> loader) {
    return new Storage(byteSize, () -> {
      try {
        return loader.get();
      } catch (TensorFileException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new TensorFileException(source, "cannot load tensor data: " + e.getMessage(), e);
      }
    });
  }

  /** Length in bytes. */
  public long byteSize() {
    return byteSize;
  }

  /**
   * The bytes as a read-only buffer positioned at 0 with limit {@link #byteSize()}; byte order is
   * left for the caller to set on its own duplicate.
   */
  public synchronized ByteBuffer bytes() {
    if (bytes == null) {
      ByteBuffer b = loader.get();
      if (b.remaining() != byteSize) {
        throw new IllegalStateException("storage loaded " + b.remaining() + " bytes, expected " + byteSize);
      }
      bytes = b.slice();
    }
    return bytes.asReadOnlyBuffer();
  }
}
