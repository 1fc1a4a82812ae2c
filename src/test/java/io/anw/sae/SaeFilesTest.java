package io.anw.sae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.anw.WorkbenchException;
import io.anw.tensor.TensorFiles;
import io.anw.tensor.TensorTree;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SAEs in SAELens's layout, written by an independent NumPy script
 * ({@code src/test/python/make_sae_fixtures.py}), load and encode/decode as it computed.
 */
class SaeFilesTest {
  private static final Path FIXTURES = Path.of("src/test/resources/sae");

  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"standard", "topk", "jumprelu"})
  void encodeAndDecodeMatchTheNumpyReference(String name) {
    TensorTree expected = TensorFiles.read(FIXTURES.resolve(name).resolve("expected.npz"));
    try (SparseAutoencoder sae = SaeFiles.load(FIXTURES.resolve(name));
        NDManager m = NDManager.newBaseManager()) {
      NDArray x = expected.tensor("x").toNDArray(m);
      NDArray f = sae.encode(x);
      assertEquals(new ai.djl.ndarray.types.Shape(2, 5, 48), f.getShape());
      assertClose(expected.tensor("feature_acts").toFloatArray(), f.toFloatArray(), 1e-4f);
      assertClose(expected.tensor("sae_out").toFloatArray(), sae.decode(f).toFloatArray(),
          1e-4f);
      assertClose(expected.tensor("sae_out").toFloatArray(), sae.reconstruct(x).toFloatArray(),
          1e-4f);
    }
  }

  @Test
  void configsAreReadWhereverSaeLensPutThem() {
    try (SparseAutoencoder standard = SaeFiles.load(FIXTURES.resolve("standard"));
        SparseAutoencoder topk = SaeFiles.load(FIXTURES.resolve("topk"));
        SparseAutoencoder jump = SaeFiles.load(FIXTURES.resolve("jumprelu"))) {
      assertEquals("blocks.1.mlp.hook_post", standard.hookName()); // under metadata (v6)
      assertEquals(SaeArchitecture.STANDARD, standard.config().architecture());
      assertEquals("fixture", standard.config().metadata().get("model_name"));
      assertEquals("blocks.2.hook_resid_post", topk.hookName()); // top level (older)
      assertEquals(5, topk.config().k()); // from activation_fn_kwargs
      assertFalse(jump.config().applyBDecToInput());
      assertEquals(12, jump.dIn());
      assertEquals(48, jump.dSae());
      assertEquals("SparseAutoencoder[topk k=5, 12 -> 48 features (x4) at"
          + " blocks.2.hook_resid_post]", topk.toString());
    }
  }

  @Test
  void topKKeepsAtMostKFeaturesPerToken() {
    TensorTree expected = TensorFiles.read(FIXTURES.resolve("topk").resolve("expected.npz"));
    try (SparseAutoencoder sae = SaeFiles.load(FIXTURES.resolve("topk"));
        NDManager m = NDManager.newBaseManager()) {
      float[] f = sae.encode(expected.tensor("x").toNDArray(m)).toFloatArray();
      for (int token = 0; token < 10; token++) {
        int active = 0;
        for (int j = 0; j < 48; j++) {
          active += f[token * 48 + j] != 0 ? 1 : 0;
        }
        assertTrue(active <= 5 && active > 0, "token " + token + ": " + active + " active");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"standard", "topk", "jumprelu"})
  void saveThenLoadGivesTheSameSae(String name) throws Exception {
    TensorTree expected = TensorFiles.read(FIXTURES.resolve(name).resolve("expected.npz"));
    Path dir = tmp.resolve(name);
    try (SparseAutoencoder sae = SaeFiles.load(FIXTURES.resolve(name))) {
      SaeFiles.save(sae, dir);
    }
    String cfg = Files.readString(dir.resolve(SaeFiles.CONFIG));
    for (String key : new String[] {"\"architecture\"", "\"d_in\": 12", "\"d_sae\": 48",
        "\"hook_name\"", "\"apply_b_dec_to_input\"", "\"dtype\": \"float32\"", "\"metadata\""}) {
      assertTrue(cfg.contains(key), key + " in\n" + cfg);
    }
    TensorTree weights = TensorFiles.read(dir.resolve(SaeFiles.WEIGHTS));
    assertEquals(name.equals("jumprelu"), weights.tensors().containsKey("threshold"));
    weights.tensors().values().forEach(t -> assertEquals(io.anw.tensor.DType.F32, t.dtype()));
    try (SparseAutoencoder again = SaeFiles.load(dir); NDManager m = NDManager.newBaseManager()) {
      assertArrayEquals(expected.tensor("sae_out").toFloatArray(),
          again.reconstruct(expected.tensor("x").toNDArray(m)).toFloatArray(), 1e-4f);
    }
  }

  @Test
  void badFoldersGetOneLineNamingTheFile() throws Exception {
    WorkbenchException none = assertThrows(WorkbenchException.class,
        () -> SaeFiles.load(tmp.resolve("nothing")));
    assertTrue(none.getMessage().contains("nothing: not an SAE folder"), none.getMessage());

    Path noWeights = tmp.resolve("noweights");
    Files.createDirectories(noWeights);
    Files.copy(FIXTURES.resolve("standard/cfg.json"), noWeights.resolve("cfg.json"));
    WorkbenchException missing = assertThrows(WorkbenchException.class,
        () -> SaeFiles.load(noWeights));
    assertTrue(missing.getMessage().endsWith("sae_weights.safetensors: missing (an SAE folder"
        + " holds cfg.json and sae_weights.safetensors)"), missing.getMessage());

    Path wrong = tmp.resolve("wrong");
    Files.createDirectories(wrong);
    Files.writeString(wrong.resolve("cfg.json"), Files.readString(
        FIXTURES.resolve("standard/cfg.json")).replace("\"d_sae\": 48", "\"d_sae\": 47"));
    Files.copy(FIXTURES.resolve("standard/sae_weights.safetensors"),
        wrong.resolve("sae_weights.safetensors"));
    WorkbenchException shape = assertThrows(WorkbenchException.class, () -> SaeFiles.load(wrong));
    assertTrue(shape.getMessage().contains("sae_weights.safetensors: SAE parameter W_enc must be"
        + " (12, 47), is (12, 48)"), shape.getMessage());

    Files.writeString(wrong.resolve("cfg.json"), "{\"architecture\": \"gated\", \"d_in\": 12}");
    WorkbenchException arch = assertThrows(WorkbenchException.class, () -> SaeFiles.load(wrong));
    assertTrue(arch.getMessage().contains("cfg.json: unknown SAE architecture 'gated'"),
        arch.getMessage());
  }

  private static void assertClose(float[] expected, float[] actual, float tol) {
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], tol, "element " + i);
    }
  }
}
