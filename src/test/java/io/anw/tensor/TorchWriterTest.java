package io.anw.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anw.PythonTorch;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TorchWriter}: torch.load reads our files exactly, and so does our own reader. */
class TorchWriterTest {
  @TempDir Path tmp;

  /** A nested object with every supported kind of value; {@link #EXPECTED_PY} builds the same in Python. */
  static Object sample() {
    Tensor big = Tensor.ofLongs(new long[] {0, -1, Long.MAX_VALUE, Long.MIN_VALUE, 11007, 5, 6}, 7);
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("n", 123456789012L);
    inner.put("over_zero", Tensor.ofLongs(new long[] {1, 2, 3, 4, 5, 6}, 2, 3));
    inner.put("f32", Tensor.ofFloats(new float[] {1.5f, -0f, Float.NaN, Float.POSITIVE_INFINITY}, 2, 2));
    inner.put("f64", Tensor.ofDoubles(new double[] {Math.PI}));
    inner.put("i32", Tensor.of(DType.I32, new long[] {3}, le(12).putInt(-7).putInt(0).putInt(1 << 30).array()));
    inner.put("bool", Tensor.of(DType.BOOL, new long[] {2}, new byte[] {1, 0}));
    inner.put("bf16", Tensor.of(DType.BF16, new long[] {2}, le(4).putShort((short) 0x3f80).putShort((short) 0xc000).array()));
    inner.put("f16", Tensor.of(DType.F16, new long[] {1}, le(2).putShort((short) 0x3c00).array()));
    inner.put("u8", Tensor.of(DType.U8, new long[] {2}, new byte[] {(byte) 255, 7}));
    inner.put("empty", Tensor.ofLongs(new long[0], 0));
    inner.put("scalar", Tensor.ofLongs(new long[] {42}));
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("masks", List.of(List.of(big, Tensor.ofLongs(new long[0], 0)), List.of(big)));
    root.put("stats", inner);
    root.put("plain", Arrays.asList(1, -1, 255, 256, 65535, 65536, -2147483648L, 2147483648L,
        new BigInteger("123456789012345678901234567890"), 0.1, -2.5e300, "héllo ✓", "", true, false, null));
    root.put("tuple", TorchWriter.Tuple.of(1, "a", TorchWriter.Tuple.of(), TorchWriter.Tuple.of(1, 2, 3, 4)));
    root.put("names", new TextArray(new long[] {2}, List.of("de", "en")));
    List<Object> many = new ArrayList<>();
    for (int i = 0; i < 2500; i++) {
      many.add(i);
    }
    root.put("many", many);
    return root;
  }

