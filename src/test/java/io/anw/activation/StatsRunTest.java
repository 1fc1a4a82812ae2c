package io.anw.activation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.anw.WorkbenchException;
import io.anw.audio.Dataset;
import io.anw.model.ActivationCache;
import io.anw.model.M2dViT;
import io.anw.model.ModelFiles;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hook statistics against a brute-force sum of the cached activations, clip by clip; the file
 * round trip; adding two halves gives the whole; a bad hook is refused.
 */
class StatsRunTest {
  static final Path MODEL = Path.of("samples", "models", "m2d-tiny.safetensors");
  static final String HOOK = "blocks.1.hook_resid_post";

  @TempDir Path dir;

  @Test
  void sumsEqualTheCachedActivationsSummedByHand() {
    Dataset all = Dataset.open(io.anw.audio.SampleGenerator.ensure(io.anw.audio.SampleGenerator.DEFAULT_OUT, "pitch_synth", s -> { }));
    Dataset data = all.select(new int[] {0, 50, 100, 150, 200, 239, 7});
    try (M2dViT model = ModelFiles.loadM2d(MODEL)) {
      HookStats stats = StatsRun.run(model, data, HOOK, 3, Map.of("note", "x"), n -> { });
      int d = stats.width();
      double[] sum = new double[d];
      double[] sq = new double[d];
      double norms = 0;
      long tokens = 0;
      try (NDManager m = NDManager.newBaseManager()) {
        for (DatasetInputs.Prepared p : DatasetInputs.prepared(model, data)) {
          try (ActivationCache c = model.runWithCache(p.toInput(m).part("audio"), HOOK)) {
            float[] x = c.get(HOOK).toFloatArray();
            for (int t = 0; t < x.length / d; t++) {
              double n2 = 0;
              for (int i = 0; i < d; i++) {
                double v = x[t * d + i];
                sum[i] += v;
                sq[i] += v * v;
                n2 += v * v;
              }
              norms += Math.sqrt(n2);
              tokens++;
            }
          }
        }
      }
      assertEquals(128, d);
      assertEquals(tokens, stats.tokens());
      assertEquals(7 * 36, tokens, "36 tokens per 1 s clip");
      for (int i = 0; i < d; i++) {
        assertEquals(sum[i], stats.sum()[i], 1e-9 * (1 + Math.abs(sum[i])), "sum " + i);
        assertEquals(sq[i], stats.sumSquares()[i], 1e-9 * sq[i], "sum_sq " + i);
      }
      assertEquals(norms, stats.sumNorm(), 1e-9 * norms);
      assertEquals(norms / tokens, stats.meanNorm(), 1e-9 * norms / tokens);
      assertEquals("7", stats.provenance().get("clips"));
      assertEquals(HOOK, stats.provenance().get(CountsProvenance.HOOK));
      assertEquals(model.weightsSha256(), stats.provenance().get(CountsProvenance.WEIGHTS_SHA256));

      Path file = stats.write(dir.resolve("stats.npz"));
      HookStats back = HookStats.read(file);
      assertArrayEquals(stats.sum(), back.sum());
      assertArrayEquals(stats.sumSquares(), back.sumSquares());
      assertEquals(stats.sumNorm(), back.sumNorm());
      assertEquals(stats.tokens(), back.tokens());
      assertEquals(stats.provenance(), back.provenance());
      assertEquals(HOOK, back.hook());

      HookStats first = StatsRun.run(model, data.select(new int[] {0, 1, 2}), HOOK, 3, Map.of(),
          n -> { });
      HookStats rest = StatsRun.run(model, data.select(new int[] {3, 4, 5, 6}), HOOK, 3,
          Map.of(), n -> { });
      HookStats both = first.plus(rest);
      assertEquals(stats.tokens(), both.tokens());
      for (int i = 0; i < d; i++) {
        assertEquals(stats.sum()[i], both.sum()[i], 1e-9 * (1 + Math.abs(sum[i])));
      }
      assertTrue(stats.toString().startsWith("HookStats blocks.1.hook_resid_post: 252 tokens"),
          stats.toString());

      WorkbenchException bad = assertThrows(WorkbenchException.class,
          () -> StatsRun.run(model, data, "blocks.9.nothing", 3, Map.of(), n -> { }));
      assertTrue(bad.getMessage().contains("not a hook point"), bad.getMessage());
      WorkbenchException pattern = assertThrows(WorkbenchException.class,
          () -> StatsRun.run(model, data, "blocks.0.attn.hook_pattern", 3, Map.of(), n -> { }));
      assertTrue(pattern.getMessage().contains("[rows, tokens, d]"), pattern.getMessage());
    }
  }

  @Test
  void aFileThatIsNotStatisticsIsNamed() throws Exception {
    Path counts = dir.resolve("counts.npz");
    CountsFile.write(new ActivationCounts(1, 2, java.util.List.of("a"), new long[] {1, 2},
        new long[] {3}, "blocks.*.mlp.hook_post", Map.of()), counts);
    WorkbenchException e = assertThrows(WorkbenchException.class, () -> HookStats.read(counts));
    assertEquals(counts + ": not a hook statistics file (no 'tokens')", e.getMessage());
  }
}
