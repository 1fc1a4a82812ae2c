package io.anw.tensor;

import java.nio.ByteBuffer;
import java.util.Map;

/**
 * Reads NumPy {@code .npy} files (one array, keyed by the file's stem) and {@code .npz} archives
 * (one array per member, keyed by the member name without {@code .npy}). Numeric arrays become
 * memory-mapped (or lazily inflated) tensors; string arrays become {@link TextArray} metadata.
 */
final class NumpyReader {
  /** Bytes inflated up front to parse a compressed member's header. */
  private static final int HEAD = 1 << 16;

  private NumpyReader() {}

  /** Reads a single {@code .npy} file. */
  static TensorTree readNpy(MappedFile file) {
    String src = file.path().getFileName().toString();
    ByteBuffer head = file.region(0, Math.min(file.size(), (1 << 20) + 16));
    NpyFormat.Header h = NpyFormat.header(head);
    checkFits(src, h, file.size());
    Storage data = file.storage(h.dataOffset(), h.dataBytes());
    TensorTree.Builder tree = TensorTree.builder(src, "npy");
    add(tree, TensorFiles.stem(src), h.descr().array(h.shape(), h.fortran(), data));
    return tree.build();
  }

  /** Reads every {@code .npy} member of a {@code .npz} archive. */
  static TensorTree readNpz(ZipIndex zip) {
    String src = zip.file().path().getFileName().toString();
    TensorTree.Builder tree = TensorTree.builder(src, "npz");
    for (Map.Entry<String, ZipIndex.Entry> m : zip.entries().entrySet()) {
      ZipIndex.Entry e = m.getValue();
      if (e.name().endsWith("/")) {
        continue;
      }
      String member = src + "/" + e.name();
      NpyFormat.Header h;
      try {
        h = NpyFormat.header(zip.head(e, HEAD + 16));
      } catch (IllegalArgumentException ex) {
        throw new TensorFileException(member, ex.getMessage());
      }
      checkFits(member, h, e.size());
      long offset = h.dataOffset();
      long length = h.dataBytes();
      Storage data = e.method() == 0
          ? zip.file().storage(e.dataOffset() + offset, length)
          : Storage.lazy(member, length, () -> zip.read(e, Integer.MAX_VALUE - 8).slice((int) offset, (int) length));
      String key = e.name().endsWith(".npy") ? e.name().substring(0, e.name().length() - 4) : e.name();
      add(tree, key, h.descr().array(h.shape(), h.fortran(), data));
    }
    return tree.build();
  }

  private static void checkFits(String src, NpyFormat.Header h, long available) {
    long need;
    try {
      need = h.dataBytes();
    } catch (ArithmeticException e) {
      throw new TensorFileException(src, ".npy shape overflows");
    }
    if (need > available - h.dataOffset()) {
      throw new TensorFileException(src, ".npy data needs " + need + " bytes but only "
          + (available - h.dataOffset()) + " follow the header (truncated?)");
    }
  }

  private static void add(TensorTree.Builder tree, String key, Object array) {
    if (array instanceof Tensor t) {
      tree.tensor(key, t);
    } else {
      tree.meta(key, array);
    }
  }
}
