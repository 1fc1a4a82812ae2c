package io.anw.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.anw.model.M2dViT;
import io.anw.model.ModelOutput;
import java.lang.reflect.Method;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The model part of the REPL facade. */
class WBModelTest {

  @Test
  void zeroingThreeNeuronsChangesTheSceneEmbedding() {
    try (M2dViT model = WB.randomM2d(2, 64, 128); NDManager m = NDManager.newBaseManager()) {
      assertEquals(2 + 2 * 11, WB.hookNames(model).size());
      assertTrue(WB.hookNames(model).contains("blocks.1.mlp.hook_post"));
      NDArray lms = m.randomNormal(0, 1, new Shape(80, 300), DataType.FLOAT32);
      float[] scene = WB.sceneEmbedding(model, lms);
      assertEquals(5 * 64, scene.length);
      try (ModelOutput ablated = model.runWithHooks(lms, WB.zeroNeurons(1, 3, 4, 5))) {
        assertFalse(Arrays.equals(scene, ablated.sceneEmbedding().toFloatArray()));
      }
    }
  }

  @Test
  void modelMethodsCarryHelpInTheModelGroup() {
    for (String name : new String[] {"m2d", "randomM2d", "hookNames", "zeroNeurons",
        "sceneEmbedding", "benchForward"}) {
      Method method = Arrays.stream(WB.class.getMethods()).filter(x -> x.getName().equals(name))
          .findFirst().orElseThrow();
      Help help = method.getAnnotation(Help.class);
      assertNotNull(help, name);
      assertEquals("model", help.group(), name);
      assertFalse(help.example().isBlank(), name);
    }
  }
}
