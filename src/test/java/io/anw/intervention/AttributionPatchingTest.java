package io.anw.intervention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.anw.GradMode;
import io.anw.WorkbenchException;
import io.anw.model.LinearToyModel;
import io.anw.model.M2dViT;
import io.anw.model.ModelConfig;
import io.anw.model.PartedInput;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Attribution patching equals real patching where the path is linear, and tracks it elsewhere. */
class AttributionPatchingTest {
  static NDManager manager;
  static M2dViT model;
  static NDArray clean; // [2, 80, 48]: two chunks
  static NDArray corrupted;
  static PatchMetric linear;

  @BeforeAll
  static void setUp() {
    GradMode.disableOnCurrentThread();
    manager = NDManager.newBaseManager();
    model = M2dViT.random(ModelConfig.defaults().withUnitFrames(32), 2, 32, 64, 9, manager);
    clean = manager.randomNormal(0, 1, new Shape(2, 80, 48), DataType.FLOAT32);
    corrupted = manager.randomNormal(0, 1, new Shape(2, 80, 48), DataType.FLOAT32);
    NDArray w = manager.randomNormal(0, 1, new Shape(5 * 32), DataType.FLOAT32);
    linear = out -> out.sceneEmbedding().matMul(w);
  }

  @AfterAll
  static void tearDown() {
    model.close();
    manager.close();
  }

  @Test
  void equalsRealPatchingOnALinearModel() {
    try (LinearToyModel toy = new LinearToyModel(2, 3, 8, 12, 2, 21);
        NDManager m = NDManager.newBaseManager()) {
      NDArray a = m.randomNormal(0, 1, new Shape(3, 2, 3), DataType.FLOAT32);
      NDArray b = m.randomNormal(0, 1, new Shape(3, 2, 3), DataType.FLOAT32);
      NDArray w = m.randomNormal(0, 1, new Shape(2 * 8), DataType.FLOAT32);
      PatchMetric metric = out -> out.sceneEmbedding().matMul(w);
      for (PatchDirection d : PatchDirection.values()) {
        AttributionResult r = AttributionPatching.neurons(toy, d, a, b, metric);
        assertEquals(24, r.table().rowCount());
        AttributionCheck check = r.check(24);
        assertTrue(check.maxError() < 1e-4 * (1 + Math.abs(r.clean() - r.corrupted())),
            d + " " + check);
        assertTrue(check.correlation() > 0.9999, check.toString());
      }
    }
  }

  @Test
  void equalsRealPatchingOfTheFinalNormOutputOfM2d() {
    for (PatchDirection d : PatchDirection.values()) {
      AttributionResult r = AttributionPatching.run(model, d, PartedInput.audio(clean),
          PartedInput.audio(corrupted), linear, "hook_final");
      AttributionCheck check = r.check(32);
      assertEquals(32, check.table().rowCount());
      assertTrue(check.maxError() < 1e-3 * (1 + Math.abs(r.clean() - r.corrupted())),
          d + " " + check);
      // estimated effects of all units add up to the whole patch (linear path)
      double total = 0;
      for (double v : r.attribution()[0]) {
        total += v;
      }
      double whole = (d == PatchDirection.DENOISE ? r.clean() - r.corrupted()
          : r.corrupted() - r.clean());
      assertEquals(whole, total, 1e-3 * (1 + Math.abs(whole)));
    }
  }

  @Test
  void tracksRealPatchingOfNeuronsForASmallCorruption() {
    NDArray near = clean.add(manager.randomNormal(0, 0.05f, clean.getShape(), DataType.FLOAT32));
    AttributionResult r = AttributionPatching.neurons(model, PatchDirection.DENOISE, clean, near,
        linear);
    assertEquals(2, r.hooks().size());
    assertEquals(128, r.table().rowCount());
    assertEquals("blocks.0.mlp.hook_post", r.hooks().get(0));
    AttributionCheck check = r.check(16);
    assertTrue(check.correlation() > 0.9, check.toString());
    assertTrue(check.table().columnNames().contains("patched_effect"));
  }

  @Test
  void refusesMetricsWithoutGradients() {
    PatchMetric scalar = PatchMetric.of(out -> 1.0);
    assertThrows(WorkbenchException.class, () -> AttributionPatching.neurons(model,
        PatchDirection.DENOISE, clean, corrupted, scalar));
    PatchMetric detached = out -> out.features().getManager()
        .create(out.sceneEmbedding().sum(new int[] {1}).toFloatArray());
    WorkbenchException e = assertThrows(WorkbenchException.class, () -> AttributionPatching
        .neurons(model, PatchDirection.DENOISE, clean, corrupted, detached));
    assertTrue(e.getMessage().contains("gradient"), e.getMessage());
  }
}
