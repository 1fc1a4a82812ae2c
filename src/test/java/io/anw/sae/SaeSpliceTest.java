package io.anw.sae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.anw.WorkbenchException;
import io.anw.model.ActivationCache;
import io.anw.model.Hook;
import io.anw.model.Hooks;
import io.anw.model.M2dViT;
import io.anw.model.ModelConfig;
import io.anw.model.ModelOutput;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An SAE spliced into a hooked model (random M2D, width 64, depth 2, MLP 256): outputs unchanged
 * until features are edited, its sub-points hooked and cached like any hook point, and zeroing
 * a feature changes the spliced point by exactly that feature's decoder row times its value.
 */
class SaeSpliceTest {
  private static final String POINT = "blocks.1.mlp.hook_post";
  private static NDManager manager;
  private static M2dViT model;
  private static SparseAutoencoder sae;
  private static NDArray clip; // two chunks: [1, 80, 60]

  @BeforeAll
  static void setUp() {
    manager = NDManager.newBaseManager();
    model = M2dViT.random(ModelConfig.defaults().withUnitFrames(32).withHeads(2), 2, 64, 256, 7,
        manager);
    manager.getEngine().setRandomSeed(3);
    SaeConfig cfg = new SaeConfig(SaeArchitecture.TOPK, 256, 1024, POINT, 16, true, Map.of());
    sae = SparseAutoencoder.of(cfg,
        manager.randomNormal(0, 0.1f, new Shape(256, 1024), DataType.FLOAT32),
        manager.randomNormal(0, 0.01f, new Shape(1024), DataType.FLOAT32),
        manager.randomNormal(0, 0.1f, new Shape(1024, 256), DataType.FLOAT32),
        manager.randomNormal(0, 0.01f, new Shape(256), DataType.FLOAT32), null);
    clip = manager.randomNormal(0, 1, new Shape(1, 80, 60), DataType.FLOAT32);
  }

  @AfterAll
  static void tearDown() {
    sae.close();
    model.close();
    manager.close();
  }

  @Test
  void splicingLeavesTheOutputsUnchanged() {
    try (ModelOutput plain = model.run(clip);
        ModelOutput spliced = model.runWithHooks(clip, SaeSplice.hooks(sae))) {
      float scale = plain.features().abs().max().getFloat();
      float diff = plain.features().sub(spliced.features()).abs().max().getFloat();
      assertTrue(diff <= 1e-5f * scale, "max diff " + diff + " of " + scale);
    }
  }

  @Test
  void subPointsAreCachedWithTheirShapes() {
    try (ActivationCache c = model.run(clip, SaeSplice.hooks(sae), POINT + ".**")) {
      assertEquals(2, c.chunks());
      NDArray acts = c.get(SaeSplice.featurePoint(sae), 0);
      assertEquals(1024, acts.getShape().tail());
      assertEquals(c.get(POINT + SaeSplice.INPUT, 0).getShape().get(1), acts.getShape().get(1));
      // top-k: at most 16 active features per token
      NDArray active = acts.gt(0f).toType(DataType.FLOAT32, false).sum(new int[] {-1});
      assertTrue(active.max().getFloat() <= 16f);
      // recons + error = input
      NDArray in = c.get(POINT + SaeSplice.INPUT, 1);
      NDArray back = c.get(POINT + SaeSplice.RECONS, 1).add(c.get(POINT + SaeSplice.ERROR, 1));
      assertTrue(in.sub(back).abs().max().getFloat() < 1e-5f);
    }
  }

  @Test
  void zeroingAFeatureChangesThePointByItsDecoderRow() {
    try (ActivationCache clean = model.run(clip, SaeSplice.hooks(sae), POINT + ".**")) {
      NDArray acts = clean.get(SaeSplice.featurePoint(sae), 0);
      // the feature most active on token 5 of chunk 0
      int feature = (int) acts.get("0, 5, :").argMax().getLong();
      float value = acts.get("0, 5, " + feature).getFloat();
      assertTrue(value > 0);
      Hooks edit = SaeSplice.hooks(sae).and(SaeSplice.featurePoint(sae), Hook.zeroUnits(feature));
      try (ActivationCache edited = model.run(clip, edit, POINT + SaeSplice.OUTPUT)) {
        NDArray delta = edited.get(POINT + SaeSplice.OUTPUT, 0)
            .sub(clean.get(POINT + SaeSplice.OUTPUT, 0));
        // expected: -f[t, feature] * W_dec[feature] at every token where the feature was active
        NDArray expected = acts.get(":, :, " + feature).expandDims(-1).neg()
            .mul(sae.wDec().get(feature + ", :"));
        assertTrue(delta.sub(expected).abs().max().getFloat() < 1e-5f,
            "max deviation " + delta.sub(expected).abs().max().getFloat());
        assertTrue(delta.abs().max().getFloat() > 1e-3f, "the edit changed something");
      }
    }
  }

  @Test
  void anSaeForAnotherPointOrWidthIsRefusedInOneLine() {
    SaeConfig elsewhere = new SaeConfig(SaeArchitecture.STANDARD, 8, 16, "blocks.9.mlp.hook_post",
        0, true, Map.of());
    try (NDManager m = NDManager.newBaseManager();
        SparseAutoencoder other = SparseAutoencoder.of(elsewhere, m.zeros(new Shape(8, 16)),
            m.zeros(new Shape(16)), m.zeros(new Shape(16, 8)), m.zeros(new Shape(8)), null)) {
      WorkbenchException e = assertThrows(WorkbenchException.class,
          () -> model.runWithHooks(clip, SaeSplice.hooks(other)).close());
      assertEquals("cannot splice at blocks.9.mlp.hook_post: not a hook point of this model",
          e.getMessage());
    }
  }
}
