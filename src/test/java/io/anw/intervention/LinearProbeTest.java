package io.anw.intervention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anw.WorkbenchException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The linear probe on synthetic embeddings. */
class LinearProbeTest {
  static final List<String> CLASSES = List.of("low", "mid", "high");

  /** Gaussian blobs around class centres in 16 dimensions, plus a constant column. */
  static float[][] blobs(int perClass, double spread, long seed, int[] labelsOut) {
    Random r = new Random(seed);
    float[][] x = new float[perClass * 3][17];
    for (int i = 0; i < x.length; i++) {
      int c = i % 3;
      labelsOut[i] = c;
      for (int d = 0; d < 16; d++) {
        double centre = (d % 3 == c) ? 3.0 : 0.0;
        x[i][d] = (float) (centre + spread * r.nextGaussian());
      }
      x[i][16] = 5f; // zero variance: must not break standardisation
    }
    return x;
  }

  @Test
  void separableClassesAreLearned() {
    int[] y = new int[300];
    float[][] x = blobs(100, 0.5, 1, y);
    LinearProbe probe = LinearProbe.train(x, y, CLASSES, ProbeOptions.defaults());
    int[] yTest = new int[150];
    float[][] xTest = blobs(50, 0.5, 2, yTest);
    ProbeEvaluation ev = probe.evaluate(xTest, yTest);
    assertTrue(ev.accuracy() > 0.97, ev.toString());
    assertTrue(ev.macroF1() > 0.97, ev.toString());
    assertEquals(3, ev.perClass().rowCount());
    assertEquals(150, ev.total());
  }

  @Test
  void sameSeedSameProbe() {
    int[] y = new int[90];
    float[][] x = blobs(30, 2.0, 3, y);
    ProbeOptions opt = ProbeOptions.defaults().withMaxEpochs(30);
    LinearProbe a = LinearProbe.train(x, y, CLASSES, opt);
    LinearProbe b = LinearProbe.train(x, y, CLASSES, opt);
    for (int i = 0; i < x.length; i++) {
      assertArrayEquals(a.logits(x)[i], b.logits(x)[i], 0f);
    }
    assertEquals(a.epochs(), b.epochs());
  }

  @Test
  void metricsFromAConfusionMatrix() {
    ProbeEvaluation ev = ProbeEvaluation.of(List.of("a", "b"), new int[] {0, 0, 0, 1},
        new int[] {0, 0, 1, 1});
    assertEquals(0.75, ev.accuracy(), 1e-15);
    assertEquals(2.0 / 3.0, ev.classAccuracy(0), 1e-15);
    // F1(a) = 2*2/(4+0+1) = 0.8; F1(b) = 2/(2+1+0) = 2/3
    assertEquals((0.8 + 2.0 / 3.0) / 2, ev.macroF1(), 1e-12);
  }

  @Test
  void badLabelsAreOneLineErrors() {
    float[][] x = {{1f}, {2f}};
    WorkbenchException e = assertThrows(WorkbenchException.class,
        () -> LinearProbe.train(x, new int[] {0, 5}, CLASSES, ProbeOptions.defaults()));
    assertTrue(e.getMessage().contains("label 5 of example 1"), e.getMessage());
  }
}
