package io.anw.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.anw.sae.SaeArchitecture;
import io.anw.sae.SparseAutoencoder;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class SaeTrainerTest {
  private static final int D = 32;
  private static final int N = 64;

  private static SaeOptions options(SaeOptions.Arch arch) {
    SaeOptions o = SaeOptions.topK(3).arch(arch).expansion(N / (double) D).tokens(400_000)
        .batchTokens(256).bufferTokens(8192).lr(3e-3).seed(7).deadWindowTokens(20_000);
    return o;
  }

  /** Fraction of true directions with a decoder row of cosine above 0.9. */
  static double recovered(SparseAutoencoder sae, float[][] truth) {
    float[] w = sae.wDec().toFloatArray();
    int dSae = sae.dSae();
    int hit = 0;
    for (float[] v : truth) {
      double best = 0;
      for (int i = 0; i < dSae; i++) {
        double dot = 0;
        double norm = 0;
        for (int j = 0; j < D; j++) {
          dot += w[i * D + j] * v[j];
          norm += w[i * D + j] * w[i * D + j];
        }
        best = Math.max(best, dot / Math.sqrt(norm));
      }
      hit += best > 0.9 ? 1 : 0;
    }
    return hit / (double) truth.length;
  }

  @ParameterizedTest
  @EnumSource(SaeOptions.Arch.class)
  void recoversKnownSparseDirections(SaeOptions.Arch arch) {
    SyntheticSparseSource src = new SyntheticSparseSource(D, N, 3, 100, 11);
    SaeTrainingRun run = SaeTrainer.train(src, D, "blocks.0.hook_resid_post", options(arch),
        "synthetic", null, Map.of(), (s, n, m) -> { });
    try (SparseAutoencoder sae = run.sae()) {
      double r = recovered(sae, src.directions);
      System.out.println(arch + ": recovered " + r + "; " + run);
      // "most": more than 60 % of the 64 directions have a decoder row within cosine 0.9
      assertTrue(r > 0.6, arch + " recovered only " + r + " of the directions");
      assertTrue(run.last("explained_variance") > 0.7, run.toString());
      assertTrue(run.last("l0") < 8, "sparse codes: " + run);
      SaeArchitecture saved = sae.config().architecture();
      assertEquals(switch (arch) {
        case RELU -> SaeArchitecture.STANDARD;
        case TOPK -> SaeArchitecture.TOPK;
        default -> SaeArchitecture.JUMPRELU;
      }, saved);
    }
  }

  @Test
  void resumedRunEqualsUninterruptedRun(@TempDir Path dir) {
    SaeOptions o = options(SaeOptions.Arch.TOPK).tokens(256 * 40).checkpointEvery(10);
    SaeTrainingRun whole = SaeTrainer.train(new SyntheticSparseSource(D, N, 3, 100, 11), D,
        "h", o, "synthetic", null, Map.of(), (s, n, m) -> { });
    TrainingCheckpoint cp = new TrainingCheckpoint(dir.resolve("cp.safetensors"), 10);
    // the first session stops after step 25 (the last snapshot is at step 20)
    RuntimeException stop = new RuntimeException("stop");
    try {
      SaeTrainer.train(new SyntheticSparseSource(D, N, 3, 100, 11), D, "h", o, "synthetic", cp,
          Map.of(), (s, n, m) -> {
            if (s == 25) {
              throw stop;
            }
          });
    } catch (RuntimeException e) {
      assertEquals(stop, e);
    }
    assertTrue(cp.file().toFile().exists());
    SaeTrainingRun resumed = SaeTrainer.train(new SyntheticSparseSource(D, N, 3, 100, 11), D,
        "h", o, "synthetic", cp, Map.of(), (s, n, m) -> { });
    try (SparseAutoencoder a = whole.sae(); SparseAutoencoder b = resumed.sae()) {
      assertArrayEquals(a.wEnc().toFloatArray(), b.wEnc().toFloatArray());
      assertArrayEquals(a.wDec().toFloatArray(), b.wDec().toFloatArray());
      assertArrayEquals(a.bDec().toFloatArray(), b.bDec().toFloatArray());
      assertArrayEquals(whole.curve("loss"), resumed.curve("loss"));
    }
    assertTrue(!cp.file().toFile().exists(), "the checkpoint is removed at the end");
  }
}
