package io.anw.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.anw.WorkbenchException;
import org.junit.jupiter.api.Test;

/** Native resources: repeated runs leave nothing behind; closing frees everything. */
class ResourcesTest {

  private static int arrays(NDManager m) {
    return ((BaseNDManager) m).getManagedArrays().size();
  }

  @Test
  void repeatedRunsWithHooksAndCachesDoNotGrowTheManagers() {
    try (NDManager parent = NDManager.newBaseManager()) {
      M2dViT model = M2dViT.random(ModelConfig.defaults().withUnitFrames(32).withHeads(2), 2, 64,
          256, 3, parent);
      NDArray clip = parent.randomNormal(0, 1, new Shape(2, 80, 70), DataType.FLOAT32);
      Hooks hooks = Hooks.zeroNeurons(0, 1, 2).and("blocks.1.hook_resid_mid", Hook.identity());
      for (int warm = 0; warm < 2; warm++) {
        model.run(clip).close();
      }
      int before = arrays(parent);
      for (int i = 0; i < 20; i++) {
        try (ActivationCache c = model.run(clip, hooks, "blocks.*.mlp.hook_post", "hook_final")) {
          c.neurons(1);
          c.output().sceneEmbedding();
        }
        try (ActivationCache source = model.runWithCache(clip, "blocks.0.hook_resid_post");
            ModelOutput patched = model.runWithHooks(clip,
                Hooks.of("blocks.0.hook_resid_post", Hook.patchFrom(source)))) {
          assertEquals(new Shape(2, 5, 320), patched.features().getShape());
        }
      }
      assertEquals(before, arrays(parent));
      model.close();
      assertTrue(arrays(parent) <= 1, "only the input clip is left: " + arrays(parent));
    }
  }

  @Test
  void closingTheModelFreesOutputsLeftOpen() {
    try (NDManager parent = NDManager.newBaseManager()) {
      M2dViT model = M2dViT.random(ModelConfig.defaults().withUnitFrames(32).withHeads(2), 1, 64,
          128, 3, parent);
      NDArray clip = parent.zeros(new Shape(80, 40));
      ModelOutput leftOpen = model.run(clip);
      assertTrue(arrays(parent) > 1);
      model.close();
      assertEquals(1, arrays(parent));
      assertTrue(leftOpen.toString().contains("closed"), leftOpen.toString());
      assertThrows(WorkbenchException.class, leftOpen::features);
    }
  }
}
