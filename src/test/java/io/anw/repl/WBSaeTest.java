package io.anw.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.anw.sae.SparseAutoencoder;
import io.anw.tensor.TensorFiles;
import io.anw.tensor.TensorTree;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

/** The REPL's way to an SAE: one line, listed in :help under "sae". */
class WBSaeTest {
  @Test
  void anSaeLensFolderLoadsAndEncodesInOneLine() throws Exception {
    TensorTree expected = TensorFiles.read(java.nio.file.Path.of(
        "src/test/resources/sae/topk/expected.npz"));
    try (SparseAutoencoder sae = WB.sae("src/test/resources/sae/topk");
        NDManager m = NDManager.newBaseManager()) {
      assertEquals("blocks.2.hook_resid_post", sae.hookName());
      float[] f = sae.encode(expected.tensor("x").toNDArray(m)).toFloatArray();
      float[] want = expected.tensor("feature_acts").toFloatArray();
      for (int i = 0; i < want.length; i++) {
        assertEquals(want[i], f[i], 1e-4f, "feature " + i);
      }
    }
    Method method = WB.class.getMethod("sae", String.class);
    Help help = method.getAnnotation(Help.class);
    assertEquals("sae", help.group());
    assertTrue(help.example().contains("WB.sae("));
  }
}