  static final String EXPECTED_PY = String.join("\n",
      "import math, sys, torch",
      "big = torch.tensor([0, -1, 2**63 - 1, -2**63, 11007, 5, 6], dtype=torch.long)",
      "expected = {",
      "  'masks': [[big, torch.tensor([], dtype=torch.long)], [big]],",
      "  'stats': {'n': 123456789012, 'over_zero': torch.tensor([[1, 2, 3], [4, 5, 6]]),",
      "    'f32': torch.tensor([[1.5, -0.0], [float('nan'), float('inf')]]),",
      "    'f64': torch.tensor(math.pi, dtype=torch.float64),",
      "    'i32': torch.tensor([-7, 0, 2**30], dtype=torch.int32),",
      "    'bool': torch.tensor([True, False]),",
      "    'bf16': torch.tensor([1.0, -2.0], dtype=torch.bfloat16),",
      "    'f16': torch.tensor([1.0], dtype=torch.float16),",
      "    'u8': torch.tensor([255, 7], dtype=torch.uint8),",
      "    'empty': torch.tensor([], dtype=torch.long), 'scalar': torch.tensor(42)},",
      "  'plain': [1, -1, 255, 256, 65535, 65536, -2147483648, 2147483648,",
      "    123456789012345678901234567890, 0.1, -2.5e300, 'h\\u00e9llo \\u2713', '', True, False, None],",
      "  'tuple': (1, 'a', (), (1, 2, 3, 4)),",
      "  'names': ['de', 'en'],",
      "  'many': list(range(2500)),",
      "}",
      "def same(a, b, path):",
      "  if type(a) is not type(b): raise SystemExit(f'{path}: type {type(a)} != {type(b)}')",
      "  if isinstance(a, torch.Tensor):",
      "    if a.dtype != b.dtype or a.shape != b.shape: raise SystemExit(f'{path}: {a.dtype}{list(a.shape)} != {b.dtype}{list(b.shape)}')",
      "    if a.is_floating_point():",
      "      ok = torch.equal(torch.isnan(a), torch.isnan(b)) and torch.equal(torch.nan_to_num(a), torch.nan_to_num(b))",
      "      ok = ok and torch.equal(torch.signbit(a), torch.signbit(b))",
      "    else: ok = torch.equal(a, b)",
      "    if not ok or a.requires_grad: raise SystemExit(f'{path}: {a} != {b}')",
      "  elif isinstance(a, dict):",
      "    if list(a) != list(b): raise SystemExit(f'{path}: keys {list(a)} != {list(b)}')",
      "    for k in a: same(a[k], b[k], f'{path}.{k}')",
      "  elif isinstance(a, (list, tuple)):",
      "    if len(a) != len(b): raise SystemExit(f'{path}: length {len(a)} != {len(b)}')",
      "    for i, (x, y) in enumerate(zip(a, b)): same(x, y, f'{path}.{i}')",
      "  elif a != b: raise SystemExit(f'{path}: {a!r} != {b!r}')",
      "got = torch.load(sys.argv[1])",
      "same(got, expected, 'root')",
      "m = got['masks']",
      "assert m[0][0].data_ptr() == m[1][0].data_ptr(), 'one tensor object shares one storage'",
      "print('OK')");

  @Test
  void torchLoadReadsEverythingExactly() {
    Path file = TorchWriter.write(tmp.resolve("sample.pt"), sample());
    assertEquals("OK", PythonTorch.run(EXPECTED_PY, file.toString()));
  }

  @Test
  void ourReaderRoundTrips() {
    Path file = TorchWriter.write(tmp.resolve("sample.pth"), sample());
    TensorTree t = TensorFiles.read(file);
    assertEquals("pytorch-zip", t.format());
    assertArrayEquals(new long[] {0, -1, Long.MAX_VALUE, Long.MIN_VALUE, 11007, 5, 6},
        t.tensor("masks.0.0").toLongArray());
    assertArrayEquals(new long[] {0}, t.tensor("masks.0.1").shape());
    assertArrayEquals(new long[] {2, 3}, t.tensor("stats.over_zero").shape());
    assertArrayEquals(new long[] {1, 2, 3, 4, 5, 6}, t.tensor("stats.over_zero").toLongArray());
    assertEquals(DType.I32, t.tensor("stats.i32").dtype());
    assertArrayEquals(new int[] {-7, 0, 1 << 30}, t.tensor("stats.i32").toIntArray());
    assertEquals(DType.BF16, t.tensor("stats.bf16").dtype());
    assertArrayEquals(new long[0], t.tensor("stats.scalar").shape());
    assertArrayEquals(new long[] {42}, t.tensor("stats.scalar").toLongArray());
    assertEquals(123456789012L, t.meta("stats.n"));
    assertEquals(2147483648L, t.meta("plain.7"));
    assertEquals(new BigInteger("123456789012345678901234567890"), t.meta("plain.8"));
    assertEquals(0.1, t.meta("plain.9"));
    assertEquals("héllo ✓", t.meta("plain.11"));
    assertEquals(Boolean.TRUE, t.meta("plain.13"));
    assertTrue(t.metadata().containsKey("plain.15"));
    assertEquals(null, t.meta("plain.15"));
    assertEquals("a", t.meta("tuple.1"));
    assertEquals(4L, t.meta("tuple.3.3"));
    assertEquals("en", t.meta("names.1"));
    assertEquals(2499L, t.meta("many.2499"));
  }

