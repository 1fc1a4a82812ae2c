package io.anw.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anw.tensor.TensorTree;
import java.nio.file.Path;
import java.util.List;
import jdk.jshell.JShell;
import jdk.jshell.SnippetEvent;
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

  @Test
  void worksInJShell() throws Exception {
    Path ckpt = Path.of(WBLoadTest.class.getResource("/tensor/lape_like.neuron.pth").toURI());
    try (JShell js = JShell.builder().executionEngine("local").build()) {
      js.addToClasspath(System.getProperty("java.class.path"));
      List<SnippetEvent> events = js.eval("io.anw.repl.WB.load(\"" + ckpt + "\")");
      SnippetEvent e = events.get(0);
      assertNull(e.exception(), String.valueOf(e.exception()));
      assertTrue(e.value().startsWith("lape_like.neuron.pth (pytorch-zip): 8 tensors"), e.value());
      List<SnippetEvent> arr = js.eval("io.anw.repl.WB.load(\"" + ckpt + "\").tensor(\"1.3\").toLongArray().length");
      assertEquals("3", arr.get(0).value());
    }
  }
}
