package io.anw.tensor;

import io.anw.WorkbenchException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Entry point for tensor files: {@link #read(Path)} recognises the format from the first bytes
 * (safetensors, PyTorch zip or legacy, plain pickle, .npy, .npz); {@link #write(Path, TensorTree)}
 * picks the writer from the extension.
 */
public final class TensorFiles {
  private TensorFiles() {}

  /**
   * Reads any supported tensor file. Tensor values are memory-mapped or loaded on first use.
   *
   * @throws TensorFileException if the file is missing, malformed, truncated or refused as unsafe
   */
  public static TensorTree read(Path path) {
    String src = path.getFileName() == null ? path.toString() : path.getFileName().toString();
    MappedFile file;
    try {
      file = new MappedFile(path);
    } catch (NoSuchFileException e) {
      throw new TensorFileException(path.toString(), "no such file");
    } catch (IOException e) {
      throw new TensorFileException(path.toString(), "cannot open: " + e.getMessage(), e);
    }
    try {
      return readMapped(file, src);
    } catch (WorkbenchException e) {
      throw e;
    } catch (RuntimeException | StackOverflowError e) {
      throw new TensorFileException(src, "malformed: " + (e.getMessage() == null ? e.getClass().getSimpleName()
          : e.getMessage()), e);
    }
  }

  private static TensorTree readMapped(MappedFile file, String src) {
    if (file.size() == 0) {
      throw new TensorFileException(src, "empty file");
    }
    ByteBuffer head = file.region(0, Math.min(file.size(), 16));
    int b0 = head.get(0) & 0xff;
    if (head.remaining() >= 4 && head.getInt(0) == 0x04034b50) {
      ZipIndex zip = new ZipIndex(file);
      if (TorchZipReader.isTorch(zip)) {
        return TorchZipReader.read(zip);
      }
      if (zip.entries().keySet().stream().anyMatch(n -> n.endsWith(".npy"))) {
        return NumpyReader.readNpz(zip);
      }
      throw new TensorFileException(src, "zip archive is neither a PyTorch checkpoint (no data.pkl) nor an .npz");
    }
    if (NpyFormat.hasMagic(head)) {
      return NumpyReader.readNpy(file);
    }
    if (head.remaining() >= 9 && head.get(8) == '{' && head.get(6) == 0 && head.get(7) == 0) {
      return SafetensorsReader.read(file); // 8-byte little-endian header length, then the JSON header
    }
    if (b0 == 0x80) {
      return TorchLegacyReader.read(file); // pickle PROTO opcode
    }
    throw new TensorFileException(src, "not a safetensors, PyTorch (.pt/.pth), pickle or NumPy file");
  }

  /**
   * Writes {@code tree} in the format named by {@code path}'s extension: {@code .safetensors},
   * {@code .npz}, {@code .npy} (one tensor) or {@code .pt}/{@code .pth} (a {@code torch.save}
   * zip of one flat dict, see {@link TorchWriter}). The file appears atomically (temp file,
   * rename).
   */
  public static void write(Path path, TensorTree tree) {
    String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".safetensors")) {
      SafetensorsWriter.write(path, tree);
    } else if (name.endsWith(".npz")) {
      NumpyWriter.writeNpz(path, tree);
    } else if (name.endsWith(".npy")) {
      if (tree.tensors().size() != 1) {
        throw new WorkbenchException(path.getFileName() + ": .npy holds one array, the tree has "
            + tree.tensors().size() + " tensors (write .npz or .safetensors)");
      }
      NumpyWriter.writeNpy(path, tree.tensors().values().iterator().next());
    } else if (name.endsWith(".pt") || name.endsWith(".pth")) {
      TorchWriter.write(path, tree);
    } else {
      throw new WorkbenchException(path.getFileName() + ": unknown output format (use .safetensors, .npz, .npy, .pt or .pth)");
    }
  }

  /** The file name without its last extension: {@code ckpt} for {@code ckpt.pth}. */
  static String stem(String fileName) {
    int dot = fileName.lastIndexOf('.');
    return dot > 0 ? fileName.substring(0, dot) : fileName;
  }
}
