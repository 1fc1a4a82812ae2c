package io.anw.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anw.tensor.Tensor;
import io.anw.tensor.TensorFiles;
import io.anw.tensor.TensorTree;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code inspect DIR} on Hugging Face audio model folders (config.json as Transformers writes it
 * for HuBERT, wav2vec 2.0 large, Whisper tiny and AST): family, front end, sizes, neurons; and
 * the one-line errors of folders that are not such models. The verbs that run a model name the
 * folder's family and say they run M2D checkpoints.
 */
class InspectModelFolderTest {
  @TempDir Path dir;

  private Path folder(String name, String config) throws Exception {
    Path d = Files.createDirectories(dir.resolve(name));
    Files.writeString(d.resolve("config.json"), config);
    TensorFiles.write(d.resolve("model.safetensors"), TensorTree.builder("w", "safetensors")
        .tensor("encoder.layer_norm.weight", Tensor.ofFloats(new float[8], 8)).build());
    return d;
  }

  @Test
  void describesEachFamily() throws Exception {
    Path hubert = folder("hubert-base", """
        {"architectures": ["HubertModel"], "model_type": "hubert", "hidden_size": 768,
         "num_hidden_layers": 12, "num_attention_heads": 12, "intermediate_size": 3072,
         "hidden_act": "gelu", "layer_norm_eps": 1e-05, "do_stable_layer_norm": false,
         "feat_extract_norm": "group", "conv_bias": false,
         "conv_dim": [512, 512, 512, 512, 512, 512, 512], "conv_kernel": [10, 3, 3, 3, 3, 2, 2],
         "conv_stride": [5, 2, 2, 2, 2, 2, 2], "num_conv_pos_embeddings": 128,
         "num_conv_pos_embedding_groups": 16}""");
    CliRun r = CliRun.exec("inspect", hubert.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("Hugging Face hubert model folder"), r.out());
    assertTrue(r.out().contains("architecture: HubertModel (model_type hubert)"), r.out());
    String flat = r.out().replaceAll("\\s+", " ");
    assertTrue(flat.contains("7 convolutions (512 channels, group norm, bias false) -> frames"
        + " every 320 samples (20 ms), receptive field 400 samples (25 ms)"), r.out());
    assertTrue(r.out().lines().allMatch(l -> l.length() <= 120 + hubert.toString().length()),
        r.out());
    assertTrue(r.out().contains("12 blocks, width 768, 12 heads, FFN 3072 (gelu), post-norm, "
        + "layer-norm eps 1e-05"), r.out());
    assertTrue(r.out().contains("neurons: 12 x 3072 = 36,864"), r.out());
    assertTrue(r.out().contains("weights: model.safetensors, 1 tensors, 8 values (F32)"),
        r.out());

    Path large = folder("wav2vec2-large", """
        {"architectures": ["Wav2Vec2ForCTC"], "model_type": "wav2vec2", "hidden_size": 1024,
         "num_hidden_layers": 24, "num_attention_heads": 16, "intermediate_size": 4096,
         "do_stable_layer_norm": true, "feat_extract_norm": "layer", "conv_bias": true}""");
    r = CliRun.exec("inspect", large.toString());
    assertTrue(r.out().contains("24 blocks, width 1024, 16 heads, FFN 4096 (gelu), pre-norm"),
        r.out());
    assertTrue(r.out().replaceAll("\\s+", " ").contains("layer norm, bias true"), r.out());

    Path whisper = folder("whisper-tiny", """
        {"architectures": ["WhisperForConditionalGeneration"], "model_type": "whisper",
         "d_model": 384, "encoder_layers": 4, "encoder_attention_heads": 6,
         "encoder_ffn_dim": 1536, "num_mel_bins": 80, "max_source_positions": 1500,
         "activation_function": "gelu"}""");
    r = CliRun.exec("inspect", whisper.toString());
    assertTrue(r.out().replaceAll("\\s+", " ").contains(
        "Whisper log-mel (80 bins, 30 s = 3000 frames)"), r.out());
    assertTrue(r.out().contains("4 blocks, width 384, 6 heads, FFN 1536 (gelu), pre-norm"),
        r.out());
    assertTrue(r.out().contains("neurons: 4 x 1536 = 6,144"), r.out());

    Path ast = folder("ast", """
        {"architectures": ["ASTForAudioClassification"],
         "model_type": "audio-spectrogram-transformer", "hidden_size": 768,
         "num_hidden_layers": 12, "num_attention_heads": 12, "intermediate_size": 3072,
         "patch_size": 16, "frequency_stride": 10, "time_stride": 10, "max_length": 1024,
         "num_mel_bins": 128, "layer_norm_eps": 1e-12}""");
    r = CliRun.exec("inspect", ast.toString());
    assertTrue(r.out().replaceAll("\\s+", " ").contains(
        "12 x 101 = 1212 patches + CLS and distillation tokens"), r.out());

    String data = io.anw.audio.SampleGenerator.ensure(io.anw.audio.SampleGenerator.DEFAULT_OUT,
        "pitch_synth", s -> { }).toString();
    r = CliRun.exec("count", "--model", hubert.toString(), "--data", data, "--out",
        dir.resolve("c.npz").toString());
    // the folder's weights file holds one stray tensor: one line naming what is missing
    assertEquals(1, r.code());
    assertEquals("workbench: " + hubert.resolve("model.safetensors") + ": no "
        + "feature_extractor.conv_layers.0.conv.weight (under any of the prefixes hubert., "
        + "wav2vec2., model., audio_spectrogram_transformer., model_state_dict.)",
        r.err().strip());
  }

  @Test
  void anOpenAiWhisperCheckpointShowsItsEncoder() {
    CliRun r = CliRun.exec("inspect", "src/test/resources/model/whisper-dims.pt");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("an OpenAI Whisper checkpoint; its encoder:"), r.out());
    assertTrue(r.out().contains("4 blocks, width 384, 6 heads, FFN 1536 (gelu), pre-norm"),
        r.out());
    assertTrue(r.out().contains("model_state_dict.encoder.conv1.weight\tF32\t[4, 80, 3]"),
        r.out());
  }

  @Test
  void foldersThatAreNotAudioModelsAreOneLine() throws Exception {
    Path bert = folder("bert", "{\"model_type\": \"bert\"}");
    CliRun r = CliRun.exec("inspect", bert.toString());
    assertEquals(1, r.code());
    assertEquals("workbench: " + bert.resolve("config.json") + ": model_type 'bert' is not an "
        + "audio transformer the workbench reads (hubert, wav2vec2, whisper, "
        + "audio-spectrogram-transformer)", r.err().strip());

    Path empty = Files.createDirectories(dir.resolve("empty"));
    r = CliRun.exec("inspect", empty.toString());
    assertEquals("workbench: " + empty + ": no config.json (a Hugging Face model folder holds "
        + "config.json and model.safetensors or pytorch_model.bin)", r.err().strip());

    Path noWeights = Files.createDirectories(dir.resolve("no-weights"));
    Files.writeString(noWeights.resolve("config.json"), "{\"model_type\": \"hubert\"}");
    r = CliRun.exec("inspect", noWeights.toString());
    assertEquals("workbench: " + noWeights + ": no weights file (model.safetensors or "
        + "pytorch_model.bin)", r.err().strip());

    Path badKey = folder("bad", "{\"model_type\": \"whisper\", \"d_model\": \"wide\"}");
    r = CliRun.exec("inspect", badKey.toString());
    assertEquals("workbench: " + badKey.resolve("config.json") + ": d_model = \"wide\" is not a "
        + "whole number", r.err().strip());
  }
}
