package io.anw.model;

import static io.anw.model.ReferenceArrays.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.anw.GradMode;
import io.anw.WorkbenchException;
import io.anw.tensor.TensorFiles;
import io.anw.tensor.TensorTree;
import java.nio.file.Path;
import java.util.Map;
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
      Map<String, NDArray> p = ReferenceArrays.params(tree, "w/", m);
      AstEncoder enc = AstEncoder.of(p, 4, 1e-12f, 10, 10);
      assertEquals(2, enc.depth());
      assertEquals(12, enc.tokens());
      String post = HookNames.block(0, HookNames.MLP_POST);
      HookRun run = ReferenceArrays.caching(m, post);
      NDArray y = enc.forward(tree.tensors().get("input").toNDArray(m), run);
      assertClose(tree.tensors().get("output").toFloatArray(), y.toFloatArray(), "output");
      assertClose(tree.tensors().get("mlp_post_0").toFloatArray(),
          run.cached().get(post).get(0).toFloatArray(), "mlp.hook_post");
      WorkbenchException e = assertThrows(WorkbenchException.class,
          () -> enc.forward(m.zeros(new ai.djl.ndarray.types.Shape(1, 80, 32)), HookRun.IDLE));
      assertEquals("AST: 80 frames give 14 patches; the positions are for 10", e.getMessage());
      e = assertThrows(WorkbenchException.class, () -> AstEncoder.of(Map.of(), 4, 1e-12f, 10,
          10));
      assertTrue(e.getMessage().startsWith("not an AST encoder: no parameter"), e.getMessage());
    }
  }
}
