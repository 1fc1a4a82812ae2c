package io.anw.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.anw.audio.Clip;
import io.anw.model.ActivationCache;
import io.anw.model.M2dViT;
import io.anw.model.ModelOutput;
import io.anw.repl.WB;
import io.anw.tensor.TensorFiles;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end against PyTorch (src/test/python/make_embed_fixtures.py): a checkpoint written by
 * torch.save in M2D's layout, a WAV, the M2D front end and the ViT give the same scene
 * embedding as the Python reference; and the REPL walk-through works on it.
 */
class EmbedParityTest {
  static final Path DIR = Path.of("src/test/resources/embed");
  static final Path CKPT = DIR.resolve("m2d_vit_tiny-80x32p16x16-test/checkpoint-1.pth");
  static final Path WAV = Path.of("src/test/resources/audio/tone-16k.wav");

  @TempDir Path tmp;

  static float[] f32(Path file) throws Exception {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    float[] out = new float[b.remaining() / 4];
    b.asFloatBuffer().get(out);
    return out;
  }

  static void assertClose(float[] expected, float[] actual, double relative) {
    assertEquals(expected.length, actual.length);
    double scale = 0;
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      scale = Math.max(scale, Math.abs(expected[i]));
      worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
    }
    assertTrue(worst <= relative * scale, "max |diff| " + worst + " > " + relative + " * " + scale);
  }

  @Test
  void embedVerbMatchesPyTorch() throws Exception {
    Path out = tmp.resolve("emb.npy");
    assertEquals(0, Main.execute("embed", "--model", CKPT.toString(), WAV.toString(),
        "--out", out.toString()));
    var t = TensorFiles.read(out).tensors().values().iterator().next();
    assertEquals("[1, 640]", Arrays.toString(t.shape()));
    assertClose(f32(DIR.resolve("tone-16k.scene.f32")), t.toFloatArray(), 1e-4);
  }

  @Test
  void loadRunReadHookZeroThreeNeuronsSeeTheEmbeddingChange() throws Exception {
    try (M2dViT model = (M2dViT) WB.model(CKPT.toString()); NDManager m = NDManager.newBaseManager()) {
      assertEquals(2, model.layers());
      Clip clip = WB.audio(WAV.toString());
      NDArray x = model.normalize(m.create(WB.logmel(clip)));
      try (ActivationCache cache = model.runWithCache(x, "blocks.1.mlp.hook_post")) {
        // 101 frames -> 4 chunks of 32 frames (the last padded from 5 to 16): 5 x 2 patches + CLS
        // per full chunk, 5 x 1 + CLS for the last one.
        assertEquals("(1, 39, 256)", cache.get("blocks.1.mlp.hook_post").getShape().toString());
        assertClose(f32(DIR.resolve("tone-16k.cls.f32")),
            cache.output().cls().toFloatArray(), 1e-4);
      }
      float[] before = WB.sceneEmbedding(model, x);
      float[] after;
      try (ModelOutput out = model.runWithHooks(x, WB.zeroNeurons(1, 3, 40, 77))) {
        after = out.sceneEmbedding().toFloatArray();
      }
      assertFalse(Arrays.equals(before, after), "zeroing three neurons changes the embedding");
      assertClose(f32(DIR.resolve("tone-16k.scene.f32")), before, 1e-4);
    }
  }
}
