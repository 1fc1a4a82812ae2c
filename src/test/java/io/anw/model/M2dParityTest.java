package io.anw.model;

import static io.anw.model.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Parity with the PyTorch reference (src/test/python/make_model_fixtures.py): a tiny random M2D
 * ViT (width 64, depth 2, 2 heads, MLP 256, 32-frame unit) on a 75-frame batch of two (three
 * chunks, the last padded) and a 13-frame clip (one chunk shorter than a unit).
 */
class M2dParityTest {
  private static final double REL = 1e-4;
  private static NDManager manager;
  private static Map<String, NDArray> golden;
  private static M2dViT model;

  @BeforeAll
  static void load() {
    manager = NDManager.newBaseManager();
    golden = Fixtures.npz("/model/m2d_tiny.npz", manager);
    ModelConfig config = ModelConfig.fromName("m2d_tiny-80x32p16x16-test")
        .withHeads(Fixtures.TINY_HEADS);
    model = M2dViT.fromStateDict(Fixtures.under(golden, "w/"), config, manager);
  }

  @AfterAll
  static void close() {
    model.close();
    manager.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"long", "short"})
  void featuresClsAndSceneEmbeddingMatchPyTorch(String c) {
    try (ModelOutput out = model.run(golden.get(c + "/input"))) {
      assertClose(golden.get(c + "/features"), out.features(), REL, c + " features");
      assertClose(golden.get(c + "/cls"), out.cls(), REL, c + " cls");
      assertClose(golden.get(c + "/scene"), out.sceneEmbedding(), REL, c + " scene");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"long", "short"})
  void everyHookPointMatchesPyTorchInEveryChunk(String c) {
    try (ActivationCache cache = model.runWithCache(golden.get(c + "/input"))) {
      int chunks = c.equals("long") ? 3 : 1;
      assertEquals(chunks, cache.chunks());
      int compared = 0;
      for (int i = 0; i < chunks; i++) {
        Map<String, NDArray> expected = Fixtures.under(golden, c + "/c" + i + "/");
        assertEquals(model.hookNames().size(), expected.size(), "reference records every hook");
        for (Map.Entry<String, NDArray> e : expected.entrySet()) {
          assertClose(e.getValue(), cache.get(e.getKey(), i), REL, c + " chunk " + i + " "
              + e.getKey());
          compared++;
        }
      }
      assertEquals(chunks * model.hookNames().size(), compared);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"long", "short"})
  void chunkingFollowsM2d(String c) {
    NDArray input = golden.get(c + "/input");
    ChunkPlan plan = model.plan((int) input.getShape().get(3));
    int[] patches = plan.chunks().stream().mapToInt(ChunkPlan.Chunk::timePatches).toArray();
    if (c.equals("long")) {
      // 75 frames, unit 32: [0,32) [32,64) [64,75) + 5 padding frames
      assertArrayEquals(new int[] {2, 2, 1}, patches);
      assertEquals(5, plan.chunks().get(2).padFrames());
    } else {
      assertArrayEquals(new int[] {1}, patches);
      assertEquals(3, plan.chunks().get(0).padFrames());
    }
    assertEquals(golden.get(c + "/features").getShape().get(1), plan.timeSteps());
  }

  @org.junit.jupiter.api.Test
  void checkpointNormStatsAndIgnoredExtrasAreReported() {
    assertEquals(new NormStats(-5f, 3f), model.normStats());
    String notes = String.join("\n", model.notes());
    assertTrue(notes.contains("mask_token"), notes);
    assertTrue(notes.contains("decoder"), notes);
    assertTrue(notes.contains("outside 'model'"), notes);
    assertEquals(32, model.dims().unitFrames());
    assertEquals(2, model.dims().heads());
  }
}
