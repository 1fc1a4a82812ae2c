package io.anw.intervention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import io.anw.model.ModelOutput;
import io.anw.model.PartedInput;
import io.anw.neuron.Neuron;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Patching identities on a tiny random M2D; normalised effects on a monotone linear toy. */
class PatchingTest {
  static NDManager manager;
  static M2dViT model;
  static NDArray clean;      // [2, 80, 48]: two chunks (32 + 16 frames)
  static NDArray corrupted;
  static PatchMetric metric; // a fixed random readout of the scene embedding, per row

  @BeforeAll
  static void setUp() {
    GradMode.disableOnCurrentThread();
    manager = NDManager.newBaseManager();
    model = M2dViT.random(ModelConfig.defaults().withUnitFrames(32), 2, 32, 64, 3, manager);
    clean = manager.randomNormal(0, 1, new Shape(2, 80, 48), DataType.FLOAT32);
    corrupted = manager.randomNormal(0, 1, new Shape(2, 80, 48), DataType.FLOAT32);
    NDArray w = manager.randomNormal(0, 1, new Shape(5 * 32), DataType.FLOAT32);
    metric = out -> out.sceneEmbedding().matMul(w);
  }

  @AfterAll
  static void tearDown() {
    model.close();
    manager.close();
  }

  @Test
  void patchingEverythingFromCleanGivesTheCleanOutput() {
    for (String hook : List.of("hook_embed", "blocks.0.hook_resid_pre", "blocks.1.hook_resid_post",
        "blocks.1.hook_resid_mid", "hook_final")) { // each point determines all after it
      PatchResult r = Patching.denoise(model, clean, corrupted, metric, PatchTarget.hook(hook));
      assertEquals(r.clean(), r.patched(), 1e-4 * Math.abs(r.clean()) + 1e-5, hook);
      assertEquals(1.0, r.effect(), 1e-4, hook);
      PatchResult n = Patching.noise(model, clean, corrupted, metric, PatchTarget.hook(hook));
      assertEquals(n.corrupted(), n.patched(), 1e-4 * Math.abs(n.corrupted()) + 1e-5, hook);
      assertEquals(0.0, n.effect(), 1e-4, hook);
    }
  }

  @Test
  void patchingAllPositionsOfTheResidualStreamReproducesTheSourceOutputExactly() {
    int tokens = 1 + 5 * 2; // chunk 0: 5 freq x 2 time patches + CLS; chunk 1 has 1 time patch
    int[] all0 = java.util.stream.IntStream.range(0, tokens).toArray();
    int[] all1 = java.util.stream.IntStream.range(0, 6).toArray();
    PatchTarget p0 = PatchTarget.positions("blocks.1.hook_resid_pre", all0).inChunk(0);
    PatchTarget p1 = PatchTarget.positions("blocks.1.hook_resid_pre", all1).inChunk(1);
    try (ModelOutput c = model.run(clean);
        var cache = model.runWithCache(clean, "blocks.1.hook_resid_pre")) {
      var hooks = PatchRuns.hooks(List.of(List.of(p0, p1)), cache, 2);
      try (ModelOutput patched = model.runWithHooks(corrupted, hooks)) {
        assertEquals(0f, c.features().sub(patched.features()).abs().max().getFloat());
      }
    }
    PatchResult half = Patching.denoise(model, clean, corrupted, metric, p0);
    assertTrue(Math.abs(half.effect() - 1) > 1e-3, "one chunk alone is not everything");
  }

  @Test
  void batchedVariantsGiveTheSameMetricsAsOneAtATime() {
    List<List<PatchTarget>> variants = List.of(
        List.of(PatchTarget.positions("blocks.0.hook_resid_pre", 0)),
        List.of(PatchTarget.positions("blocks.0.hook_resid_pre", 3, 4)),
        List.of(PatchTarget.neurons(1, 5, 6, 7)),
        List.of(PatchTarget.hook("blocks.1.hook_attn_out")),
        List.copyOf(PatchTarget.neurons(List.of(new Neuron(0, 1), new Neuron(1, 2)))));
    try (var source = model.run(PartedInput.audio(clean), io.anw.model.Hooks.none(),
        PatchRuns.patterns(variants))) {
      double[] batched = PatchRuns.metrics(model, PartedInput.audio(corrupted), source, metric,
          variants, 64);
      double[] single = PatchRuns.metrics(model, PartedInput.audio(corrupted), source, metric,
          variants, 1);
      for (int i = 0; i < variants.size(); i++) {
        assertEquals(single[i], batched[i], 1e-4 * Math.abs(single[i]) + 1e-5, "variant " + i);
      }
      assertNotEquals(batched[0], batched[1]);
    }
  }

  @Test
  void equalLengthChunksRunStackedArePatchedChunkByChunk() {
    // 64 frames = two equal chunks, which M2dViT runs stacked in one pass
    NDArray a = manager.randomNormal(0, 1, new Shape(1, 80, 64), DataType.FLOAT32);
    NDArray b = manager.randomNormal(0, 1, new Shape(1, 80, 64), DataType.FLOAT32);
    List<List<PatchTarget>> variants = List.of(
        List.of(PatchTarget.positions("blocks.1.hook_resid_pre", 2).inChunk(1)),
        List.of(PatchTarget.positions("blocks.1.hook_resid_pre", 2).inChunk(0)),
        List.of(PatchTarget.hook("blocks.0.hook_resid_post")));
    try (var source = model.run(PartedInput.audio(a), io.anw.model.Hooks.none(),
        PatchRuns.patterns(variants))) {
      double[] batched = PatchRuns.metrics(model, PartedInput.audio(b), source, metric, variants,
          64);
      double[] single = PatchRuns.metrics(model, PartedInput.audio(b), source, metric, variants,
          1);
      for (int i = 0; i < 3; i++) {
        assertEquals(single[i], batched[i], 1e-4 * Math.abs(single[i]) + 1e-5, "variant " + i);
      }
      assertNotEquals(batched[0], batched[1]);
      try (ModelOutput out = model.run(a)) {
        assertEquals(metric.value(out), batched[2], 1e-4 * Math.abs(batched[2]) + 1e-5);
      }
    }
  }

