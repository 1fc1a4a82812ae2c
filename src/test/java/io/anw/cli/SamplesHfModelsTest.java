package io.anw.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anw.model.HfAudioModel;
import io.anw.tensor.TensorFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code samples hf-models} writes the shipped random-init folders byte for byte (same seed,
 * same files), and the shipped briefly trained {@code *-sl-tiny} folders keep their source's
 * layout and say how they were trained.
 */
class SamplesHfModelsTest {
  static final Path SHIPPED = Path.of("samples/models");
  static final List<String> NAMES = List.of("ast-tiny", "hubert-tiny", "wav2vec2-tiny",
      "whisper-tiny");
  @TempDir Path tmp;

  @Test
  void theRandomInitFoldersAreTheShippedOnes() throws Exception {
    CliRun r = CliRun.exec("samples", "hf-models", "--out", tmp.toString());
    assertEquals(0, r.code(), r.err());
    for (String name : NAMES) {
      for (String f : List.of("model.safetensors", "config.json", "preprocessor_config.json")) {
        assertArrayEquals(Files.readAllBytes(SHIPPED.resolve(name).resolve(f)),
            Files.readAllBytes(tmp.resolve(name).resolve(f)), name + "/" + f);
      }
    }
  }

  @Test
  void trainingIsForTheTinyFoldersOnly() {
    CliRun r = CliRun.exec("samples", "hf-models", "--out", tmp.toString(), "--size", "base",
        "--trained");
    assertTrue(r.code() != 0);
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains("--trained trains the tiny folders"), r.err());
  }

  @Test
  void theTrainedFoldersKeepTheirSourcesLayout() throws Exception {
    for (String name : NAMES) {
      Path random = SHIPPED.resolve(name);
      Path trained = SHIPPED.resolve(name.replace("-tiny", "-sl-tiny"));
      assertEquals(Files.readString(random.resolve("config.json")),
          Files.readString(trained.resolve("config.json")), name);
      var a = TensorFiles.read(random.resolve("model.safetensors"));
      var b = TensorFiles.read(trained.resolve("model.safetensors"));
      assertEquals(a.tensors().keySet(), b.tensors().keySet(), name);
      assertEquals("supervised", b.meta("recipe"), name);
      assertTrue(Files.isRegularFile(SHIPPED.resolve("training").resolve(trained.getFileName()
          + "-training.txt")), "the training report of " + trained);
      try (HfAudioModel m = HfAudioModel.load(trained)) {
        assertEquals(2, m.layers());
      }
    }
  }
}
