package io.anw.model;

import static io.anw.model.ReferenceArrays.assertClose;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.anw.GradMode;
import io.anw.tensor.TensorFiles;
import io.anw.tensor.TensorTree;
import java.nio.file.Path;
import java.util.Map;
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
        Map<String, NDArray> p = ReferenceArrays.params(tree, mode + "/w/", m);
        VitBlock block = VitBlock.wav2vec2(0, 4, mode.equals("pre"), p, "encoder.layers.0.",
            1e-5f);
        HookRun run = ReferenceArrays.caching(m, HookNames.block(0, "mlp.hook_post"));
        NDArray y = block.forward(x, run);
        assertClose(tree.tensors().get(mode + "/output").toFloatArray(), y.toFloatArray(),
            mode + " output");
        NDArray expectedPost = tree.tensors().get(mode + "/mlp_pre").toNDArray(m)
            .getNDArrayInternal().gelu();
        assertClose(expectedPost.toFloatArray(),
            run.cached().get(HookNames.block(0, "mlp.hook_post")).get(0).toFloatArray(),
            mode + " mlp.hook_post");
      }
    }
  }
}
