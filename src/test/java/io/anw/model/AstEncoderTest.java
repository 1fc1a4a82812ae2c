package io.anw.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.anw.GradMode;
import io.anw.WorkbenchException;
import io.anw.tensor.Tensor;
import io.anw.tensor.TensorFiles;
import io.anw.tensor.TensorTree;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The AST encoder against an independent PyTorch reference of the published architecture in
 * the Hugging Face layout ({@code make_ast_fixtures.py}), on the normalised Kaldi fbank of a real
 * WAV: block 0's neurons and the output.
 */
class AstEncoderTest {
  @Test
  void matchesTheReference() {
    GradMode.disableOnCurrentThread();
    TensorTree tree = TensorFiles.read(Path.of("src/test/resources/model/ast_encoder.npz"));
    try (NDManager m = NDManager.newBaseManager()) {
      Map<String, NDArray> p = new HashMap<>();
      for (Map.Entry<String, Tensor> e : tree.tensors().entrySet()) {
        if (e.getKey().startsWith("w/")) {
          p.put(e.getKey().substring(2), e.getValue().toNDArray(m));
        }
      }
      AstEncoder enc = AstEncoder.of(p, 4, 1e-12f, 10, 10);
      assertEquals(2, enc.depth());
      assertEquals(12, enc.tokens());
      String post = HookNames.block(0, HookNames.MLP_POST);
      HookRun run = new HookRun(Map.of(), Set.of(post), List.of(), m);
      run.group(List.of(new ChunkPlan.Chunk(0, 0, 1, 0, 1)), 1, 1);
      run.scope(m);
      NDArray y = enc.forward(tree.tensors().get("input").toNDArray(m), run);
      close(tree.tensors().get("output").toFloatArray(), y.toFloatArray(), "output");
      close(tree.tensors().get("mlp_post_0").toFloatArray(),
          run.cached().get(post).get(0).toFloatArray(), "mlp.hook_post");
      WorkbenchException e = assertThrows(WorkbenchException.class,
          () -> enc.forward(m.zeros(new ai.djl.ndarray.types.Shape(1, 80, 32)), HookRun.IDLE));
      assertEquals("AST: 80 frames give 14 patches; the positions are for 10", e.getMessage());
      e = assertThrows(WorkbenchException.class, () -> AstEncoder.of(Map.of(), 4, 1e-12f, 10,
          10));
      assertTrue(e.getMessage().startsWith("not an AST encoder: no parameter"), e.getMessage());
    }
  }

  private static void close(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what);
    double scale = 0;
    double diff = 0;
    for (int i = 0; i < expected.length; i++) {
      scale = Math.max(scale, Math.abs(expected[i]));
      diff = Math.max(diff, Math.abs(expected[i] - actual[i]));
    }
    assertTrue(diff <= 1e-4 * scale, what + ": max |diff| " + diff + " of " + scale);
  }
}
