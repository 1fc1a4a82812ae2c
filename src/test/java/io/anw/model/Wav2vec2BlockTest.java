package io.anw.model;

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
 * The one block code in the wav2vec 2.0 / HuBERT layouts (split q/k/v, post-norm and pre-norm)
 * against torchaudio's {@code EncoderLayer} ({@code make_wav2vec2_fixtures.py}): the block's
 * output and its neurons ({@code blocks.0.mlp.hook_post}, the GELU of the FFN's intermediate).
 */
class Wav2vec2BlockTest {
  @Test
  void postAndPreNormBlocksMatchTorchaudio() {
    GradMode.disableOnCurrentThread();
    TensorTree tree = TensorFiles.read(Path.of("src/test/resources/model/wav2vec2_blocks.npz"));
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = tree.tensors().get("input").toNDArray(m);
      for (String mode : new String[] {"post", "pre"}) {
        Map<String, NDArray> p = new HashMap<>();
        String prefix = mode + "/w/";
        for (Map.Entry<String, Tensor> e : tree.tensors().entrySet()) {
          if (e.getKey().startsWith(prefix)) {
            p.put(e.getKey().substring(prefix.length()), e.getValue().toNDArray(m));
          }
        }
        VitBlock block = VitBlock.wav2vec2(0, 4, mode.equals("pre"), p, "encoder.layers.0.",
            1e-5f);
        HookRun run = new HookRun(Map.of(), Set.of(HookNames.block(0, "mlp.hook_post")),
            List.of(), m);
        run.group(List.of(new ChunkPlan.Chunk(0, 0, 1, 0, 1)), 1, 1);
        run.scope(m);
        NDArray y = block.forward(x, run);
        close(tree.tensors().get(mode + "/output").toFloatArray(), y.toFloatArray(),
            mode + " output");
        NDArray expectedPost = tree.tensors().get(mode + "/mlp_pre").toNDArray(m)
            .getNDArrayInternal().gelu();
        close(expectedPost.toFloatArray(),
            run.cached().get(HookNames.block(0, "mlp.hook_post")).get(0).toFloatArray(),
            mode + " mlp.hook_post");
      }
    }
  }

  private static void close(float[] expected, float[] actual, String what) {
    assertTrue(expected.length == actual.length, what);
    double scale = 0;
    double diff = 0;
    for (int i = 0; i < expected.length; i++) {
      scale = Math.max(scale, Math.abs(expected[i]));
      diff = Math.max(diff, Math.abs(expected[i] - actual[i]));
    }
    assertTrue(diff <= 1e-4 * scale, what + ": max |diff| " + diff + " of " + scale);
  }
}