  @Test
  void storagesAreAlignedAndEntriesStored() throws Exception {
    Path file = TorchWriter.write(tmp.resolve("a.pt"), List.of(Tensor.ofLongs(new long[] {1, 2, 3}, 3)));
    try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(file.toFile())) {
      List<String> names = z.stream().map(java.util.zip.ZipEntry::getName).toList();
      assertEquals(List.of("archive/data.pkl", "archive/byteorder", "archive/data/0", "archive/version"), names);
      z.stream().forEach(e -> assertEquals(java.util.zip.ZipEntry.STORED, e.getMethod()));
      assertEquals("little", new String(z.getInputStream(z.getEntry("archive/byteorder")).readAllBytes()));
      assertEquals("3\n", new String(z.getInputStream(z.getEntry("archive/version")).readAllBytes()));
    }
    byte[] bytes = Files.readAllBytes(file);
    // the data of archive/data/0 (1, 2, 3 as int64) starts on a 64-byte boundary
    int at = indexOf(bytes, le(24).putLong(1).putLong(2).putLong(3).array());
    assertTrue(at > 0 && at % 64 == 0, "data at " + at);
  }

  @Test
  void viewsAreWrittenContiguous() {
    TensorTree fixture = TensorFiles.read(Fixtures.file("i64_be_fortran.npy"));
    Tensor view = fixture.tensors().values().iterator().next();
    Path file = TorchWriter.write(tmp.resolve("v.pt"), Map.of("x", view));
    Tensor back = TensorFiles.read(file).tensor("x");
    assertArrayEquals(view.shape(), back.shape());
    assertArrayEquals(view.toLongArray(), back.toLongArray());
  }

  @Test
  void treesWriteThroughTensorFiles() {
    TensorTree all = TensorFiles.read(Fixtures.file("arrays.npz"));
    TensorTree.Builder b = TensorTree.builder("arrays", "npz");
    all.tensors().forEach((k, v) -> {
      if (!List.of(DType.U16, DType.U32, DType.U64).contains(v.dtype())) {
        b.tensor(k, v);
      }
    });
    all.metadata().forEach(b::meta);
    TensorTree tree = b.build();
    assertTrue(tree.tensors().size() >= 3 && !tree.metadata().isEmpty(), tree.toString());
    Path out = tmp.resolve("arrays.pth");
    TensorFiles.write(out, tree);
    TensorTree back = TensorFiles.read(out);
    assertEquals(new ArrayList<>(tree.tensors().keySet()), new ArrayList<>(back.tensors().keySet()));
    TensorTree nested = TensorFiles.read(TorchWriter.write(tmp.resolve("nested.pt"), List.of(tree)));
    assertEquals(tree.tensors().keySet().stream().map(k -> "0." + k).toList(),
        new ArrayList<>(nested.tensors().keySet()));
    tree.tensors().forEach((k, v) -> assertEquals(Fixtures.hex(v), Fixtures.hex(back.tensor(k)), k));
    // a TextArray becomes a Python list of str, which reads back as one leaf per item
    assertEquals(List.of("dog", "cat", "bird"),
        List.of(back.meta("labels.0"), back.meta("labels.1"), back.meta("labels.2")));
  }

  @Test
  void refusesWhatTorchCannotHold() {
    Tensor u16 = Tensor.of(DType.U16, new long[] {1}, new byte[2]);
    assertThrows(TensorFileException.class, () -> TorchWriter.write(tmp.resolve("u.pt"), u16));
    assertThrows(TensorFileException.class, () -> TorchWriter.write(tmp.resolve("o.pt"), new Object()));
    assertThrows(TensorFileException.class,
        () -> TorchWriter.write(tmp.resolve("k.pt"), Map.of(List.of(1), 2)));
    assertEquals(0, tmp.toFile().list().length, "nothing left behind");
  }

  private static ByteBuffer le(int n) {
    return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
