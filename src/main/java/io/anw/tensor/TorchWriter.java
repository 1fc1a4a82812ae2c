package io.anw.tensor;

import io.anw.AtomicFile;
import io.anw.WorkbenchException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Writes files that {@code torch.load} reads: the zip format of {@code torch.save} (PyTorch ≥
 * 1.6). The archive holds {@code archive/data.pkl} (the object as a protocol-2 pickle, tensors as
 * {@code torch._utils._rebuild_tensor_v2} calls whose storages are persistent ids
 * {@code ('storage', torch.LongStorage, key, 'cpu', numel)}), {@code archive/byteorder}
 * ({@code little}), one raw little-endian storage per tensor in {@code archive/data/<key>} and
 * {@code archive/version} ({@code 3}). Members are STORED with their data 64-byte aligned (a
 * {@code FB} padding extra field, as torch writes), so they can be memory-mapped.
 *
 * <p>The object may nest {@link List}s (Python lists), {@link Tuple}s, {@link Map}s (dicts; keys
 * str, int, float or bool) of {@link Tensor}s and plain values: null (None), Boolean, Integer,
 * Long, Short, Byte, BigInteger (int), Double, Float (float), String (str), {@link TextArray}
 * (a str, or nested lists of str), {@link Namespace} ({@code argparse.Namespace}); a
 * {@link TensorTree} inside is written as a flat dict of its
 * dotted keys. Every tensor gets its own contiguous storage (the same
 * {@code Tensor} object twice shares one). The file appears atomically.
 *
 * <p>Limits: no ZIP64, so an archive holds at most 65,535 members and 4 GiB; unsigned 16/32/64
 * bit tensors are refused (torch 1.x has no such storages).
 */
public final class TorchWriter {
  private static final int ALIGN = 64;
  private static final int MAX_DEPTH = 200;
  private static final String TOP = "archive";

  private TorchWriter() {}

  /** A Python tuple (the writer's lists are Python lists). */
  public record Tuple(List<?> items) {
    /** Copies the items (nulls allowed). */
    public Tuple {
      items = java.util.Collections.unmodifiableList(new ArrayList<>(items));
    }

    /** A tuple of {@code items}. */
    public static Tuple of(Object... items) {
      return new Tuple(Arrays.asList(items));
    }
  }

