package io.anw.activation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.anw.model.ActivationCache;
import io.anw.model.M2dViT;
import io.anw.model.ModelConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Streaming counts against per-token activations read from runWithCache. */
class ActivationCounterTest {
  static final List<String> CLASSES = List.of("a", "b", "c");
  static M2dViT model;
  static NDManager manager;

  @BeforeAll
  static void open() {
    // Unit 32 frames: a 75-frame clip makes 3 chunks, the last one padded.
    model = M2dViT.random(ModelConfig.defaults().withName("tiny").withUnitFrames(32), 2, 32, 64,
        7, null);
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void close() {
    manager.close();
    model.close();
  }

  static NDArray batch(long seed, int clips, int frames) {
    manager.getEngine().setRandomSeed((int) seed);
    return manager.randomNormal(new Shape(clips, 80, frames));
  }

  @Test
  void countsEqualPerTokenActivationsFromTheCache() {
    NDArray x1 = batch(1, 2, 75);
    NDArray x2 = batch(2, 3, 40);
    int[] y1 = {0, 2};
    int[] y2 = {2, 2, 1};
    ActivationCounts counts;
    try (ActivationCounter counter = new ActivationCounter(model, CLASSES)) {
      counter.add(x1, y1);
      counter.add(x2, y2);
      counts = counter.counts(Map.of("model_sha256", "test"));
      assertEquals(5, counter.clips());
    }
    int layers = model.layers();
    int neurons = model.neuronsPerLayer();
    long[][][] expected = new long[layers][neurons][3];
    long[] expectedN = new long[3];
    for (Object[] b : new Object[][] {{x1, y1}, {x2, y2}}) {
      try (ActivationCache cache = model.runWithCache((NDArray) b[0], "blocks.*.mlp.hook_post")) {
        int[] y = (int[]) b[1];
        for (int l = 0; l < layers; l++) {
          NDArray act = cache.get("blocks." + l + ".mlp.hook_post"); // [B, tokens, neurons]
          long tokens = act.getShape().get(1);
          float[] v = act.toFloatArray();
          for (int clip = 0; clip < y.length; clip++) {
            if (l == 0) {
              expectedN[y[clip]] += tokens;
            }
            for (int t = 0; t < tokens; t++) {
              for (int j = 0; j < neurons; j++) {
                if (v[(int) ((clip * tokens + t) * neurons + j)] > 0) {
                  expected[l][j][y[clip]]++;
                }
              }
            }
          }
        }
      }
    }
    assertArrayEquals(expectedN, counts.nPerClass());
    // Every token of every chunk counts, CLS and padding included. 75 frames at unit 32: chunks
    // of 32, 32 and 11 (padded to 16) frames = 2, 2, 1 time patches x 5 frequency patches, plus
    // CLS: 11 + 11 + 6 = 28 tokens; 40 frames: 11 + 6 = 17 tokens.
    assertArrayEquals(new long[] {28, 17, 28 + 2 * 17}, counts.nPerClass());
    for (int l = 0; l < layers; l++) {
      for (int j = 0; j < neurons; j++) {
        for (int c = 0; c < 3; c++) {
          assertEquals(expected[l][j][c], counts.overZero(l, j, c), "L" + l + ".N" + j + " c" + c);
        }
      }
    }
    assertTrue(counts.provenance().containsKey("clips"));
  }

  @Test
  void shardsSumToOneRun() {
    NDArray x = batch(3, 4, 48);
    int[] y = {0, 1, 2, 1};
    ActivationCounts whole;
    ActivationCounts merged;
    try (ActivationCounter one = new ActivationCounter(model, CLASSES)) {
      one.add(x, y);
      whole = one.counts(Map.of());
    }
    try (ActivationCounter a = new ActivationCounter(model, CLASSES);
        ActivationCounter b = new ActivationCounter(model, CLASSES)) {
      a.add(x.get("0:2"), new int[] {0, 1});
      b.add(x.get("2:4"), new int[] {2, 1});
      merged = a.counts(Map.of()).plus(b.counts(Map.of()));
    }
    assertEquals(whole, merged);
  }

  @Test
  void classMeansAverageEveryTokenOfTheClass() {
    NDArray x = batch(4, 2, 40);
    int[] y = {1, 1};
    double[] means;
    try (ActivationCounter counter = new ActivationCounter(model, CLASSES, true)) {
      counter.add(x, y);
      means = counter.classMeans();
    }
    int neurons = model.neuronsPerLayer();
    try (ActivationCache cache = model.runWithCache(x, "blocks.1.mlp.hook_post")) {
      NDArray act = cache.get("blocks.1.mlp.hook_post"); // [2, tokens, neurons]
      float[] expected = act.mean(new int[] {1}).mean(new int[] {0}).toFloatArray();
      for (int j = 0; j < neurons; j++) {
        assertEquals(expected[j], means[(neurons + j) * 3 + 1], 1e-5, "L1.N" + j);
        assertEquals(0.0, means[(neurons + j) * 3 + 0], "class a has no tokens");
      }
    }
    try (ActivationCounter plain = new ActivationCounter(model, CLASSES)) {
      org.junit.jupiter.api.Assertions.assertThrows(io.anw.WorkbenchException.class,
          plain::classMeans);
    }
  }
}
