package io.anw.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.anw.GradMode;
import io.anw.WorkbenchException;
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
      Map<String, NDArray> old = ReferenceArrays.params(tree, "w/", m);
      Map<String, NDArray> parametrized = new HashMap<>();
      old.forEach((key, a) -> parametrized.put(key.replace("conv.weight_g",
          "conv.parametrizations.weight.original0").replace("conv.weight_v",
          "conv.parametrizations.weight.original1"), a));
      NDArray x = tree.tensors().get("input").toNDArray(m);
      float[] expected = tree.tensors().get("output").toFloatArray();
      for (Map<String, NDArray> params : java.util.List.of(old, parametrized)) {
        NDArray y = ConvPositions.of(params, "encoder.pos_conv_embed.", 4).apply(x);
        assertArrayEquals(x.getShape().getShape(), y.getShape().getShape());
        ReferenceArrays.assertClose(expected, y.toFloatArray(), "position embedding");
      }
      WorkbenchException e = assertThrows(WorkbenchException.class,
          () -> ConvPositions.of(old, "encoder.pos_conv_embed.", 5));
      assertEquals("encoder.pos_conv_embed.conv.weight_v (48, 12, 16) does not fit 5 groups",
          e.getMessage());
    }
  }
}