  /**
   * A Python {@code argparse.Namespace} with these attributes (as M2D's training script saves
   * its arguments beside the weights: {@code {'model': state_dict, 'args': Namespace}}).
   */
  public record Namespace(Map<String, ?> attributes) {
    /** Copies the attributes, order kept. */
    public Namespace {
      attributes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(attributes));
    }
  }

  /** Writes {@code root} (a tensor, a value, or containers of them) to {@code path}. */
  public static Path write(Path path, Object root) {
    Pickler p = new Pickler(path.getFileName().toString());
    byte[] pickle = p.pickle(root);
    List<Member> members = new ArrayList<>();
    members.add(new Member(TOP + "/data.pkl", ByteBuffer.wrap(pickle)));
    members.add(new Member(TOP + "/byteorder", ascii("little")));
    for (int i = 0; i < p.storages.size(); i++) {
      members.add(new Member(TOP + "/data/" + i, p.storages.get(i).contiguousBytes()));
    }
    members.add(new Member(TOP + "/version", ascii("3\n")));
    if (members.size() > 0xffff) {
      throw new TensorFileException(path.getFileName().toString(), "has " + members.size()
          + " members, more than a zip without ZIP64 holds (65,535)");
    }
    return AtomicFile.stream(path, out -> writeZip(new CountingStream(out), members,
        path.getFileName().toString()));
  }

  /**
   * Writes {@code root} in the legacy format of {@code torch.save(...,
   * _use_new_zipfile_serialization=False)} (PyTorch before 1.6, and what old checkpoints are):
   * pickles of the magic number, protocol version 1001 and sys_info, the object (storages as
   * persistent ids {@code ('storage', torch.FloatStorage, key, 'cpu', numel, None)}), the list of
   * storage keys, then every storage as its int64 element count and raw little-endian bytes.
   */
  public static Path writeLegacy(Path path, Object root) {
    String src = path.getFileName().toString();
    Pickler p = new Pickler(src);
    p.legacy = true;
    byte[] object = p.pickle(root);
    Map<String, Object> sysInfo = new java.util.LinkedHashMap<>();
    sysInfo.put("protocol_version", 1001L);
    sysInfo.put("little_endian", true);
    sysInfo.put("type_sizes", Map.of("short", 2L, "int", 4L, "long", 4L));
    List<Object> keys = new ArrayList<>();
    for (int i = 0; i < p.storages.size(); i++) {
      keys.add(Integer.toString(i));
    }
    List<byte[]> head = List.of(new Pickler(src).pickle(TorchLegacyReader.MAGIC),
        new Pickler(src).pickle(1001L), new Pickler(src).pickle(sysInfo), object,
        new Pickler(src).pickle(keys));
    return AtomicFile.stream(path, out -> {
      for (byte[] h : head) {
        out.write(h);
      }
      for (Tensor t : p.storages) {
        out.write(le(8).putLong(t.numel()).array());
        ByteBuffer bytes = t.contiguousBytes();
        byte[] chunk = new byte[1 << 20];
        while (bytes.hasRemaining()) {
          int n = Math.min(chunk.length, bytes.remaining());
          bytes.get(chunk, 0, n);
          out.write(chunk, 0, n);
        }
      }
    });
  }

  /**
   * Writes a tree as one flat dict, {@code key → tensor or metadata value} in the tree's order (a
   * state_dict-like layout; keys stay dotted).
   */
  public static Path write(Path path, TensorTree tree) {
    return write(path, (Object) flatDict(tree));
  }

  private static Map<String, Object> flatDict(TensorTree tree) {
    Map<String, Object> dict = new java.util.LinkedHashMap<>();
    dict.putAll(tree.tensors());
    tree.metadata().forEach(dict::put);
    return dict;
  }

  private static ByteBuffer ascii(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
  }

  private record Member(String name, ByteBuffer data) {}

  private static void writeZip(CountingStream out, List<Member> members, String src) throws IOException {
    long[] offsets = new long[members.size()];
    long[] crcs = new long[members.size()];
    for (int i = 0; i < members.size(); i++) {
      Member m = members.get(i);
      byte[] name = m.name().getBytes(StandardCharsets.UTF_8);
      CRC32 crc = new CRC32();
      crc.update(m.data().duplicate());
      crcs[i] = crc.getValue();
      offsets[i] = out.count;
      long size = m.data().remaining();
      checkZip32(out.count + size, src);
      int unpadded = (int) ((out.count + 30 + name.length + 4) % ALIGN);
      int pad = (ALIGN - unpadded) % ALIGN;
      ByteBuffer h = le(30 + name.length + 4 + pad);
      h.putInt(0x04034b50).putShort((short) 20).putShort((short) 0).putShort((short) 0)
          .putShort((short) 0).putShort((short) 0x21).putInt((int) crcs[i]).putInt((int) size)
          .putInt((int) size).putShort((short) name.length).putShort((short) (4 + pad)).put(name)
          .put((byte) 'F').put((byte) 'B').putShort((short) pad);
      for (int k = 0; k < pad; k++) {
        h.put((byte) 'Z');
      }
      out.write(h.array());
      BufferCopy.copy(m.data(), out);
    }
    long cdStart = out.count;
    for (int i = 0; i < members.size(); i++) {
      Member m = members.get(i);
      byte[] name = m.name().getBytes(StandardCharsets.UTF_8);
      long size = m.data().remaining();
      ByteBuffer c = le(46 + name.length);
      c.putInt(0x02014b50).putShort((short) 20).putShort((short) 20).putShort((short) 0)
          .putShort((short) 0).putShort((short) 0).putShort((short) 0x21).putInt((int) crcs[i])
          .putInt((int) size).putInt((int) size).putShort((short) name.length).putShort((short) 0)
          .putShort((short) 0).putShort((short) 0).putShort((short) 0).putInt(0)
          .putInt((int) offsets[i]).put(name);
      out.write(c.array());
    }
    long cdSize = out.count - cdStart;
    checkZip32(out.count, src);
    ByteBuffer e = le(22);
    e.putInt(0x06054b50).putShort((short) 0).putShort((short) 0)
        .putShort((short) members.size()).putShort((short) members.size()).putInt((int) cdSize)
        .putInt((int) cdStart).putShort((short) 0);
    out.write(e.array());
  }

  private static void checkZip32(long offset, String src) {
    if (offset >= 0xffffffffL) {
      throw new TensorFileException(src, "would exceed 4 GiB, more than a zip without ZIP64 holds");
    }
  }

  private static ByteBuffer le(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Counts bytes written (zip offsets). */
  private static final class CountingStream extends OutputStream {
    private final OutputStream out;
    private long count;

    CountingStream(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }

  /** Protocol-2 pickler of the supported values; collects tensors as storages. */
  private static final class Pickler {
    private static final int BATCH = 1000;
    private final String src;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final List<Tensor> storages = new ArrayList<>();
    private final Map<Tensor, Integer> keys = new IdentityHashMap<>();
    /** Legacy persistent ids carry a sixth item, the view metadata (None). */
    private boolean legacy;

    Pickler(String src) {
      this.src = src;
    }

    byte[] pickle(Object root) {
      op(0x80);
      op(2);
      value(root, 0);
      op('.');
      return out.toByteArray();
    }

    private void op(int b) {
      out.write(b);
    }

    private void value(Object v, int depth) {
      if (depth > MAX_DEPTH) {
        throw new TensorFileException(src, "containers nested deeper than " + MAX_DEPTH
            + " (a cycle?)");
      }
      if (v == null) {
        op('N');
      } else if (v instanceof Boolean b) {
        op(b ? 0x88 : 0x89);
      } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
        integer(((Number) v).longValue());
      } else if (v instanceof BigInteger b) {
        bigInteger(b);
      } else if (v instanceof Double || v instanceof Float) {
        op('G');
        byte[] bits = ByteBuffer.allocate(8).putDouble(((Number) v).doubleValue()).array();
        out.writeBytes(bits);
      } else if (v instanceof String s) {
        string(s);
      } else if (v instanceof Tensor t) {
        tensor(t);
      } else if (v instanceof TextArray a) {
        value(a.shape().length == 0 ? a.values().get(0) : nest(a.values(), a.shape(), 0, 0), depth);
      } else if (v instanceof TensorTree tree) {
        value(flatDict(tree), depth);
      } else if (v instanceof Tuple t) {
        tuple(t.items(), depth);
      } else if (v instanceof Namespace ns) {
        // protocol 2: GLOBAL argparse.Namespace, (), NEWOBJ, then BUILD with the attribute dict
        op('c');
        out.writeBytes("argparse\nNamespace\n".getBytes(StandardCharsets.US_ASCII));
        op(')');
        op(0x81);
        value(ns.attributes(), depth + 1);
        op('b');
      } else if (v instanceof List<?> l) {
        op(']');
        items(l, depth, 'a', 'e');
      } else if (v instanceof Map<?, ?> m) {
        op('}');
        List<Object> flat = new ArrayList<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
          Object k = e.getKey();
          if (!(k instanceof String || k instanceof Number || k instanceof Boolean)) {
            throw new TensorFileException(src, "dict key of type " + typeName(k)
                + " cannot be written (str, int, float or bool)");
          }
          flat.add(k);
          flat.add(e.getValue());
        }
        for (int i = 0; i < flat.size(); i += 2 * BATCH) {
          int end = Math.min(flat.size(), i + 2 * BATCH);
          if (end - i == 2) {
            value(flat.get(i), depth + 1);
            value(flat.get(i + 1), depth + 1);
            op('s');
          } else {
            op('(');
            for (int k = i; k < end; k++) {
              value(flat.get(k), depth + 1);
            }
            op('u');
          }
        }
      } else {
        throw new TensorFileException(src, "cannot write a " + typeName(v)
            + " (tensors, lists, tuples, dicts, str, int, float, bool and None only)");
      }
    }

    private static String typeName(Object v) {
      return v == null ? "None" : v.getClass().getName();
    }

    private static List<Object> nest(List<String> values, long[] shape, int dim, int start) {
      List<Object> out = new ArrayList<>();
      int step = 1;
      for (int d = dim + 1; d < shape.length; d++) {
        step *= (int) shape[d];
      }
      for (int i = 0; i < shape[dim]; i++) {
        out.add(dim == shape.length - 1 ? values.get(start + i)
            : nest(values, shape, dim + 1, start + i * step));
      }
      return out;
    }

    private void items(List<?> l, int depth, int one, int many) {
      for (int i = 0; i < l.size(); i += BATCH) {
        int end = Math.min(l.size(), i + BATCH);
        if (end - i == 1) {
          value(l.get(i), depth + 1);
          op(one);
        } else {
          op('(');
          for (int k = i; k < end; k++) {
            value(l.get(k), depth + 1);
          }
          op(many);
        }
      }
    }

    private void tuple(List<?> items, int depth) {
      switch (items.size()) {
        case 0 -> op(')');
        case 1, 2, 3 -> {
          for (Object o : items) {
            value(o, depth + 1);
          }
          op(0x85 + items.size() - 1);
        }
        default -> {
          op('(');
          for (Object o : items) {
            value(o, depth + 1);
          }
          op('t');
        }
      }
    }

    private void integer(long v) {
      if (v >= 0 && v < 256) {
        op('K');
        op((int) v);
      } else if (v >= 0 && v < 65536) {
        op('M');
        op((int) (v & 0xff));
        op((int) (v >>> 8));
      } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
        op('J');
        out.writeBytes(le(4).putInt((int) v).array());
      } else {
        bigInteger(BigInteger.valueOf(v));
      }
    }

    private void bigInteger(BigInteger b) {
      if (b.bitLength() < 32) {
        integer(b.longValue());
        return;
      }
      byte[] be = b.toByteArray(); // two's complement, big-endian, minimal
      byte[] little = new byte[be.length];
      for (int i = 0; i < be.length; i++) {
        little[i] = be[be.length - 1 - i];
      }
      if (little.length < 256) {
        op(0x8a); // LONG1
        op(little.length);
      } else {
        op(0x8b); // LONG4
        out.writeBytes(le(4).putInt(little.length).array());
      }
      out.writeBytes(little);
    }

    private void string(String s) {
      byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
      op('X');
      out.writeBytes(le(4).putInt(utf8.length).array());
      out.writeBytes(utf8);
    }

    private void global(String module, String name) {
      op('c');
      out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    private void tensor(Tensor t) {
      String storageClass = storageClass(t.dtype());
      Integer key = keys.get(t);
      if (key == null) {
        key = storages.size();
        storages.add(t);
        keys.put(t, key);
      }
      global("torch._utils", "_rebuild_tensor_v2");
      op('(');
      op('(');
      string("storage");
      global("torch", storageClass);
      string(Integer.toString(key));
      string("cpu");
      integer(t.numel());
      if (legacy) {
        op('N');
      }
      op('t');
      op('Q'); // BINPERSID
      integer(0);
      long[] shape = t.shape();
      List<Object> size = new ArrayList<>();
      List<Object> stride = new ArrayList<>();
      long[] strides = Tensor.contiguousStrides(shape);
      for (int i = 0; i < shape.length; i++) {
        size.add(shape[i]);
        stride.add(strides[i]);
      }
      tuple(size, 0);
      tuple(stride, 0);
      op(0x89); // requires_grad False
      global("collections", "OrderedDict");
      op(')');
      op('R');
      op('t');
      op('R');
    }

    private String storageClass(DType d) {
      return switch (d) {
        case F16 -> "HalfStorage";
        case BF16 -> "BFloat16Storage";
        case F32 -> "FloatStorage";
        case F64 -> "DoubleStorage";
        case I8 -> "CharStorage";
        case U8 -> "ByteStorage";
        case I16 -> "ShortStorage";
        case I32 -> "IntStorage";
        case I64 -> "LongStorage";
        case BOOL -> "BoolStorage";
        default -> throw new TensorFileException(src, "PyTorch files cannot hold " + d
            + " tensors (torch has no such storage); convert to a signed type first");
      };
    }
  }
}
