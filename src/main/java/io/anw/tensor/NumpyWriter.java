package io.anw.tensor;

import io.anw.AtomicFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes NumPy {@code .npy} (one tensor) and {@code .npz} (every tensor as {@code <key>.npy},
 * stored uncompressed like {@code numpy.savez}; metadata as 0-d or n-d unicode arrays).
 */
final class NumpyWriter {
  private NumpyWriter() {}

  /** Writes one tensor as {@code .npy}; BF16 is refused (NumPy has no bfloat16). */
  static void writeNpy(Path path, Tensor t) {
    byte[] header = NpyFormat.headerBytes(descr(path, t), false, t.shape());
    ByteBuffer data = t.contiguousBytes();
    AtomicFile.stream(path, out -> {
      out.write(header);
      BufferCopy.copy(data, out);
    });
  }

  /** Writes every tensor and metadata leaf of {@code tree} as an {@code .npz}. */
  static void writeNpz(Path path, TensorTree tree) {
    for (Tensor t : tree.tensors().values()) {
      descr(path, t); // refuse before writing anything
    }
    AtomicFile.stream(path, out -> {
      ZipOutputStream zip = new ZipOutputStream(out);
      for (Map.Entry<String, Tensor> e : tree.tensors().entrySet()) {
        Tensor t = e.getValue();
        member(zip, e.getKey(), NpyFormat.headerBytes(descr(path, t), false, t.shape()), t.contiguousBytes());
      }
      for (Map.Entry<String, Object> e : tree.metadata().entrySet()) {
        TextArray text = e.getValue() instanceof TextArray a ? a
            : new TextArray(new long[0], List.of(PyRepr.str(e.getValue())));
        int chars = text.values().stream().mapToInt(s -> s.codePointCount(0, s.length())).max().orElse(0);
        member(zip, e.getKey(), NpyFormat.headerBytes("<U" + Math.max(chars, 1), false, text.shape()),
            utf32(text.values(), Math.max(chars, 1)));
      }
      zip.finish();
    });
  }

  private static void member(ZipOutputStream zip, String key, byte[] header, ByteBuffer data) throws IOException {
    CRC32 crc = new CRC32();
    crc.update(header);
    crc.update(data.duplicate());
    ZipEntry z = new ZipEntry(key + ".npy");
    z.setMethod(ZipEntry.STORED);
    z.setSize(header.length + (long) data.remaining());
    z.setCompressedSize(z.getSize());
    z.setCrc(crc.getValue());
    zip.putNextEntry(z);
    zip.write(header);
    BufferCopy.copy(data, zip);
    zip.closeEntry();
  }

  private static ByteBuffer utf32(List<String> values, int chars) {
    ByteBuffer b = ByteBuffer.allocate(values.size() * chars * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (String s : values) {
      int start = b.position();
      s.codePoints().forEach(b::putInt);
      b.position(start + chars * 4);
    }
    return b.flip();
  }

  private static String descr(Path path, Tensor t) {
    if (t.dtype().numpyCode() == null) {
      throw new TensorFileException(path.getFileName().toString(), "NumPy has no " + t.dtype()
          + " dtype; write .safetensors instead");
    }
    return (t.dtype().byteSize() == 1 ? "|" : "<") + t.dtype().numpyCode();
  }
}
