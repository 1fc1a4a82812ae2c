package io.anw.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anw.tensor.TensorTree;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code WB.load} opens tensor files and prints a compact summary. */
class WBLoadTest {
  @Test
  void loadsACheckpointWithSummary() throws Exception {
    Path ckpt = Path.of(WBLoadTest.class.getResource("/tensor/m2d_like.pth").toURI());
    TensorTree tree = WB.load(ckpt.toString());
    assertEquals(tree.tensors().keySet(), WB.load(ckpt).tensors().keySet());
    assertTrue(tree.toString().startsWith("m2d_like.pth (pytorch-zip): "), tree.toString());
    assertTrue(tree.tensors().containsKey("model.blocks.1.mlp.fc2.bias"));
    assertEquals("help for the tensor group", "help for the " + WB.class.getMethod("load", String.class)
        .getAnnotation(Help.class).group() + " group");
    assertNotNull(tree.tensor("model.pos_embed").toFloatArray());
  }
}
