package io.anw.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Embeddings derived from a run: scene, CLS, timestamps. */
class ModelOutputTest {

  @Test
  void sceneClsAndTimestampEmbeddings() {
    try (NDManager m = NDManager.newBaseManager();
        M2dViT model = M2dViT.random(ModelConfig.defaults().withUnitFrames(32).withHeads(2), 1,
            64, 128, 5, m)) {
      // 1.0 s at 16 kHz: T = 1 + 16000 // 160 = 101 frames -> chunks of 32, 32, 32, 5 (+11)
      NDArray lms = m.randomNormal(0, 1, new Shape(3, 80, 101), DataType.FLOAT32);
      try (ModelOutput out = model.run(lms)) {
        assertEquals(new Shape(3, 7, 5 * 64), out.features().getShape());
        assertEquals(new Shape(3, 5 * 64), out.sceneEmbedding().getShape());
        assertEquals(new Shape(3, 4, 64), out.cls().getShape());
        assertEquals(new Shape(3, 64), out.clsEmbedding().getShape());
        float[] ts = out.timestampsMs(1.0);
        assertEquals(7, ts.length);
        assertArrayEquals(new float[] {0f, 1000f / 7, 2000f / 7}, Arrays.copyOf(ts, 3),
            1e-3f);
        NDArray manualMean = out.features().sum(new int[] {1}).div(7);
        assertEquals(0.0, Fixtures.maxAbsDiff(manualMean, out.sceneEmbedding()), 1e-6);
      }
    }
  }
}
