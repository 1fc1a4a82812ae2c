package io.anw.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Broken files fail with one line naming the file and the problem. */
class MalformedFilesTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "truncated.safetensors | outside the data area",
      "oversized_header.safetensors | header length 1099511627776 is out of range",
      "overlap.safetensors | overlap",
      "bad_nbytes.safetensors | shape x dtype needs 12",
      "truncated_zip.pt | end-of-directory record not found",
      "truncated_legacy.pt | truncated",
      "truncated.npy | truncated",
      "quantized.pt | cannot read (torch._utils._rebuild_qtensor",
      "torchscript.pt | TorchScript archive",
  })
  void brokenGoldenFiles(String name, String problem) {
    TensorFileException e = assertThrows(TensorFileException.class, () -> TensorFiles.read(Fixtures.file(name)));
    assertTrue(e.getMessage().startsWith(name + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(problem), e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
  }

  @Test
  void emptyUnknownAndMissingFiles() throws Exception {
    Path empty = Files.write(tmp.resolve("empty.pt"), new byte[0]);
    assertTrue(assertThrows(TensorFileException.class, () -> TensorFiles.read(empty)).getMessage()
        .contains("empty file"));
    Path text = Files.writeString(tmp.resolve("notes.pt"), "hello, not a tensor file");
    assertTrue(assertThrows(TensorFileException.class, () -> TensorFiles.read(text)).getMessage()
        .contains("not a safetensors, PyTorch"));
    assertTrue(assertThrows(TensorFileException.class, () -> TensorFiles.read(tmp.resolve("gone.pt")))
        .getMessage().contains("no such file"));
  }

  @Test
  void objectArraysAreRefused() throws Exception {
    byte[] header = NpyFormat.headerBytes("|O", false, new long[] {1});
    Path f = Files.write(tmp.resolve("objects.npy"), header);
    TensorFileException e = assertThrows(TensorFileException.class, () -> TensorFiles.read(f));
    assertTrue(e.getMessage().contains("Python objects"), e.getMessage());
  }
}
