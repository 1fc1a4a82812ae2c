package io.anw.tensor;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the legacy PyTorch format ({@code _use_new_zipfile_serialization=False}): a sequence of
 * pickles (magic number, protocol version, sys_info, the object with storages as persistent
 * ids, the list of storage keys) followed by each storage as an 8-byte element count and raw
 * bytes. Storages are memory-mapped in place. A file whose first pickle is not the magic number
 * is read as a plain pickle (format {@code pickle}).
 */
final class TorchLegacyReader {
  static final BigInteger MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
  private static final long PROTOCOL_VERSION = 1001;

  private TorchLegacyReader() {}

  /** A storage named by the pickle, located in the file once the key list has been read. */
  private static final class Pending {
    final DType dtype;
    final long numel;
    long fileOffset = -1;

    Pending(DType dtype, long numel) {
      this.dtype = dtype;
      this.numel = numel;
    }
  }

  /** Reads {@code file}. */
  static TensorTree read(MappedFile file) {
    String src = file.path().getFileName().toString();
    ByteBuffer in = file.region(0, Math.min(file.size(), Integer.MAX_VALUE - 8));
    Map<String, Pending> pending = new LinkedHashMap<>();
    Map<String, TorchPickled.StorageRef> refs = new HashMap<>();
    ByteOrder[] order = {ByteOrder.LITTLE_ENDIAN};
    Unpickler u = new Unpickler(in, src, PickleAllowList.STANDARD,
        pid -> storage(file, src, pending, refs, order[0], pid));
    Object first = u.load();
    String stem = TensorFiles.stem(src);
    if (!MAGIC.equals(first)) {
      if (!pending.isEmpty()) {
        throw new TensorFileException(src, "pickle refers to storages but is not a torch file");
      }
      return TreeFlattener.flatten(first, src, "pickle", stem);
    }
    Object version = u.load();
    if (!Long.valueOf(PROTOCOL_VERSION).equals(version)) {
      throw new TensorFileException(src, "unsupported legacy torch protocol version " + PyRepr.repr(version));
    }
    if (u.load() instanceof Map<?, ?> sysInfo && Boolean.FALSE.equals(sysInfo.get("little_endian"))) {
      order[0] = ByteOrder.BIG_ENDIAN;
    }
    Object root = u.load();
    Object keys = u.load();
    if (!(keys instanceof List<?> keyList)) {
      throw new TensorFileException(src, "legacy torch file lacks its storage key list");
    }
    locate(file, src, in.position(), keyList, pending);
    return TreeFlattener.flatten(root, src, "pytorch-legacy", stem);
  }

  /** Walks the storages after the key list, recording where each one's bytes start. */
  private static void locate(MappedFile file, String src, long at, List<?> keys, Map<String, Pending> pending) {
    long pos = at;
    for (Object item : keys) {
      String k = PyRepr.clip(PyRepr.str(item), 40);
      Pending p = pending.get(PyRepr.str(item));
      if (p == null) {
        throw new TensorFileException(src, "storage key " + k + " is not used by the pickle");
      }
      if (!file.contains(pos, 8)) {
        throw new TensorFileException(src, "truncated: storage " + k + " is missing");
      }
      long numel = file.region(pos, 8).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
      if (numel != p.numel) {
        throw new TensorFileException(src, "storage " + k + " holds " + numel + " values, the pickle says " + p.numel);
      }
      long bytes = numel * p.dtype.byteSize();
      if (!file.contains(pos + 8, bytes)) {
        throw new TensorFileException(src, "truncated: storage " + k + " needs " + bytes + " bytes");
      }
      p.fileOffset = pos + 8;
      pos += 8 + bytes;
    }
    for (Map.Entry<String, Pending> e : pending.entrySet()) {
      if (e.getValue().fileOffset < 0) {
        throw new TensorFileException(src, "storage " + e.getKey() + " is not in the file");
      }
    }
  }

  /**
   * Resolves {@code ('storage', StorageType, root_key, location, numel, view_metadata)}; the
   * bytes are mapped once {@link #locate} has found them.
   */
  private static Object storage(MappedFile file, String src, Map<String, Pending> pending,
      Map<String, TorchPickled.StorageRef> refs, ByteOrder order, Object pid) {
    if (!(pid instanceof List<?> t) || t.size() < 5 || !"storage".equals(t.get(0))) {
      throw new IllegalArgumentException("unexpected persistent id " + PyRepr.repr(pid));
    }
    DType dtype = TorchPickled.storageDType(t.get(1));
    String key = PyRepr.str(t.get(2));
    long numel = PickleArgs.longValue(t.get(4), "storage size");
    if (numel < 0 || numel > file.size() / dtype.byteSize()) {
      throw new IllegalArgumentException("storage " + key + " claims " + numel + " values, more than the file holds");
    }
    TorchPickled.StorageRef root = refs.get(key);
    if (root == null) {
      Pending p = new Pending(dtype, numel);
      pending.put(key, p);
      long bytes = numel * dtype.byteSize();
      Storage s = Storage.lazy(src, bytes, () -> file.region(p.fileOffset, bytes));
      root = new TorchPickled.StorageRef(dtype, s, order);
      refs.put(key, root);
    }
    Object view = t.size() > 5 ? t.get(5) : null;
    if (view == null) {
      return root;
    }
    if (!(view instanceof List<?> v) || v.size() != 3) {
      throw new IllegalArgumentException("unexpected storage view " + PyRepr.repr(view));
    }
    long offset = PickleArgs.longValue(v.get(1), "view offset");
    long size = PickleArgs.longValue(v.get(2), "view size");
    if (offset < 0 || size < 0 || offset > root.storage().byteSize() / dtype.byteSize()
        || size > root.storage().byteSize() / dtype.byteSize() - offset) {
      throw new IllegalArgumentException("storage view outside its storage");
    }
    TorchPickled.StorageRef base = root;
    int es = dtype.byteSize();
    Storage slice = Storage.lazy(src, size * es,
        () -> base.storage().bytes().slice((int) (offset * es), (int) (size * es)));
    return new TorchPickled.StorageRef(dtype, slice, order);
  }
}
