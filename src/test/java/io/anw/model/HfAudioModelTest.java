package io.anw.model;

import static io.anw.model.ReferenceArrays.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.anw.tensor.Tensor;
import io.anw.tensor.TensorFiles;
import io.anw.tensor.TensorTree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hugging Face folders as users have them (config.json + model.safetensors, the weights under a
 * task wrapper's prefix with its head, Whisper's decoder beside the encoder) load as their
 * encoders and give the references' last hidden states: HubertForCTC, Wav2Vec2Model (stable
 * layout), WhisperForConditionalGeneration and ASTForAudioClassification.
 */
class HfAudioModelTest {
  @TempDir Path dir;

  private Path folder(String name, String config, TensorTree fixture, String from, String prefix,
      Map<String, Tensor> extra) throws Exception {
    Path d = Files.createDirectories(dir.resolve(name));
    Files.writeString(d.resolve("config.json"), config);
    TensorTree.Builder b = TensorTree.builder(name, "safetensors");
    for (Map.Entry<String, Tensor> e : fixture.tensors().entrySet()) {
      if (e.getKey().startsWith(from)) {
        b.tensor(prefix + e.getKey().substring(from.length()), e.getValue());
      }
    }
    extra.forEach(b::tensor);
    TensorFiles.write(d.resolve("model.safetensors"), b.build());
    return d;
  }

