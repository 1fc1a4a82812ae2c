package io.anw.intervention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.anw.WorkbenchException;
import io.anw.model.M2dViT;
import io.anw.model.ModelConfig;
import io.anw.model.ModelOutput;
import io.anw.neuron.Neuron;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Embeddings with ablated neurons: batched runs equal single runs; ablation goes through hooks. */
class ModelEmbedderTest {
  @Test
  void batchedEqualsOneByOneAndAblationChangesEmbeddings() {
    try (M2dViT model = M2dViT.random(ModelConfig.defaults().withName("t").withUnitFrames(32), 2,
            32, 48, 5, null);
        NDManager m = NDManager.newBaseManager()) {
      List<NDArray> inputs = new ArrayList<>();
      for (int i = 0; i < 11; i++) {
        inputs.add(m.randomNormal(new Shape(80, i < 9 ? 40 : 21)));
      }
      ModelEmbedder embedder = new ModelEmbedder(model, inputs);
      float[][] batched = embedder.embed(List.of());
      assertEquals(11, batched.length);
      for (int i = 0; i < inputs.size(); i++) {
        try (ModelOutput out = model.run(inputs.get(i))) {
          assertArrayEquals(out.sceneEmbedding().toFloatArray(), batched[i], 1e-5f, "clip " + i);
        }
      }
      float[][] ablated = embedder.embed(List.of(new Neuron(1, 3), new Neuron(0, 7)));
      assertFalse(java.util.Arrays.equals(batched[0], ablated[0]));
      double[] means = new double[2 * 48];
      float[][] meanAblated = new ModelEmbedder(model, inputs, means)
          .embed(List.of(new Neuron(1, 3), new Neuron(0, 7)));
      assertArrayEquals(ablated[0], meanAblated[0], 1e-6f, "mean 0 = zeroing");
      assertThrows(WorkbenchException.class, () -> embedder.embed(List.of(new Neuron(2, 0))));
    }
  }
}
