package io.anw.model;

import static io.anw.model.ReferenceArrays.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.anw.GradMode;
import io.anw.WorkbenchException;
import io.anw.tensor.TensorFiles;
import io.anw.tensor.TensorTree;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Whisper's encoder against an independent PyTorch reference of the published architecture
 * (random weights; {@code make_whisper_encoder_fixtures.py}) on the Whisper log-mel of a real
 * WAV, in the Hugging Face and the OpenAI key layouts: the convolutional features, block 0's
 * neurons and the output.
 */
class WhisperEncoderTest {
  @Test
  void matchesTheReferenceInBothLayouts() {
    GradMode.disableOnCurrentThread();
    TensorTree tree = TensorFiles.read(Path.of("src/test/resources/model/whisper_encoder.npz"));
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray mel = tree.tensors().get("input").toNDArray(m);
      for (String layout : new String[] {"hf", "openai"}) {
        Map<String, NDArray> p = ReferenceArrays.params(tree, layout + "/", m);
        WhisperEncoder enc = WhisperEncoder.of(p, 4);
        assertEquals(2, enc.depth());
        assertEquals(50, enc.contextFrames());
        String post = HookNames.block(0, HookNames.MLP_POST);
        HookRun run = ReferenceArrays.caching(m, post, HookNames.CONV_FEATURES);
        NDArray y = enc.forward(mel, run);
        assertClose(tree.tensors().get("output").toFloatArray(), y.toFloatArray(), layout + " output");
        assertClose(tree.tensors().get("conv").toFloatArray(),
            run.cached().get(HookNames.CONV_FEATURES).get(0).toFloatArray(), layout + " conv");
        assertClose(tree.tensors().get("mlp_post_0").toFloatArray(),
            run.cached().get(post).get(0).toFloatArray(), layout + " mlp.hook_post");
      }
      WorkbenchException e = assertThrows(WorkbenchException.class,
          () -> WhisperEncoder.of(Map.of(), 4));
      assertTrue(e.getMessage().startsWith("not a Whisper encoder"), e.getMessage());
    }
  }
}
