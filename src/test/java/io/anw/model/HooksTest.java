package io.anw.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.anw.WorkbenchException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Hooks and caches on a tiny random M2D (width 64, depth 2, 2 heads, MLP 256, unit 32). */
class HooksTest {
  private static NDManager manager;
  private static M2dViT model;
  private static NDArray clip;      // one chunk: [1, 1, 80, 32]
  private static NDArray longClip;  // three chunks: [2, 80, 70]

  @BeforeAll
  static void setUp() {
    manager = NDManager.newBaseManager();
    model = M2dViT.random(ModelConfig.defaults().withUnitFrames(32).withHeads(2), 2, 64, 256, 7,
        manager);
    clip = manager.randomNormal(0, 1, new Shape(1, 1, 80, 32), DataType.FLOAT32);
    longClip = manager.randomNormal(0, 1, new Shape(2, 80, 70), DataType.FLOAT32);
  }

  @AfterAll
  static void tearDown() {
    model.close();
    manager.close();
  }

  @Test
  void identityHooksEverywhereLeaveTheOutputBitIdentical() {
    try (ModelOutput plain = model.run(longClip);
        ModelOutput hooked = model.runWithHooks(longClip, Hooks.of("**", Hook.identity()))) {
      assertEquals(0.0, Fixtures.maxAbsDiff(plain.features(), hooked.features()));
      assertEquals(0.0, Fixtures.maxAbsDiff(plain.cls(), hooked.cls()));
    }
  }

  @Test
  void zeroingLayer0NeuronsChangesTheOutput() {
    try (ModelOutput plain = model.run(clip);
        ModelOutput ablated = model.runWithHooks(clip,
            Hooks.of("blocks.0.mlp.hook_post", Hook.zero()))) {
      assertTrue(Fixtures.maxAbsDiff(plain.sceneEmbedding(), ablated.sceneEmbedding()) > 1e-3);
    }
  }

  @Test
  void zeroNeuronsZeroesExactlyThoseUnitsAndTheCacheSeesTheReplacement() {
    try (ActivationCache plain = model.runWithCache(clip, "blocks.1.mlp.hook_post");
        ActivationCache ablated = model.run(clip, Hooks.zeroNeurons(1, 3, 5, 200),
            "blocks.1.mlp.hook_post")) {
      NDArray before = plain.neurons(1);
      NDArray after = ablated.neurons(1);
      for (int n : new int[] {3, 5, 200}) {
        assertEquals(0f, after.get(":, :, " + n).abs().max().getFloat());
        assertTrue(before.get(":, :, " + n).abs().max().getFloat() > 0);
      }
      assertEquals(0f, after.get(":, :, 4").sub(before.get(":, :, 4")).abs().max().getFloat());
      assertTrue(Fixtures.maxAbsDiff(plain.output().features(), ablated.output().features()) > 0);
    }
  }

  @Test
  void cacheHoldsOnlyTheAskedForNames() {
    try (ActivationCache cache = model.runWithCache(clip, "blocks.*.mlp.hook_post",
        "hook_final")) {
      assertEquals(Set.of("blocks.0.mlp.hook_post", "blocks.1.mlp.hook_post", "hook_final"),
          cache.names());
      WorkbenchException e = assertThrows(WorkbenchException.class,
          () -> cache.get("blocks.0.mlp.hook_pre"));
      assertTrue(e.getMessage().contains("was not cached"), e.getMessage());
    }
    try (ActivationCache all = model.runWithCache(clip)) {
      assertEquals(model.hookNames(), List.copyOf(all.names()));
    }
  }

  @Test
  void hookShapesAreAsDocumented() {
    long b = 1;
    long n = 1 + 5 * 2;
    try (ActivationCache c = model.runWithCache(clip)) {
      assertEquals(new Shape(b, n - 1, 64), c.get("hook_embed").getShape());
      for (String s : List.of("hook_resid_pre", "hook_attn_out", "hook_resid_mid",
          "hook_mlp_out", "hook_resid_post")) {
        assertEquals(new Shape(b, n, 64), c.get("blocks.1." + s).getShape(), s);
      }
      for (String s : List.of("q", "k", "v")) {
        assertEquals(new Shape(b, n, 2, 32), c.get("blocks.0.attn.hook_" + s).getShape(), s);
      }
      assertEquals(new Shape(b, 2, n, n), c.get("blocks.0.attn.hook_pattern").getShape());
      assertEquals(new Shape(b, n, 256), c.get("blocks.0.mlp.hook_pre").getShape());
      assertEquals(new Shape(b, n, 256), c.neurons(0).getShape());
      assertEquals(new Shape(b, n, 64), c.get("hook_final").getShape());
      NDArray rowSums = c.get("blocks.0.attn.hook_pattern").sum(new int[] {-1});
      assertTrue(rowSums.sub(1f).abs().max().getFloat() < 1e-5);
    }
  }

  @Test
  void multiChunkCacheJoinsTokensAndKeepsChunksApart() {
    // 70 frames, unit 32: chunks of 2, 2 and 1 time patches (6 frames of padding)
    try (ActivationCache c = model.runWithCache(longClip, "blocks.0.mlp.hook_post",
        "blocks.0.attn.hook_pattern")) {
      assertEquals(3, c.chunks());
      assertEquals(new Shape(2, 11, 256), c.get("blocks.0.mlp.hook_post", 0).getShape());
      assertEquals(new Shape(2, 6, 256), c.get("blocks.0.mlp.hook_post", 2).getShape());
      assertEquals(new Shape(2, 11 + 11 + 6, 256), c.neurons(0).getShape());
      assertThrows(WorkbenchException.class, () -> c.get("blocks.0.attn.hook_pattern"));
      assertEquals(new Shape(2, 2, 6, 6), c.get("blocks.0.attn.hook_pattern", 2).getShape());
      assertEquals(new Shape(2, 5, 5 * 64), c.output().features().getShape());
      assertEquals(new Shape(2, 3, 64), c.output().cls().getShape());
    }
  }

