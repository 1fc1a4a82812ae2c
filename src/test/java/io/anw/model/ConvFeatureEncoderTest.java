package io.anw.model;

import static io.anw.model.ReferenceArrays.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.anw.GradMode;
import io.anw.WorkbenchException;
import io.anw.tensor.Tensor;
import io.anw.tensor.TensorFiles;
import io.anw.tensor.TensorTree;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The wav2vec 2.0 / HuBERT convolutional feature encoder and feature projection against
 * torchaudio's (random weights in the Hugging Face key layout, a real speech WAV;
 * {@code src/test/python/make_wav2vec2_fixtures.py}), in the group-norm (base) and layer-norm
 * (large, conv bias) layouts.
 */
class ConvFeatureEncoderTest {
  static final Path FIXTURE = Path.of("src/test/resources/model/wav2vec2_features.npz");
  static final int[] STRIDES = {5, 2, 2, 2, 2, 2, 2};

  @Test
  void matchesTorchaudioInBothLayouts() {
    GradMode.disableOnCurrentThread();
    TensorTree tree = TensorFiles.read(FIXTURE);
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray wave = tree.tensors().get("input").toNDArray(m);
      for (String mode : new String[] {"group", "layer"}) {
        Map<String, NDArray> params = ReferenceArrays.params(tree, mode + "/w/", m);
        ConvFeatureEncoder enc = ConvFeatureEncoder.of(params, STRIDES, mode, 1e-5);
        NDArray features = enc.features(wave);
        Tensor expected = tree.tensors().get(mode + "/features");
        assertArrayEquals(expected.shape(), features.getShape().getShape());
        assertEquals(124, enc.frames(wave.getShape().get(1)));
        assertClose(expected.toFloatArray(), features.toFloatArray(), mode + " features");
        NDArray projected = enc.project(features);
        assertClose(tree.tensors().get(mode + "/projected").toFloatArray(),
            projected.toFloatArray(), mode + " projected");
      }
    }
  }

  @Test
  void aMissingParameterIsNamed() {
    try (NDManager m = NDManager.newBaseManager()) {
      WorkbenchException e = assertThrows(WorkbenchException.class,
          () -> ConvFeatureEncoder.of(Map.of(), STRIDES, "group", 1e-5));
      assertEquals("no parameter feature_extractor.conv_layers.0.conv.weight", e.getMessage());
      e = assertThrows(WorkbenchException.class,
          () -> ConvFeatureEncoder.of(Map.of(), STRIDES, "batch", 1e-5));
      assertEquals("feat_extract_norm 'batch': group or layer", e.getMessage());
    }
  }
}
