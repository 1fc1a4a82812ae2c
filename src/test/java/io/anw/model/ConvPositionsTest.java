package io.anw.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.anw.GradMode;
import io.anw.WorkbenchException;
import io.anw.tensor.Tensor;
import io.anw.tensor.TensorFiles;
import io.anw.tensor.TensorTree;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * wav2vec 2.0's convolutional position embedding against torchaudio's (weight norm over the
 * kernel axis, an even kernel, 4 groups; {@code make_wav2vec2_fixtures.py}), under both
 * Hugging Face parameter names.
 */
class ConvPositionsTest {
  @Test
  void matchesTorchaudioUnderBothParameterNames() {
    GradMode.disableOnCurrentThread();
    TensorTree tree = TensorFiles.read(Path.of("src/test/resources/model/wav2vec2_posconv.npz"));
    try (NDManager m = NDManager.newBaseManager()) {
      Map<String, NDArray> old = new HashMap<>();
      Map<String, NDArray> parametrized = new HashMap<>();
      for (Map.Entry<String, Tensor> e : tree.tensors().entrySet()) {
        if (e.getKey().startsWith("w/")) {
          String key = e.getKey().substring(2);
          NDArray a = e.getValue().toNDArray(m);
          old.put(key, a);
          parametrized.put(key.replace("conv.weight_g", "conv.parametrizations.weight.original0")
              .replace("conv.weight_v", "conv.parametrizations.weight.original1"), a);
        }
      }
      NDArray x = tree.tensors().get("input").toNDArray(m);
      float[] expected = tree.tensors().get("output").toFloatArray();
      for (Map<String, NDArray> params : java.util.List.of(old, parametrized)) {
        NDArray y = ConvPositions.of(params, "encoder.pos_conv_embed.", 4).apply(x);
        assertArrayEquals(x.getShape().getShape(), y.getShape().getShape());
        float[] got = y.toFloatArray();
        double scale = 0;
        double diff = 0;
        for (int i = 0; i < got.length; i++) {
          scale = Math.max(scale, Math.abs(expected[i]));
          diff = Math.max(diff, Math.abs(expected[i] - got[i]));
        }
        assertTrue(diff <= 1e-4 * scale, "max |diff| " + diff + " of " + scale);
      }
      WorkbenchException e = assertThrows(WorkbenchException.class,
          () -> ConvPositions.of(old, "encoder.pos_conv_embed.", 5));
      assertEquals("encoder.pos_conv_embed.conv.weight_v (48, 12, 16) does not fit 5 groups",
          e.getMessage());
    }
  }
}
