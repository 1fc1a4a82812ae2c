package io.anw.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Writers: read → write → read keeps keys, dtypes, shapes, bits and metadata text; files appear atomically. */
class WritersTest {
  @TempDir Path tmp;

  static Stream<String> goldenFiles() {
    return Fixtures.expected().keySet().stream();
  }

  @ParameterizedTest
  @MethodSource("goldenFiles")
  void safetensorsRoundTripKeepsBits(String name) {
    TensorTree original = TensorFiles.read(Fixtures.file(name));
    Path out = tmp.resolve("out.safetensors");
    TensorFiles.write(out, original);
    TensorTree back = TensorFiles.read(out);
    assertSameTensors(original, back);
    assertEquals(original.metadataText(), back.metadataText());
    assertEquals(List.of("out.safetensors"), listDir());
  }

  @ParameterizedTest
  @MethodSource("goldenFiles")
  void npzRoundTripKeepsBits(String name) {
    TensorTree original = TensorFiles.read(Fixtures.file(name));
    Assumptions.assumeFalse(original.tensors().values().stream().anyMatch(t -> t.dtype() == DType.BF16),
        "NumPy has no bfloat16");
    Path out = tmp.resolve("out.npz");
    TensorFiles.write(out, original);
    TensorTree back = TensorFiles.read(out);
    assertSameTensors(original, back);
    assertEquals(original.metadataText(), back.metadataText());
  }

  @Test
  void npyHoldsOneTensor() {
    TensorTree f = TensorFiles.read(Fixtures.file("i64_be_fortran.npy"));
    Path out = tmp.resolve("x.npy");
    TensorFiles.write(out, f);
    Tensor back = TensorFiles.read(out).tensor("x");
    assertArrayEquals(f.tensor("i64_be_fortran").toLongArray(), back.toLongArray());
    TensorTree many = TensorFiles.read(Fixtures.file("all.safetensors"));
    assertThrows(io.anw.WorkbenchException.class, () -> TensorFiles.write(tmp.resolve("y.npy"), many));
  }

  @Test
  void refusedWriteLeavesNothingBehind() {
    TensorTree withBf16 = TensorFiles.read(Fixtures.file("all.safetensors"));
    TensorFileException e = assertThrows(TensorFileException.class,
        () -> TensorFiles.write(tmp.resolve("x.npz"), withBf16));
    assertTrue(e.getMessage().contains("BF16"), e.getMessage());
    assertEquals(List.of(), listDir());
  }

  @Test
  void pythonReadsWhatWeWrite() throws Exception {
    Path python = Path.of("/usr/bin/python3");
    Assumptions.assumeTrue(Files.isExecutable(python), "no /usr/bin/python3 (apt-get install python3 python3-numpy)");
    TensorTree tree = TensorFiles.read(Fixtures.file("arrays.npz"));
    TensorFiles.write(tmp.resolve("a.npz"), tree);
    TensorFiles.write(tmp.resolve("a.safetensors"), tree);
    String script = String.join("\n",
        "import json, struct, sys, numpy as np",
        "d = sys.argv[1]",
        "z = np.load(d + '/a.npz')",
        "out = {'npz': {k: (z[k].tolist() if z[k].dtype.kind == 'U' else z[k].astype(z[k].dtype.newbyteorder('<')).tobytes().hex()) for k in z.files}}",
        "raw = open(d + '/a.safetensors', 'rb').read()",
        "n = struct.unpack('<Q', raw[:8])[0]",
        "h = json.loads(raw[8:8 + n])",
        "out['meta'] = h.pop('__metadata__')",
        "out['st'] = {k: raw[8 + n + v['data_offsets'][0]:8 + n + v['data_offsets'][1]].hex() for k, v in h.items()}",
        "print(json.dumps(out))");
    Process p = new ProcessBuilder(python.toString(), "-c", script, tmp.toString()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    Assumptions.assumeTrue(p.waitFor() == 0 || !output.contains("No module named 'numpy'"), "numpy is not installed (apt-get install python3-numpy)");
    assertEquals(0, p.exitValue(), output);
    JsonObject got = JsonParser.parseString(output).getAsJsonObject();
    for (Map.Entry<String, Tensor> e : tree.tensors().entrySet()) {
      assertEquals(Fixtures.hex(e.getValue()), got.getAsJsonObject("npz").get(e.getKey()).getAsString(), e.getKey());
      assertEquals(Fixtures.hex(e.getValue()), got.getAsJsonObject("st").get(e.getKey()).getAsString(), e.getKey());
    }
    assertEquals("[\"dog\",\"cat\",\"bird\"]", got.getAsJsonObject("npz").get("labels").toString());
    assertEquals("['dog', 'cat', 'bird']", got.getAsJsonObject("meta").get("labels").getAsString());
  }

  private static void assertSameTensors(TensorTree want, TensorTree got) {
    assertEquals(new ArrayList<>(want.tensors().keySet()), new ArrayList<>(got.tensors().keySet()));
    for (Map.Entry<String, Tensor> e : want.tensors().entrySet()) {
      Tensor g = got.tensor(e.getKey());
      assertEquals(e.getValue().dtype(), g.dtype(), e.getKey());
      assertArrayEquals(e.getValue().shape(), g.shape(), e.getKey());
      assertEquals(Fixtures.hex(e.getValue()), Fixtures.hex(g), e.getKey());
    }
  }

  private List<String> listDir() {
    try (Stream<Path> s = Files.list(tmp)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
