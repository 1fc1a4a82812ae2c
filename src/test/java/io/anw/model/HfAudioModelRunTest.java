package io.anw.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.anw.TorchArrays;
import io.anw.WorkbenchException;
import io.anw.audio.Clip;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The Hugging Face families behind {@link AudioModel}: a hooked run (as the verbs make it) gives
 * the encoder's own last hidden state at the tokens that cover audio, chunks long inputs, lays
 * out its token groups and names its hook points as M2D does.
 */
class HfAudioModelRunTest {
  private static final Path SAMPLES = Path.of("samples/models");

  private static Clip tone(double seconds) {
    float[] x = new float[(int) (seconds * 16000)];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (0.3 * Math.sin(2 * Math.PI * 330 * i / 16000.0));
    }
    return new Clip(x, 16000);
  }

  private static float[] rows(float[][] x, int from, int to) {
    int w = x[0].length;
    float[] out = new float[(to - from) * w];
    for (int t = from; t < to; t++) {
      System.arraycopy(x[t], 0, out, (t - from) * w, w);
    }
    return out;
  }

  private static void assertClose(float[] want, float[] got) {
    ReferenceArrays.assertClose(want, got, "run vs encode");
  }

  @Test
  void aHookedRunGivesTheEncodersHiddenStateAtTheAudioTokens() {
    Clip clip = tone(1.0);
    try (AudioModel any = ModelFiles.load(SAMPLES.resolve("whisper-tiny"));
        NDManager m = NDManager.newBaseManager()) {
      HfAudioModel whisper = (HfAudioModel) any;
      float[][] full = whisper.encode(clip); // 1500 tokens, padding included
      assertEquals(1500, full.length);
      NDArray in = TorchArrays.of(m, whisper.input(clip));
      try (ActivationCache c = whisper.run(in, Hooks.none(), "blocks.*.mlp.hook_post")) {
        NDArray f = c.output().features();
        assertEquals(new Shape(1, 50, 64), f.getShape()); // ceil(100 frames / 2)
        assertClose(rows(full, 0, 50), f.toFloatArray());
        assertEquals(new Shape(1, 1500, 256), c.get("blocks.1.mlp.hook_post").getShape());
      }
      assertEquals(TokenGroup.AUDIO, whisper.defaultTokens());
      assertEquals("whisper-log-mel-80", whisper.frontEndProvenance().get("preset"));
      assertTrue(whisper.hookNames().get(0).equals(HookNames.CONV_FEATURES));
    }
  }

  @Test
  void astReadsItsPatchGridAndPoolsClsAndDistillation() {
    Clip clip = tone(0.5);
    try (HfAudioModel ast = (HfAudioModel) ModelFiles.load(SAMPLES.resolve("ast-tiny"));
        NDManager m = NDManager.newBaseManager()) {
      float[][] full = ast.encode(clip);
      assertEquals(1214, full.length);
      try (ActivationCache c = ast.run(TorchArrays.of(m, ast.input(clip)), Hooks.none())) {
        // 8000 samples: 48 frames, time patches 0..4 of each of the 12 frequency rows
        assertEquals(new Shape(1, 60, 64), c.output().features().getShape());
        float[] pooled = c.output().cls().toFloatArray();
        float[] want = new float[64];
        for (int d = 0; d < 64; d++) {
          want[d] = (full[0][d] + full[1][d]) / 2;
        }
        assertClose(want, pooled);
        assertClose(rows(full, 2 + 101, 2 + 101 + 5), c.output().features().get(":, 5:10, :")
            .toFloatArray()); // frequency row 1
      }
      ChunkPlan.Chunk chunk = ast.plan(8000).chunks().get(0);
      assertArrayEquals(new int[] {0, 1}, ast.tokenRange(TokenGroup.CLS, chunk, 1214));
      assertArrayEquals(new int[] {1, 2}, ast.tokenRange(TokenGroup.DIST, chunk, 1214));
      assertEquals(60, ast.tokenPositions(TokenGroup.AUDIO, chunk, 1214).length);
      assertEquals("f1.t3", ast.tokenLabel(2 + 101 + 3, chunk));
      assertFalse(ast.hookNames().contains(HookNames.CONV_FEATURES));
      WorkbenchException e = assertThrows(WorkbenchException.class,
          () -> ast.tokenRange(TokenGroup.TEXT, chunk, 1214));
      assertTrue(e.getMessage().contains("all, audio, cls, dist"), e.getMessage());
    }
  }

  @Test
  void hubertUsesEveryFrameAndLongInputsRunInChunks() {
    try (HfAudioModel hubert = (HfAudioModel) ModelFiles.load(SAMPLES.resolve("hubert-tiny"));
        NDManager m = NDManager.newBaseManager()) {
      Clip clip = tone(1.0);
      float[][] full = hubert.encode(clip);
      try (ActivationCache c = hubert.run(TorchArrays.of(m, hubert.input(clip)), Hooks.none())) {
        assertClose(rows(full, 0, full.length), c.output().features().toFloatArray());
      }
      assertEquals(TokenGroup.ALL, hubert.defaultTokens());
      // 35 s: a 30 s chunk and a 5 s one, joined in time (1499 + 249 frames)
      Clip longClip = tone(35);
      try (ActivationCache c = hubert.run(TorchArrays.of(m, hubert.input(longClip)),
          Hooks.none())) {
        assertEquals(2, c.chunks());
        assertEquals(1499 + 249, c.output().features().getShape().get(1));
      }
      WorkbenchException e = assertThrows(WorkbenchException.class,
          () -> hubert.input(new Clip(new float[100], 16000)));
      assertTrue(e.getMessage().contains("needs at least 400"), e.getMessage());
    }
  }

  @Test
  void anOpenAiWhisperCheckpointRunsAsTheSameEncoder(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    io.anw.tensor.TensorTree hf = io.anw.tensor.TensorFiles.read(
        SAMPLES.resolve("whisper-tiny/model.safetensors"));
    java.util.Map<String, Object> state = new java.util.LinkedHashMap<>();
    for (var e : hf.tensors().entrySet()) {
      String k = e.getKey().substring("model.".length())
          .replace("encoder.layers.", "encoder.blocks.").replace("self_attn.q_proj", "attn.query")
          .replace("self_attn.k_proj", "attn.key").replace("self_attn.v_proj", "attn.value")
          .replace("self_attn.out_proj", "attn.out").replace("self_attn_layer_norm", "attn_ln")
          .replace(".fc1.", ".mlp.0.").replace(".fc2.", ".mlp.2.")
          .replace("final_layer_norm", "mlp_ln").replace("encoder.layer_norm", "encoder.ln_post")
          .replace("encoder.embed_positions.weight", "encoder.positional_embedding");
      state.put(k, e.getValue());
    }
    java.util.Map<String, Object> dims = new java.util.LinkedHashMap<>();
    dims.put("n_mels", 80);
    dims.put("n_audio_ctx", 1500);
    dims.put("n_audio_state", 64);
    dims.put("n_audio_head", 4);
    dims.put("n_audio_layer", 2);
    Path pt = dir.resolve("tiny.pt");
    io.anw.tensor.TorchWriter.write(pt, java.util.Map.of("dims", dims, "model_state_dict",
        state));
    Clip clip = tone(0.4);
    try (AudioModel openai = ModelFiles.load(pt);
        HfAudioModel folder = (HfAudioModel) ModelFiles.load(SAMPLES.resolve("whisper-tiny"))) {
      HfAudioModel o = (HfAudioModel) openai;
      assertEquals(o.weightsSha256().length(), 64);
      float[][] a = o.encode(clip);
      float[][] b = folder.encode(clip);
      assertClose(rows(b, 0, b.length), rows(a, 0, a.length));
      assertEquals(folder.hookNames(), o.hookNames());
    }
  }
}
