package io.anw.tensor;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the PyTorch zip format ({@code torch.save} since 1.6): {@code <top>/data.pkl} (the
 * object, storages as persistent ids), {@code <top>/data/<key>} (one raw storage each, stored
 * uncompressed, hence memory-mapped) and optionally {@code <top>/byteorder}. The top folder
 * name varies ({@code archive}, the file's stem, ...).
 */
final class TorchZipReader {
  /** Largest {@code data.pkl} accepted. */
  private static final long MAX_PICKLE = 1L << 30;

  private TorchZipReader() {}

  /** Whether the archive holds a {@code data.pkl} (at the top or one folder down). */
  static boolean isTorch(ZipIndex zip) {
    return pickleEntry(zip) != null;
  }

  private static ZipIndex.Entry pickleEntry(ZipIndex zip) {
    for (ZipIndex.Entry e : zip.entries().values()) {
      String n = e.name();
      if (n.equals("data.pkl") || (n.endsWith("/data.pkl") && n.indexOf('/') == n.length() - 9)) {
        return e;
      }
    }
    return null;
  }

  /** Unpickles {@code data.pkl} with the storages mapped from the archive. */
  static TensorTree read(ZipIndex zip) {
    String src = zip.file().path().getFileName().toString();
    ZipIndex.Entry pkl = pickleEntry(zip);
    String prefix = pkl.name().substring(0, pkl.name().length() - "data.pkl".length());
    if (zip.entries().containsKey(prefix + "constants.pkl")) {
      throw new TensorFileException(src, "is a TorchScript archive (torch.jit.save), which runs model code; "
          + "save the state_dict with torch.save instead");
    }
    ByteOrder order = byteOrder(zip, prefix, src);
    Map<String, TorchPickled.StorageRef> storages = new HashMap<>();
    Unpickler u = new Unpickler(zip.read(pkl, MAX_PICKLE), src, PickleAllowList.STANDARD,
        pid -> storage(zip, prefix, order, storages, pid));
    Object root = u.load();
    return TreeFlattener.flatten(root, src, "pytorch-zip", TensorFiles.stem(src));
  }

  private static ByteOrder byteOrder(ZipIndex zip, String prefix, String src) {
    ZipIndex.Entry e = zip.entries().get(prefix + "byteorder");
    if (e == null) {
      return ByteOrder.LITTLE_ENDIAN;
    }
    byte[] b = new byte[(int) Math.min(e.size(), 16)];
    zip.head(e, 16).get(b);
    String text = new String(b, StandardCharsets.US_ASCII).trim();
    return switch (text) {
      case "little" -> ByteOrder.LITTLE_ENDIAN;
      case "big" -> ByteOrder.BIG_ENDIAN;
      default -> throw new TensorFileException(src, "unknown byteorder '" + PyRepr.clip(text, 20) + "'");
    };
  }

  /** Resolves {@code ('storage', StorageType, key, location, numel)} to the mapped storage (one per key). */
  private static Object storage(ZipIndex zip, String prefix, ByteOrder order,
      Map<String, TorchPickled.StorageRef> storages, Object pid) {
    if (!(pid instanceof List<?> t) || t.size() < 5 || !"storage".equals(t.get(0))) {
      throw new IllegalArgumentException("unexpected persistent id " + PyRepr.repr(pid));
    }
    DType dtype = TorchPickled.storageDType(t.get(1));
    String key = PyRepr.str(t.get(2));
    long numel = PickleArgs.longValue(t.get(4), "storage size");
    TorchPickled.StorageRef known = storages.get(key);
    if (known != null) {
      return known;
    }
    ZipIndex.Entry e = zip.entries().get(prefix + "data/" + key);
    if (e == null) {
      throw new IllegalArgumentException("storage " + PyRepr.clip(key, 40) + " is missing from the archive");
    }
    if (numel < 0 || numel > e.size() / dtype.byteSize()) {
      throw new IllegalArgumentException("storage " + key + " claims " + numel + " " + dtype
          + " values but holds " + e.size() + " bytes");
    }
    ZipIndex.Entry sized = new ZipIndex.Entry(e.name(), e.method(), e.method() == 0 ? numel * dtype.byteSize()
        : e.compressedSize(), e.method() == 0 ? numel * dtype.byteSize() : e.size(), e.dataOffset());
    Storage storage = zip.storage(sized);
    TorchPickled.StorageRef ref = new TorchPickled.StorageRef(dtype, storage, order);
    storages.put(key, ref);
    return ref;
  }
}
