package io.anw.model;

import static io.anw.model.ReferenceArrays.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.anw.GradMode;
import io.anw.tensor.TensorFiles;
import io.anw.tensor.TensorTree;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The whole wav2vec 2.0 / HuBERT encoder from a real waveform against torchaudio's
 * {@code wav2vec2_model} (random weights in the Hugging Face key layout;
 * {@code make_wav2vec2_model_fixtures.py}), base (group norm, post-norm) and stable (layer norm,
 * conv bias, pre-norm): block 0's neurons and the last hidden state.
 */
class Wav2vec2EncoderTest {
  @Test
  void matchesTorchaudiosWholeModel() {
    GradMode.disableOnCurrentThread();
    TensorTree tree = TensorFiles.read(Path.of("src/test/resources/model/wav2vec2_model.npz"));
    int[] strides = {5, 2, 2, 2, 2, 2, 2};
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray wave = tree.tensors().get("input").toNDArray(m);
      for (String mode : new String[] {"base", "stable"}) {
        Map<String, NDArray> p = ReferenceArrays.params(tree, mode + "/w/", m);
        boolean stable = mode.equals("stable");
        Wav2vec2Encoder enc = Wav2vec2Encoder.of(p, 4, strides, stable ? "layer" : "group",
            stable, 1e-5f, 4);
        assertEquals(2, enc.depth());
        assertEquals(49, enc.frames(16000));
        String post = HookNames.block(0, HookNames.MLP_POST);
        HookRun run = ReferenceArrays.caching(m, post);
        NDArray y = enc.forward(wave, run);
        assertClose(tree.tensors().get(mode + "/output").toFloatArray(), y.toFloatArray(),
            mode + " output");
        assertClose(tree.tensors().get(mode + "/mlp_post_0").toFloatArray(),
            run.cached().get(post).get(0).toFloatArray(), mode + " mlp.hook_post");
      }
    }
  }
}
