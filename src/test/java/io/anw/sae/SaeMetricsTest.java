package io.anw.sae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.anw.tensor.TensorFiles;
import io.anw.tensor.TensorTree;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The metrics, accumulated over two batches, equal the figures recomputed here from the raw
 * activations and the NumPy reference's features and reconstructions.
 */
class SaeMetricsTest {
  @ParameterizedTest
  @ValueSource(strings = {"standard", "topk", "jumprelu"})
  void metricsEqualTheFiguresRecomputedFromRawActivations(String name) {
    Path dir = Path.of("src/test/resources/sae", name);
    TensorTree ref = TensorFiles.read(dir.resolve("expected.npz"));
    float[] x = ref.tensor("x").toFloatArray(); // [2, 5, 12]
    float[] f = ref.tensor("feature_acts").toFloatArray(); // [2, 5, 48]
    float[] xHat = ref.tensor("sae_out").toFloatArray(); // [2, 5, 12]
    int n = 10;
    int dIn = 12;
    int dSae = 48;
    double err = 0;
    double[] mean = new double[dIn];
    for (int i = 0; i < x.length; i++) {
      err += Math.pow(x[i] - xHat[i], 2);
      mean[i % dIn] += x[i] / (double) n;
    }
    double total = 0;
    for (int i = 0; i < x.length; i++) {
      total += Math.pow(x[i] - mean[i % dIn], 2);
    }
    int activeAll = 0;
    int[] perFeature = new int[dSae];
    for (int i = 0; i < f.length; i++) {
      if (f[i] > 0) {
        activeAll++;
        perFeature[i % dSae]++;
      }
    }
    int dead = 0;
    int dense = 0;
    for (int a : perFeature) {
      dead += a == 0 ? 1 : 0;
      dense += a > 0.10 * n ? 1 : 0;
    }
    try (SparseAutoencoder sae = SaeFiles.load(dir); NDManager m = NDManager.newBaseManager()) {
      NDArray all = ref.tensor("x").toNDArray(m);
      SaeMetrics metrics = new SaeMetrics(sae);
      metrics.add(all.get("0:1")); // two batches: [1, 5, 12] each
      metrics.add(all.get("1:2"));
      assertEquals(n, metrics.tokens());
      assertEquals(activeAll / (double) n, metrics.l0(), 1e-9);
      assertEquals(err / (n * dIn), metrics.mse(), 1e-5);
      assertEquals(1 - err / total, metrics.explainedVariance(), 1e-4);
      assertEquals(dead / (double) dSae, metrics.deadFraction(), 1e-12);
      assertEquals(dense / (double) dSae, metrics.denseFraction(), 1e-12);
      assertEquals(perFeature[7] / (double) n, metrics.density()[7], 1e-12);
      assertTrue(metrics.toString().startsWith("SaeMetrics[10 tokens: L0 "), metrics.toString());
    }
  }
}
