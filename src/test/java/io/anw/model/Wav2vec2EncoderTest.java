package io.anw.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.anw.GradMode;
import io.anw.tensor.Tensor;
import io.anw.tensor.TensorFiles;
import io.anw.tensor.TensorTree;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
        Map<String, NDArray> p = new HashMap<>();
        String prefix = mode + "/w/";
        for (Map.Entry<String, Tensor> e : tree.tensors().entrySet()) {
          if (e.getKey().startsWith(prefix)) {
            p.put(e.getKey().substring(prefix.length()), e.getValue().toNDArray(m));
          }
        }
        boolean stable = mode.equals("stable");
        Wav2vec2Encoder enc = Wav2vec2Encoder.of(p, 4, strides, stable ? "layer" : "group",
            stable, 1e-5f, 4);
        assertEquals(2, enc.depth());
        assertEquals(49, enc.frames(16000));
        String post = HookNames.block(0, HookNames.MLP_POST);
        HookRun run = new HookRun(Map.of(), Set.of(post), List.of(), m);
        run.group(List.of(new ChunkPlan.Chunk(0, 0, 1, 0, 1)), 1, 1);
        run.scope(m);
        NDArray y = enc.forward(wave, run);
        close(tree.tensors().get(mode + "/output").toFloatArray(), y.toFloatArray(),
            mode + " output");
        close(tree.tensors().get(mode + "/mlp_post_0").toFloatArray(),
            run.cached().get(post).get(0).toFloatArray(), mode + " mlp.hook_post");
      }
    }
  }

  private static void close(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what);
    double scale = 0;
    double diff = 0;
    for (int i = 0; i < expected.length; i++) {
      scale = Math.max(scale, Math.abs(expected[i]));
      diff = Math.max(diff, Math.abs(expected[i] - actual[i]));
    }
    assertTrue(diff <= 1e-4 * scale, what + ": max |diff| " + diff + " of " + scale);
  }
}
