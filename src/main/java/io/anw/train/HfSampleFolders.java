package io.anw.train;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.anw.WorkbenchException;
import io.anw.model.HfAudioConfig.Family;
import io.anw.tensor.Tensor;
import io.anw.tensor.TensorFiles;
import io.anw.tensor.TensorTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * Random-init Hugging Face folders of the other audio transformers, written as Transformers
 * writes them ({@code config.json}, {@code preprocessor_config.json}, {@code model.safetensors}
 * with the task wrapper's key prefix): the shipped sample models {@code hubert-tiny},
 * {@code wav2vec2-tiny} (the "stable layer norm" layout), {@code whisper-tiny} and
 * {@code ast-tiny} under {@code samples/models/}, and base-size folders for throughput
 * measurements. Weights are drawn from a seeded normal: linear and convolution weights with
 * standard deviation {@code 1 / sqrt(fan_in)}, biases, tokens and learnt positions 0.02, norms
 * weight 1 and bias 0; Whisper's positions are its sinusoids.
 */
public final class HfSampleFolders {
  private HfSampleFolders() {}

  /**
   * Sizes of a folder.
   *
   * @param width hidden size
   * @param depth transformer blocks
   * @param heads attention heads
   * @param mlp FFN width (the neurons per block)
   * @param convDim channels of the wav2vec 2.0 / HuBERT feature encoder
   * @param positions Whisper's {@code max_source_positions} (half its input frames) or AST's
   *     {@code max_length} input frames
   */
  public record Size(int width, int depth, int heads, int mlp, int convDim, int positions) {}

  /** The sample size: width 64, 2 blocks of 4 heads, 256 neurons each; native input lengths. */
  public static Size tiny(Family f) {
    return new Size(64, 2, 4, 256, 32, f == Family.AST ? 1024 : 1500);
  }

  /** The base size of each family (HuBERT / wav2vec 2.0 / AST base, Whisper base). */
  public static Size base(Family f) {
    return f == Family.WHISPER ? new Size(512, 6, 8, 2048, 0, 1500)
        : new Size(768, 12, 12, 3072, 512, f == Family.AST ? 1024 : 0);
  }

  /** The shipped sample folders by name, in the order of the docs' table. */
  public static final java.util.Map<String, Family> SAMPLES = java.util.Map.of(
      "hubert-tiny", Family.HUBERT, "wav2vec2-tiny", Family.WAV2VEC2,
      "whisper-tiny", Family.WHISPER, "ast-tiny", Family.AST);

  /**
   * Writes a random-init folder of {@code family} at {@code dir} (created; files written to
   * temporary names, then renamed). HuBERT as {@code HubertForCTC} (group norm, post-norm),
   * wav2vec 2.0 as {@code Wav2Vec2Model} with the "stable layer norm" layout (layer norms,
   * pre-norm), Whisper as {@code WhisperForConditionalGeneration} (encoder only written), AST as
   * {@code ASTForAudioClassification}; classification heads are written as Transformers does.
   *
   * @return {@code dir}
   */
  public static Path write(Path dir, Family family, Size size, long seed) {
    Random rng = new Random(seed);
    TensorTree.Builder b = TensorTree.builder(dir.getFileName().toString(), "safetensors");
    JsonObject cfg = new JsonObject();
    JsonObject pre = new JsonObject();
    cfg.addProperty("model_type", family.modelType());
    String prefix = switch (family) {
      case HUBERT -> "hubert.";
      case WAV2VEC2 -> "";
      case WHISPER -> "model.";
      case AST -> "audio_spectrogram_transformer.";
    };
    switch (family) {
      case HUBERT, WAV2VEC2 -> wav2vec2(b, cfg, pre, prefix, family == Family.WAV2VEC2, size, rng);
      case WHISPER -> whisper(b, cfg, pre, prefix, size, rng);
      case AST -> ast(b, cfg, pre, prefix, size, rng);
    }
    try {
      Files.createDirectories(dir);
      TensorFiles.write(dir.resolve("model.safetensors"), b.build());
      writeJson(dir.resolve("config.json"), cfg);
      writeJson(dir.resolve("preprocessor_config.json"), pre);
    } catch (IOException e) {
      throw new WorkbenchException(dir + ": cannot write (" + e.getMessage() + ")", e);
    }
    return dir;
  }

  /**
   * Writes {@code model}'s parameters (e.g. trained in place by {@link HfSupervised}) as a
   * folder at {@code dir} in the layout of the folder it was loaded from: the same
   * {@code config.json} and {@code preprocessor_config.json}, and the same
   * {@code model.safetensors} keys (wrapper prefix and heads included; the heads as they were),
   * float32, with the run's recipe, steps and data hash as metadata. Files are written to
   * temporary names, then renamed.
   *
   * @return {@code dir}
   * @throws WorkbenchException when the model was not loaded from a folder with
   *     {@code model.safetensors}
   */
  public static Path writeTrained(io.anw.model.HfAudioModel model, TrainingRun run, Path dir) {
    Path src = model.source().filter(Files::isDirectory).orElseThrow(() ->
        new WorkbenchException(model.name() + ": not loaded from a folder"));
    Path weights = src.resolve("model.safetensors");
    if (!Files.isRegularFile(weights)) {
      throw new WorkbenchException(src + ": no model.safetensors to take the key layout from");
    }
    TensorTree tree = TensorFiles.read(weights);
    java.util.Map<String, ai.djl.ndarray.NDArray> params = model.parameters();
    TensorTree.Builder b = TensorTree.builder(dir.getFileName().toString(), "safetensors");
    for (java.util.Map.Entry<String, Tensor> e : tree.tensors().entrySet()) {
      String key = e.getKey();
      String bare = key.contains(".") ? key.substring(key.indexOf('.') + 1) : key;
      ai.djl.ndarray.NDArray a = params.containsKey(key) ? params.get(key) : params.get(bare);
      if (a == null) {
        b.tensor(key, e.getValue()); // a head or a part the encoder does not read
      } else {
        b.tensor(key, Tensor.ofFloats(a.toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
            .toFloatArray(), a.getShape().getShape()));
      }
    }
    b.meta("recipe", run.recipe());
    b.meta("steps", Integer.toString(run.settings().steps()));
    b.meta("data_sha256", run.dataHash());
    try {
      Files.createDirectories(dir);
      TensorFiles.write(dir.resolve("model.safetensors"), b.build());
      for (String f : java.util.List.of("config.json", "preprocessor_config.json")) {
        if (Files.isRegularFile(src.resolve(f))) {
          Path tmp = dir.resolve(f + ".tmp");
          Files.copy(src.resolve(f), tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
          Files.move(tmp, dir.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
              java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
      }
    } catch (IOException e) {
      throw new WorkbenchException(dir + ": cannot write (" + e.getMessage() + ")", e);
    }
    return dir;
  }

  /**
   * The brief supervised training of the shipped {@code *-sl-tiny} folders (decided before
   * their results): HuBERT and wav2vec 2.0 400 steps of 16 clips; Whisper and AST, whose every
   * clip costs a whole padded window, 150 steps of 8; peak learning rate 1e-3 after a 10 %
   * warm-up, cosine decay, weight decay 0.01, seed 1.
   */
  public static Trainers.Settings trainingSettings(Family f) {
    boolean padded = f == Family.WHISPER || f == Family.AST;
    int steps = padded ? 150 : 400;
    return new Trainers.Settings(steps, padded ? 8 : 16, 1e-3, steps / 10, 0.01, 1, 25);
  }

  private static void writeJson(Path file, JsonObject json) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, new GsonBuilder().setPrettyPrinting().create().toJson(json) + "\n");
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private static void wav2vec2(TensorTree.Builder b, JsonObject cfg, JsonObject pre, String p,
      boolean stable, Size s, Random rng) {
    int[] kernels = {10, 3, 3, 3, 3, 2, 2};
    int[] strides = {5, 2, 2, 2, 2, 2, 2};
    int c = s.convDim();
    int posKernel = s.width() >= 512 ? 128 : 16;
    int groups = s.width() >= 512 ? 16 : 4;
    cfg.add("architectures", names(stable ? "Wav2Vec2Model" : "HubertForCTC"));
    cfg.add("conv_dim", ints(c, c, c, c, c, c, c));
    cfg.add("conv_kernel", ints(kernels));
    cfg.add("conv_stride", ints(strides));
    cfg.addProperty("conv_bias", stable);
    cfg.addProperty("feat_extract_norm", stable ? "layer" : "group");
    cfg.addProperty("do_stable_layer_norm", stable);
    cfg.addProperty("hidden_size", s.width());
    cfg.addProperty("num_hidden_layers", s.depth());
    cfg.addProperty("num_attention_heads", s.heads());
    cfg.addProperty("intermediate_size", s.mlp());
    cfg.addProperty("hidden_act", "gelu");
    cfg.addProperty("layer_norm_eps", 1e-5);
    cfg.addProperty("num_conv_pos_embeddings", posKernel);
    cfg.addProperty("num_conv_pos_embedding_groups", groups);
    cfg.addProperty("vocab_size", 32);
    pre.addProperty("feature_extractor_type", "Wav2Vec2FeatureExtractor");
    pre.addProperty("sampling_rate", 16000);
    pre.addProperty("do_normalize", true);
    pre.addProperty("return_attention_mask", stable);
    for (int i = 0; i < 7; i++) {
      String k = p + "feature_extractor.conv_layers." + i + ".";
      int in = i == 0 ? 1 : c;
      b.tensor(k + "conv.weight", normal(rng, 1 / Math.sqrt(in * kernels[i]), c, in,
          kernels[i]));
      if (stable) {
        b.tensor(k + "conv.bias", normal(rng, 0.02, c));
      }
      if (stable || i == 0) {
        norm(b, k + "layer_norm", c);
      }
    }
    norm(b, p + "feature_projection.layer_norm", c);
    linear(b, p + "feature_projection.projection", s.width(), c, rng);
    String pc = p + "encoder.pos_conv_embed.conv.";
    b.tensor(pc + "weight_g", normal(rng, 0.5, 1, 1, posKernel));
    b.tensor(pc + "weight_v", normal(rng, 1, s.width(), s.width() / groups, posKernel));
    b.tensor(pc + "bias", normal(rng, 0.02, s.width()));
    norm(b, p + "encoder.layer_norm", s.width());
    for (int i = 0; i < s.depth(); i++) {
      String k = p + "encoder.layers." + i + ".";
      for (String proj : new String[] {"q_proj", "k_proj", "v_proj", "out_proj"}) {
        linear(b, k + "attention." + proj, s.width(), s.width(), rng);
      }
      norm(b, k + "layer_norm", s.width());
      linear(b, k + "feed_forward.intermediate_dense", s.mlp(), s.width(), rng);
      linear(b, k + "feed_forward.output_dense", s.width(), s.mlp(), rng);
      norm(b, k + "final_layer_norm", s.width());
    }
    if (!stable) {
      linear(b, "lm_head", 32, s.width(), rng); // HubertForCTC's head, left out by the loader
    }
  }

  private static void whisper(TensorTree.Builder b, JsonObject cfg, JsonObject pre, String p,
      Size s, Random rng) {
    cfg.add("architectures", names("WhisperForConditionalGeneration"));
    cfg.addProperty("d_model", s.width());
    cfg.addProperty("encoder_layers", s.depth());
    cfg.addProperty("encoder_attention_heads", s.heads());
    cfg.addProperty("encoder_ffn_dim", s.mlp());
    cfg.addProperty("num_mel_bins", 80);
    cfg.addProperty("max_source_positions", s.positions());
    cfg.addProperty("activation_function", "gelu");
    pre.addProperty("feature_extractor_type", "WhisperFeatureExtractor");
    pre.addProperty("feature_size", 80);
    pre.addProperty("sampling_rate", 16000);
    pre.addProperty("hop_length", 160);
    pre.addProperty("n_fft", 400);
    pre.addProperty("chunk_length", 30);
    pre.addProperty("nb_max_frames", 2 * s.positions());
    int w = s.width();
    String e = p + "encoder.";
    b.tensor(e + "conv1.weight", normal(rng, 1 / Math.sqrt(80 * 3), w, 80, 3));
    b.tensor(e + "conv1.bias", normal(rng, 0.02, w));
    b.tensor(e + "conv2.weight", normal(rng, 1 / Math.sqrt(w * 3.0), w, w, 3));
    b.tensor(e + "conv2.bias", normal(rng, 0.02, w));
    b.tensor(e + "embed_positions.weight", sinusoids(s.positions(), w));
    for (int i = 0; i < s.depth(); i++) {
      String k = e + "layers." + i + ".";
      for (String proj : new String[] {"q_proj", "k_proj", "v_proj", "out_proj"}) {
        b.tensor(k + "self_attn." + proj + ".weight", normal(rng, 1 / Math.sqrt(w), w, w));
        if (!proj.equals("k_proj")) { // Whisper's key projection has no bias
          b.tensor(k + "self_attn." + proj + ".bias", normal(rng, 0.02, w));
        }
      }
      norm(b, k + "self_attn_layer_norm", w);
      linear(b, k + "fc1", s.mlp(), w, rng);
      linear(b, k + "fc2", w, s.mlp(), rng);
      norm(b, k + "final_layer_norm", w);
    }
    norm(b, e + "layer_norm", w);
  }

  private static void ast(TensorTree.Builder b, JsonObject cfg, JsonObject pre, String p, Size s,
      Random rng) {
    int fDim = (128 - 16) / 10 + 1;
    int tDim = (s.positions() - 16) / 10 + 1;
    int w = s.width();
    cfg.add("architectures", names("ASTForAudioClassification"));
    cfg.addProperty("hidden_size", w);
    cfg.addProperty("num_hidden_layers", s.depth());
    cfg.addProperty("num_attention_heads", s.heads());
    cfg.addProperty("intermediate_size", s.mlp());
    cfg.addProperty("hidden_act", "gelu");
    cfg.addProperty("layer_norm_eps", 1e-12);
    cfg.addProperty("patch_size", 16);
    cfg.addProperty("frequency_stride", 10);
    cfg.addProperty("time_stride", 10);
    cfg.addProperty("max_length", s.positions());
    cfg.addProperty("num_mel_bins", 128);
    pre.addProperty("feature_extractor_type", "ASTFeatureExtractor");
    pre.addProperty("sampling_rate", 16000);
    pre.addProperty("num_mel_bins", 128);
    pre.addProperty("max_length", s.positions());
    pre.addProperty("do_normalize", true);
    pre.addProperty("mean", -4.2677393);
    pre.addProperty("std", 4.5689974);
    String e = p + "embeddings.";
    b.tensor(e + "cls_token", normal(rng, 0.02, 1, 1, w));
    b.tensor(e + "distillation_token", normal(rng, 0.02, 1, 1, w));
    b.tensor(e + "position_embeddings", normal(rng, 0.02, 1, fDim * tDim + 2, w));
    b.tensor(e + "patch_embeddings.projection.weight", normal(rng, 1 / 16.0, w, 1, 16, 16));
    b.tensor(e + "patch_embeddings.projection.bias", normal(rng, 0.02, w));
    for (int i = 0; i < s.depth(); i++) {
      String k = p + "encoder.layer." + i + ".";
      for (String proj : new String[] {"query", "key", "value"}) {
        linear(b, k + "attention.attention." + proj, w, w, rng);
      }
      linear(b, k + "attention.output.dense", w, w, rng);
      norm(b, k + "layernorm_before", w);
      norm(b, k + "layernorm_after", w);
      linear(b, k + "intermediate.dense", s.mlp(), w, rng);
      linear(b, k + "output.dense", w, s.mlp(), rng);
    }
    norm(b, p + "layernorm", w);
    norm(b, "classifier.layernorm", w); // ASTForAudioClassification's head
    linear(b, "classifier.dense", 10, w, rng);
  }

  /** Whisper's positions: sin of the first half of the channels, cos of the second. */
  private static Tensor sinusoids(int length, int channels) {
    int half = channels / 2;
    double step = Math.log(10000) / (half - 1);
    float[] v = new float[length * channels];
    for (int t = 0; t < length; t++) {
      for (int i = 0; i < half; i++) {
        double a = t * Math.exp(-step * i);
        v[t * channels + i] = (float) Math.sin(a);
        v[t * channels + half + i] = (float) Math.cos(a);
      }
    }
    return Tensor.ofFloats(v, length, channels);
  }

  private static void linear(TensorTree.Builder b, String key, int out, int in, Random rng) {
    b.tensor(key + ".weight", normal(rng, 1 / Math.sqrt(in), out, in));
    b.tensor(key + ".bias", normal(rng, 0.02, out));
  }

  private static void norm(TensorTree.Builder b, String key, int width) {
    float[] one = new float[width];
    java.util.Arrays.fill(one, 1f);
    b.tensor(key + ".weight", Tensor.ofFloats(one, width));
    b.tensor(key + ".bias", Tensor.ofFloats(new float[width], width));
  }

  private static Tensor normal(Random rng, double sd, long... shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    float[] v = new float[(int) n];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (rng.nextGaussian() * sd);
    }
    return Tensor.ofFloats(v, shape);
  }

  private static JsonArray names(String... values) {
    JsonArray a = new JsonArray();
    for (String v : values) {
      a.add(v);
    }
    return a;
  }

  private static JsonArray ints(int... values) {
    JsonArray a = new JsonArray();
    for (int v : values) {
      a.add(v);
    }
    return a;
  }

  /** One line naming the folder, for logs: family, sizes. */
  public static String describe(String name, Family f, Size s) {
    return String.format(Locale.ROOT, "%s: %s, width %d, %d blocks, %d heads, %d neurons each",
        name, f.modelType(), s.width(), s.depth(), s.heads(), s.mlp());
  }
}
