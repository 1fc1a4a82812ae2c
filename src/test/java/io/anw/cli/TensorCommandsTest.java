package io.anw.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.anw.tensor.Tensor;
import io.anw.tensor.TensorFiles;
import io.anw.tensor.TensorTree;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code workbench inspect} and {@code workbench convert} on every golden file. */
class TensorCommandsTest {
  @TempDir Path tmp;

  /** Output of one CLI run. */
  record Run(int code, String out, String err) {}

  static Path fixture(String name) {
    try {
      return Path.of(TensorCommandsTest.class.getResource("/tensor/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Stream<String> goldenFiles() throws Exception {
    JsonObject expected = JsonParser.parseString(Files.readString(fixture("expected.json"))).getAsJsonObject();
    return expected.keySet().stream();
  }

  static Run run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = Main.execute(args);
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @ParameterizedTest
  @MethodSource("goldenFiles")
  void inspectListsEveryTensorThenMetadata(String name) {
    TensorTree tree = TensorFiles.read(fixture(name));
    Run r = run("inspect", fixture(name).toString());
    assertEquals(0, r.code(), r.err());
    List<String> lines = r.out().lines().toList();
    assertTrue(lines.get(0).startsWith(name + ": " + tree.format() + ", " + tree.tensors().size() + " tensors"),
        lines.get(0));
    int i = 1;
    for (Map.Entry<String, Tensor> e : tree.tensors().entrySet()) {
      assertEquals(e.getKey() + "\t" + e.getValue().dtype() + "\t" + java.util.Arrays.toString(e.getValue().shape()),
          lines.get(i++));
    }
    if (!tree.metadata().isEmpty()) {
      assertEquals("metadata:", lines.get(i++));
      for (Map.Entry<String, String> e : tree.metadataText().entrySet()) {
        assertEquals(e.getKey() + "\t" + e.getValue(), lines.get(i++));
      }
    }
    assertEquals(lines.size(), i);
  }

  @ParameterizedTest
  @MethodSource("goldenFiles")
  void convertWritesSafetensorsWithSameBits(String name) {
    Path out = tmp.resolve("out.safetensors");
    Run r = run("convert", fixture(name).toString(), out.toString());
    assertEquals(0, r.code(), r.err());
    TensorTree in = TensorFiles.read(fixture(name));
    TensorTree back = TensorFiles.read(out);
    assertEquals(List.copyOf(in.tensors().keySet()), List.copyOf(back.tensors().keySet()));
    for (Map.Entry<String, Tensor> e : in.tensors().entrySet()) {
      Tensor b = back.tensor(e.getKey());
      assertEquals(e.getValue().dtype(), b.dtype());
      assertEquals(e.getValue().contiguousBytes(), b.contiguousBytes(), e.getKey());
    }
    assertEquals(in.metadataText(), back.metadata());
  }

  @Test
  void maliciousFileIsAOneLineError() {
    Run r = run("inspect", fixture("evil_zip.pt").toString());
    assertEquals(1, r.code());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().startsWith("workbench: evil_zip.pt: refusing to load"), r.err());
    assertTrue(r.err().contains("posix.system"), r.err());
    assertTrue(!Files.exists(Path.of("/tmp/anw-tensor-pwned")));
  }

  @Test
  void brokenInputIsAOneLineError() {
    Run r = run("convert", fixture("truncated.safetensors").toString(), tmp.resolve("x.safetensors").toString());
    assertEquals(1, r.code());
    assertTrue(r.err().startsWith("workbench: truncated.safetensors: "), r.err());
    assertTrue(!Files.exists(tmp.resolve("x.safetensors")));
  }
}