  @Test
  void eachFamilyLoadsFromAFolderAndMatchesItsReference() throws Exception {
    Tensor head = Tensor.ofFloats(new float[6], 2, 3);
    TensorTree w2v = TensorFiles.read(Path.of("src/test/resources/model/wav2vec2_model.npz"));
    String conv = "\"conv_dim\": [32, 32, 32, 32, 32, 32, 32], \"conv_kernel\": [10, 3, 3, 3, 3,"
        + " 2, 2], \"conv_stride\": [5, 2, 2, 2, 2, 2, 2], \"hidden_size\": 48,"
        + " \"num_hidden_layers\": 2, \"num_attention_heads\": 4, \"intermediate_size\": 96,"
        + " \"num_conv_pos_embeddings\": 16, \"num_conv_pos_embedding_groups\": 4";
    Path hubert = folder("hubert-ctc", "{\"architectures\": [\"HubertForCTC\"], \"model_type\": "
        + "\"hubert\", \"feat_extract_norm\": \"group\", \"conv_bias\": false, "
        + "\"do_stable_layer_norm\": false, " + conv + "}", w2v, "base/w/", "hubert.",
        Map.of("lm_head.weight", head));
    Path large = folder("wav2vec2-stable", "{\"architectures\": [\"Wav2Vec2Model\"], "
        + "\"model_type\": \"wav2vec2\", \"feat_extract_norm\": \"layer\", \"conv_bias\": true, "
        + "\"do_stable_layer_norm\": true, " + conv + "}", w2v, "stable/w/", "", Map.of());
    TensorTree wh = TensorFiles.read(Path.of("src/test/resources/model/whisper_encoder.npz"));
    Path whisper = folder("whisper", "{\"architectures\": [\"WhisperForConditionalGeneration\"],"
        + " \"model_type\": \"whisper\", \"d_model\": 32, \"encoder_layers\": 2,"
        + " \"encoder_attention_heads\": 4, \"encoder_ffn_dim\": 128, \"num_mel_bins\": 80,"
        + " \"max_source_positions\": 50}", wh, "hf/", "model.",
        Map.of("model.decoder.embed_tokens.weight", head, "proj_out.weight", head));
    TensorTree as = TensorFiles.read(Path.of("src/test/resources/model/ast_encoder.npz"));
    Path ast = folder("ast", "{\"architectures\": [\"ASTForAudioClassification\"],"
        + " \"model_type\": \"audio-spectrogram-transformer\", \"hidden_size\": 32,"
        + " \"num_hidden_layers\": 2, \"num_attention_heads\": 4, \"intermediate_size\": 64,"
        + " \"patch_size\": 16, \"frequency_stride\": 10, \"time_stride\": 10, \"max_length\": 64,"
        + " \"num_mel_bins\": 32, \"layer_norm_eps\": 1e-12}", as, "w/",
        "audio_spectrogram_transformer.", Map.of("classifier.dense.weight", head));
    try (NDManager m = NDManager.newBaseManager()) {
      io.anw.audio.Clip speech = io.anw.audio.AudioFiles.read(
          Path.of("src/test/resources/audio/speech-16k.wav"));
      io.anw.audio.Clip tone = io.anw.audio.AudioFiles.read(
          Path.of("src/test/resources/audio/tone-16k.wav"));
      // from audio through each family's front end, as its feature extractor prepares it
      try (HfAudioModel model = HfAudioModel.load(hubert)) {
        io.anw.audio.Clip second = new io.anw.audio.Clip(
            java.util.Arrays.copyOf(speech.samples(), 16000), 16000);
        assertClose(w2v.tensors().get("base/output").toFloatArray(),
            model.encode(second, m).toFloatArray(), "hubert from audio");
        assertTrue(model.toString().startsWith("hubert model hubert-ctc: 2 blocks, width 48"),
            model.toString());
        float[][] rows = model.encode(second);
        assertEquals(49, rows.length);
        assertEquals(48, rows[0].length);
        assertEquals(model.encode(second, m).getFloat(3, 5), rows[3][5], 0f);
      }
      try (HfAudioModel model = HfAudioModel.load(ast)) {
        assertClose(as.tensors().get("output").toFloatArray(), model.encode(speech, m).toFloatArray(),
            "ast from audio");
      }
      try (HfAudioModel model = HfAudioModel.load(whisper)) {
        float[][] mel = new io.anw.audio.WhisperLogMel(80).compute(
            java.util.Arrays.copyOf(tone.samples(), 16000));
        NDArray direct = model.lastHiddenState(io.anw.TorchArrays.of(m, mel).expandDims(0));
        NDArray encoded = model.encode(tone, m);
        assertEquals(new ai.djl.ndarray.types.Shape(50, 32), encoded.getShape());
        assertClose(direct.toFloatArray(), encoded.toFloatArray(), "whisper from audio");
      }
      Files.writeString(large.resolve("preprocessor_config.json"), "{\"do_normalize\": true}");
      try (HfAudioModel model = HfAudioModel.load(large)) {
        float[] x = java.util.Arrays.copyOf(speech.samples(), 16000);
        double mean = 0;
        for (float v : x) {
          mean += v;
        }
        mean /= x.length;
        double sq = 0;
        for (float v : x) {
          sq += (v - mean) * (v - mean);
        }
        double sd = Math.sqrt(sq / x.length + 1e-7);
        float[] z = new float[x.length];
        for (int i = 0; i < z.length; i++) {
          z[i] = (float) ((x[i] - mean) / sd);
        }
        NDArray direct = model.lastHiddenState(io.anw.TorchArrays.of(m, z,
            new ai.djl.ndarray.types.Shape(1, z.length))).squeeze(0);
        assertClose(direct.toFloatArray(), model.encode(new io.anw.audio.Clip(x, 16000), m)
            .toFloatArray(), "wav2vec2 normalised waveform");
      }
      Files.delete(large.resolve("preprocessor_config.json"));
      check(hubert, w2v.tensors().get("input").toNDArray(m), w2v.tensors().get("base/output"));
      check(large, w2v.tensors().get("input").toNDArray(m), w2v.tensors().get("stable/output"));
      check(whisper, wh.tensors().get("input").toNDArray(m), wh.tensors().get("output"));
      check(ast, as.tensors().get("input").toNDArray(m), as.tensors().get("output"));
    }
  }

  private static void check(Path folder, NDArray input, Tensor expected) {
    try (HfAudioModel model = HfAudioModel.load(folder)) {
      assertClose(expected.toFloatArray(), model.lastHiddenState(input).toFloatArray(),
          folder.toString());
    }
  }
}