  @Test
  void scalarMetricsWork() {
    PatchMetric scalar = PatchMetric.of(out -> (double) out.sceneEmbedding().sum().getFloat());
    PatchResult r = Patching.denoise(model, clean, corrupted, scalar,
        PatchTarget.hook("blocks.0.hook_resid_pre"));
    assertEquals(r.clean(), r.patched(), 1e-3 * Math.abs(r.clean()) + 1e-4);
  }

  @Test
  void normalisedEffectsOfAMonotoneLinearToyLieInZeroOne() {
    try (LinearToyModel toy = new LinearToyModel(3, 4, 8, 16, 2, 11);
        NDManager m = NDManager.newBaseManager()) {
      NDArray corr = m.randomUniform(0f, 1f, new Shape(2, 3, 4));
      NDArray cl = corr.add(m.randomUniform(0f, 1f, new Shape(2, 3, 4)));
      PatchMetric sum = out -> out.sceneEmbedding().sum(new int[] {1});
      List<PatchTarget> targets = List.of(PatchTarget.positions("blocks.1.hook_resid_pre", 2),
          PatchTarget.positions("blocks.0.hook_resid_mid", 0, 5, 7),
          PatchTarget.neurons(0, 1, 2, 3), PatchTarget.neurons(1, 9),
          PatchTarget.units("hook_embed", 4), PatchTarget.hook("blocks.0.hook_attn_out"));
      for (PatchTarget t : targets) {
        for (PatchDirection d : PatchDirection.values()) {
          PatchResult r = Patching.run(toy, d, PartedInput.audio(cl), PartedInput.audio(corr), sum,
              List.of(t));
          assertTrue(r.clean() > r.corrupted(), r.toString());
          assertTrue(r.effect() >= -1e-6 && r.effect() <= 1 + 1e-6, r.toString());
          assertTrue(r.effect() > 1e-4 && r.effect() < 1 - 1e-4, "partial patch: " + r);
        }
      }
    }
  }

  @Test
  void mismatchedLayoutsAreAClearError() {
    NDArray shorter = manager.randomNormal(0, 1, new Shape(2, 80, 40), DataType.FLOAT32);
    WorkbenchException e = assertThrows(WorkbenchException.class, () -> Patching.denoise(model,
        clean, shorter, metric, PatchTarget.hook("hook_final")));
    assertTrue(e.getMessage().contains("token layout"), e.getMessage());
    NDArray[] both = TokenLayout.cropToShorter(clean, shorter);
    assertEquals(new Shape(2, 80, 40), both[0].getShape());
    assertEquals(new Shape(2, 80, 64), TokenLayout.cropOrPad(shorter, 64).getShape());
    assertEquals(0f, TokenLayout.cropOrPad(shorter, 64).get("..., 40:").abs().max().getFloat());
    PatchResult r = Patching.denoise(model, both[0], both[1], metric, PatchTarget.hook("hook_final"));
    assertEquals(1.0, r.effect(), 1e-4);
  }

  @Test
  void badTargetsAreClearErrors() {
    assertThrows(WorkbenchException.class, () -> Patching.denoise(model, clean, corrupted, metric,
        PatchTarget.positions("blocks.0.hook_resid_pre", 99)));
    assertThrows(WorkbenchException.class, () -> Patching.denoise(model, clean, corrupted, metric,
        PatchTarget.neurons(0, 64)));
    assertThrows(WorkbenchException.class, () -> Patching.denoise(model, clean, corrupted, metric,
        PatchTarget.hook("blocks.9.hook_resid_pre")));
    assertEquals("CLS", TokenLayout.label(0, 2));
    assertEquals("f2.t1", TokenLayout.label(TokenLayout.token(2, 1, 2), 2));
  }

  @Test
  void probeLogitDifferenceIsCorrectMinusBestOther() {
    float[][] x = new float[40][160];
    int[] y = new int[40];
    java.util.Random r = new java.util.Random(1);
    for (int i = 0; i < 40; i++) {
      y[i] = i % 3;
      for (int d = 0; d < 160; d++) {
        x[i][d] = (float) r.nextGaussian() + (d % 3 == y[i] ? 2f : 0f);
      }
    }
    LinearProbe probe = LinearProbe.train(x, y, List.of("a", "b", "c"), ProbeOptions.defaults());
    try (ModelOutput out = model.run(clean)) {
      float[][] emb = new float[2][];
      float[] flat = out.sceneEmbedding().toFloatArray();
      emb[0] = java.util.Arrays.copyOfRange(flat, 0, 160);
      emb[1] = java.util.Arrays.copyOfRange(flat, 160, 320);
      float[] got = PatchMetric.probeLogitDiff(probe, 1, 2).apply(out).toFloatArray();
      for (int i = 0; i < 2; i++) {
        float[] l = probe.logits(emb[i]);
        int c = i + 1;
        float best = Float.NEGATIVE_INFINITY;
        for (int k = 0; k < 3; k++) {
          if (k != c) {
            best = Math.max(best, l[k]);
          }
        }
        assertEquals(l[c] - best, got[i], 1e-3);
      }
    }
  }
}
