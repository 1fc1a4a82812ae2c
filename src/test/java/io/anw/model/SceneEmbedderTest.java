package io.anw.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.anw.WorkbenchException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Batched scene embeddings agree with one-clip runs and leave no arrays behind. */
class SceneEmbedderTest {

  @Test
  void batchesOfEqualLengthClipsMatchSingleRunsInInputOrder() {
    try (NDManager m = NDManager.newBaseManager();
        M2dViT model = M2dViT.random(ModelConfig.defaults().withUnitFrames(32).withHeads(2), 2,
            64, 128, 11, m)) {
      List<NDArray> clips = new ArrayList<>();
      for (int frames : new int[] {40, 70, 40, 40, 70}) {
        clips.add(m.randomNormal(0, 1, new Shape(80, frames), DataType.FLOAT32));
      }
      int before = ((BaseNDManager) m).getManagedArrays().size();
      float[][] scene = SceneEmbedder.sceneEmbeddings(model, clips, 2);
      assertEquals(before, ((BaseNDManager) m).getManagedArrays().size());
      assertEquals(5, scene.length);
      for (int i = 0; i < clips.size(); i++) {
        try (ModelOutput one = model.run(clips.get(i))) {
          assertArrayEquals(one.sceneEmbedding().toFloatArray(), scene[i], 1e-5f, "clip " + i);
        }
      }
      assertThrows(WorkbenchException.class,
          () -> SceneEmbedder.sceneEmbeddings(model, clips, 0));
      assertThrows(WorkbenchException.class, () -> SceneEmbedder.sceneEmbeddings(model,
          List.of(m.zeros(new Shape(1, 80, 40))), 2));
    }
  }
}