  @Test
  void hooksSeeNameLayerChunkAndBatchInOrderAndCompose() {
    List<String> seen = new ArrayList<>();
    Hooks hooks = Hooks.of("blocks.*.hook_resid_post", (ctx, x) -> {
      seen.add(ctx.name() + "@" + ctx.layer() + "/" + ctx.chunk().index() + "of" + ctx.chunks()
          + "b" + ctx.batch());
      return x;
    }).and("blocks.1.hook_resid_post", (ctx, x) -> {
      seen.add("second");
      return x;
    });
    model.runWithHooks(longClip, hooks).close();
    // chunks 0 and 1 (32 frames each) run as one pass of 4 rows; the hook still sees each
    // chunk's [2, ...] rows, chunk by chunk; the padded chunk 2 runs alone
    assertEquals(List.of(
        "blocks.0.hook_resid_post@0/0of3b2", "blocks.0.hook_resid_post@0/1of3b2",
        "blocks.1.hook_resid_post@1/0of3b2", "second",
        "blocks.1.hook_resid_post@1/1of3b2", "second",
        "blocks.0.hook_resid_post@0/2of3b2", "blocks.1.hook_resid_post@1/2of3b2", "second"),
        seen);
  }

  @Test
  void patchingTheLastResidualFromAnotherRunGivesThatRunsOutput() {
    NDArray other = clip.mul(-1);
    try (ActivationCache source = model.runWithCache(other, "blocks.1.hook_resid_post");
        ModelOutput plain = model.run(clip);
        ModelOutput patched = model.runWithHooks(clip,
            Hooks.of("blocks.1.hook_resid_post", Hook.patchFrom(source)))) {
      try (ModelOutput target = model.run(other)) {
        assertEquals(0.0, Fixtures.maxAbsDiff(target.features(), patched.features()));
      }
      assertTrue(Fixtures.maxAbsDiff(plain.features(), patched.features()) > 1e-3);
    }
  }

  @Test
  void patchingWorksChunkByChunkWhenChunksRunTogether() {
    NDArray other = longClip.mul(0.5).add(1);
    try (ActivationCache source = model.runWithCache(other, "blocks.1.hook_resid_post");
        ModelOutput target = model.run(other);
        ModelOutput patched = model.runWithHooks(longClip,
            Hooks.of("blocks.1.hook_resid_post", Hook.patchFrom(source)))) {
      assertEquals(0.0, Fixtures.maxAbsDiff(target.features(), patched.features()));
      assertEquals(0.0, Fixtures.maxAbsDiff(target.cls(), patched.cls()));
    }
  }

  @Test
  void meanAblationAndSteeringUseTheLastAxis() {
    float[] values = {0.5f, -0.25f};
    try (ActivationCache c = model.run(clip,
        Hooks.of("blocks.0.mlp.hook_post", Hook.setUnits(new int[] {7, 9}, values))
            .and("hook_final", Hook.addVector(new float[64])), "blocks.0.mlp.hook_post")) {
      assertEquals(0.5f, c.neurons(0).get(":, :, 7").min().getFloat(), 0f);
      assertEquals(-0.25f, c.neurons(0).get(":, :, 9").max().getFloat(), 0f);
    }
    assertThrows(WorkbenchException.class, () -> model.runWithHooks(clip,
        Hooks.of("hook_final", Hook.addVector(new float[3]))));
    assertThrows(WorkbenchException.class, () -> model.runWithHooks(clip,
        Hooks.zeroNeurons(0, 256)));
  }

  @Test
  void badPatternsShapesAndInputsAreUserErrors() {
    WorkbenchException typo = assertThrows(WorkbenchException.class,
        () -> model.runWithCache(clip, "blocks.*.mlp.hook_psot"));
    assertTrue(typo.getMessage().contains("hook_psot"), typo.getMessage());
    assertThrows(WorkbenchException.class, () -> model.runWithHooks(clip,
        Hooks.of("blocks.9.hook_resid_pre", Hook.identity())));
    WorkbenchException shape = assertThrows(WorkbenchException.class, () -> model.runWithHooks(
        clip, Hooks.of("blocks.0.hook_resid_pre", (ctx, x) -> x.get(":, 1:, :"))));
    assertTrue(shape.getMessage().contains("blocks.0.hook_resid_pre"), shape.getMessage());
    NDArray wrongMel = manager.zeros(new Shape(64, 40));
    assertThrows(WorkbenchException.class, () -> model.run(wrongMel));
    assertThrows(WorkbenchException.class, () -> model.run(manager.zeros(new Shape(80))));
  }

  @Test
  void inputRanksTwoThreeAndFourAgree() {
    NDArray mel = clip.reshape(80, 32);
    try (ModelOutput a = model.run(mel);
        ModelOutput b = model.run(mel.expandDims(0));
        ModelOutput c = model.run(clip)) {
      assertEquals(0.0, Fixtures.maxAbsDiff(a.features(), b.features()));
      assertEquals(0.0, Fixtures.maxAbsDiff(a.features(), c.features()));
      assertNotEquals(0.0, a.features().abs().sum().getFloat());
    }
  }
}
