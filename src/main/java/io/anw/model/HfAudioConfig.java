package io.anw.model;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.anw.WorkbenchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The architecture of a Hugging Face audio model folder ({@code config.json} + {@code
 * model.safetensors} or {@code pytorch_model.bin}), read from {@code config.json} with the
 * defaults of the Transformers config classes for keys it leaves out: HuBERT and wav2vec 2.0
 * (convolutional feature encoder on the raw 16 kHz waveform), Whisper (its encoder, on a 30 s
 * log-mel) and AST (Kaldi fbank patches). A neuron is one unit of a block's FFN intermediate
 * activation, as for M2D.
 *
 * @param family which audio transformer
 * @param modelType {@code model_type} as written
 * @param architectures the {@code architectures} list (e.g. {@code HubertForCTC}), maybe empty
 * @param width hidden size (d_model)
 * @param depth transformer blocks (encoder layers)
 * @param heads attention heads
 * @param mlpDim FFN intermediate size: neurons per block
 * @param activation the FFN's activation ({@code gelu}, ...)
 * @param layerNormEps layer-norm epsilon
 * @param preNorm layer norm before attention and FFN (else after each residual, post-norm)
 * @param weights the weights file in the folder
 * @param frontEnd a one-line description of the front end and positions
 * @param convStrides wav2vec 2.0 / HuBERT: the feature encoder's strides (else empty)
 * @param featureNorm wav2vec 2.0 / HuBERT: {@code group} or {@code layer} (else empty)
 * @param positionGroups wav2vec 2.0 / HuBERT: groups of the position convolution (else 0)
 * @param patchStrides AST: frequency and time strides of the patches (else empty)
 * @param melBins Whisper, AST: bins of the log-mel or fbank input (else 0)
 * @param inputFrames Whisper, AST: frames of one input ({@code 2 · max_source_positions},
 *     {@code max_length}; else 0)
 */
public record HfAudioConfig(Family family, String modelType, List<String> architectures,
    int width, int depth, int heads, int mlpDim, String activation, double layerNormEps,
    boolean preNorm, Path weights, String frontEnd, int[] convStrides, String featureNorm,
    int positionGroups, int[] patchStrides, int melBins, int inputFrames) {

  /** The audio transformer families read from Hugging Face folders. */
  public enum Family {
    /** HuBERT ({@code model_type} hubert). */
    HUBERT("hubert"),
    /** wav2vec 2.0 ({@code wav2vec2}). */
    WAV2VEC2("wav2vec2"),
    /** Whisper's encoder ({@code whisper}). */
    WHISPER("whisper"),
    /** Audio Spectrogram Transformer ({@code audio-spectrogram-transformer}). */
    AST("audio-spectrogram-transformer");

    private final String modelType;

    Family(String modelType) {
      this.modelType = modelType;
    }

    /** The {@code model_type} of config.json. */
    public String modelType() {
      return modelType;
    }
  }

  /** The weights files looked for, in order. */
  public static final List<String> WEIGHTS = List.of("model.safetensors", "pytorch_model.bin");

  /**
   * Reads a model folder.
   *
   * @throws WorkbenchException naming the folder or file and what is wrong: no config.json, an
   *     unknown model_type, a key of the wrong type, no weights file
   */
  public static HfAudioConfig read(Path dir) {
    Path cfgFile = dir.resolve("config.json");
    if (!Files.isRegularFile(cfgFile)) {
      throw new WorkbenchException(dir + ": no config.json (a Hugging Face model folder holds "
          + "config.json and model.safetensors or pytorch_model.bin)");
    }
    JsonObject c;
    try {
      c = JsonParser.parseString(Files.readString(cfgFile)).getAsJsonObject();
    } catch (IOException | RuntimeException e) {
      throw new WorkbenchException(cfgFile + ": not a JSON object (" + e.getMessage() + ")");
    }
    String type = text(c, cfgFile, "model_type", "");
    Family family = null;
    for (Family f : Family.values()) {
      if (f.modelType.equals(type)) {
        family = f;
      }
    }
    if (family == null) {
      throw new WorkbenchException(cfgFile + ": model_type '" + type + "' is not an audio "
          + "transformer the workbench reads (hubert, wav2vec2, whisper, "
          + "audio-spectrogram-transformer)");
    }
    Path weights = null;
    for (String name : WEIGHTS) {
      if (weights == null && Files.isRegularFile(dir.resolve(name))) {
        weights = dir.resolve(name);
      }
    }
    if (weights == null) {
      throw new WorkbenchException(dir + ": no weights file (" + String.join(" or ", WEIGHTS)
          + ")");
    }
    List<String> archs = new ArrayList<>();
    if (c.has("architectures") && c.get("architectures").isJsonArray()) {
      c.getAsJsonArray("architectures").forEach(a -> archs.add(a.getAsString()));
    }
    return switch (family) {
      case HUBERT, WAV2VEC2 -> wav2vec(family, type, archs, c, cfgFile, weights);
      case WHISPER -> new HfAudioConfig(family, type, archs, number(c, cfgFile, "d_model", 768),
          number(c, cfgFile, "encoder_layers", 12), number(c, cfgFile,
              "encoder_attention_heads", 12), number(c, cfgFile, "encoder_ffn_dim", 3072),
          text(c, cfgFile, "activation_function", "gelu"), 1e-5, true, weights,
          String.format(Locale.ROOT, "Whisper log-mel (%d bins, 30 s = 3000 frames) -> 2 "
              + "convolutions (kernel 3, the second with stride 2) -> %d frames of 20 ms; "
              + "sinusoidal positions", number(c, cfgFile, "num_mel_bins", 80),
              number(c, cfgFile, "max_source_positions", 1500)), new int[0], "", 0, new int[0],
          number(c, cfgFile, "num_mel_bins", 80),
          2 * number(c, cfgFile, "max_source_positions", 1500));
      case AST -> ast(type, archs, c, cfgFile, weights);
    };
  }

  /**
   * The encoder of an OpenAI Whisper checkpoint ({@code torch.save} of {@code dims} +
   * {@code model_state_dict}), from its {@code dims.*} metadata as {@link
   * io.anw.tensor.TensorTree#metadataText()} flattens it; null when {@code metadata} has no
   * {@code dims.n_audio_state}.
   *
   * @throws WorkbenchException naming the file when a dimension is not a whole number
   */
  public static HfAudioConfig ofWhisperCheckpoint(Path file, java.util.Map<String, String> metadata) {
    if (!metadata.containsKey("dims.n_audio_state")) {
      return null;
    }
    int[] d = new int[5];
    String[] keys = {"n_audio_state", "n_audio_layer", "n_audio_head", "n_mels", "n_audio_ctx"};
    for (int i = 0; i < keys.length; i++) {
      String v = metadata.get("dims." + keys[i]);
      try {
        d[i] = Integer.parseInt(v.strip());
      } catch (RuntimeException e) {
        throw new WorkbenchException(file + ": dims." + keys[i] + " = " + v
            + " is not a whole number");
      }
    }
    return new HfAudioConfig(Family.WHISPER, "whisper", List.of("OpenAI Whisper checkpoint"),
        d[0], d[1], d[2], 4 * d[0], "gelu", 1e-5, true, file, String.format(Locale.ROOT,
            "Whisper log-mel (%d bins, 30 s = 3000 frames) -> 2 convolutions (kernel 3, the "
                + "second with stride 2) -> %d frames of 20 ms; sinusoidal positions", d[3],
            d[4]), new int[0], "", 0, new int[0], d[3], 2 * d[4]);
  }

  private static HfAudioConfig wav2vec(Family family, String type, List<String> archs,
      JsonObject c, Path file, Path weights) {
    int[] dims = numbers(c, file, "conv_dim", new int[] {512, 512, 512, 512, 512, 512, 512});
    int[] strides = numbers(c, file, "conv_stride", new int[] {5, 2, 2, 2, 2, 2, 2});
    int[] kernels = numbers(c, file, "conv_kernel", new int[] {10, 3, 3, 3, 3, 2, 2});
    int stride = 1;
    int field = 1;
    for (int i = strides.length - 1; i >= 0; i--) {
      field = (field - 1) * strides[i] + kernels[i];
    }
    for (int s : strides) {
      stride *= s;
    }
    int width = number(c, file, "hidden_size", 768);
    String norm = text(c, file, "feat_extract_norm", "group");
    String frontEnd = String.format(Locale.ROOT, "raw 16 kHz waveform -> %d convolutions (%d "
        + "channels, %s norm, bias %s) -> frames every %d samples (%.0f ms), receptive field %d "
        + "samples (%.0f ms) -> projection %d -> %d; convolutional relative positions (kernel "
        + "%d, %d groups)", dims.length, dims[dims.length - 1], norm,
        bool(c, file, "conv_bias", false), stride, stride / 16.0, field, field / 16.0,
        dims[dims.length - 1], width, number(c, file, "num_conv_pos_embeddings", 128),
        number(c, file, "num_conv_pos_embedding_groups", 16));
    return new HfAudioConfig(family, type, archs, width, number(c, file, "num_hidden_layers", 12),
        number(c, file, "num_attention_heads", 12), number(c, file, "intermediate_size", 3072),
        text(c, file, "hidden_act", "gelu"), decimal(c, file, "layer_norm_eps", 1e-5),
        bool(c, file, "do_stable_layer_norm", false), weights, frontEnd, strides, norm,
        number(c, file, "num_conv_pos_embedding_groups", 16), new int[0], 0, 0);
  }

  private static HfAudioConfig ast(String type, List<String> archs, JsonObject c, Path file,
      Path weights) {
    int patch = number(c, file, "patch_size", 16);
    int fStride = number(c, file, "frequency_stride", 10);
    int tStride = number(c, file, "time_stride", 10);
    int bins = number(c, file, "num_mel_bins", 128);
    int frames = number(c, file, "max_length", 1024);
    int fPatches = (bins - patch) / fStride + 1;
    int tPatches = (frames - patch) / tStride + 1;
    String frontEnd = String.format(Locale.ROOT, "Kaldi fbank (%d bins, %d frames of 10 ms, "
        + "normalised) -> %dx%d patches with strides %d x %d: %d x %d = %d patches + CLS and "
        + "distillation tokens; learnt positions", bins, frames, patch, patch, fStride, tStride,
        fPatches, tPatches, fPatches * tPatches);
    return new HfAudioConfig(Family.AST, type, archs, number(c, file, "hidden_size", 768),
        number(c, file, "num_hidden_layers", 12), number(c, file, "num_attention_heads", 12),
        number(c, file, "intermediate_size", 3072), text(c, file, "hidden_act", "gelu"),
        decimal(c, file, "layer_norm_eps", 1e-12), true, weights, frontEnd, new int[0], "", 0,
        new int[] {fStride, tStride}, bins, frames);
  }

  /** Neurons in all: blocks × FFN width. */
  public long neurons() {
    return (long) depth * mlpDim;
  }

  /** Lines describing the architecture, for {@code inspect DIR}. */
  public List<String> describe() {
    List<String> lines = new ArrayList<>();
    lines.add("architecture: " + (architectures.isEmpty() ? modelType
        : String.join(", ", architectures)) + " (model_type " + modelType + ")");
    // long descriptions wrap to fit a terminal, continued lines indented
    lines.addAll(org.apache.commons.text.WordUtils.wrap("front end: " + frontEnd, 96, "\n    ",
        false).lines().toList());
    lines.add(String.format(Locale.ROOT, "transformer: %d blocks, width %d, %d heads, FFN %d "
        + "(%s), %s, layer-norm eps %.0e", depth, width, heads, mlpDim, activation,
        preNorm ? "pre-norm" : "post-norm", layerNormEps));
    lines.add(String.format(Locale.ROOT, "neurons: %d x %d = %,d (blocks.{i}.mlp.hook_post, the "
        + "FFN's intermediate activation)", depth, mlpDim, neurons()));
    return lines;
  }

  private static JsonElement value(JsonObject c, String key) {
    JsonElement e = c.get(key);
    return e == null || e.isJsonNull() ? null : e;
  }

  private static int number(JsonObject c, Path file, String key, int fallback) {
    JsonElement e = value(c, key);
    if (e == null) {
      return fallback;
    }
    try {
      double d = e.getAsDouble();
      if (d != Math.rint(d) || d < 0) {
        throw new NumberFormatException();
      }
      return (int) d;
    } catch (RuntimeException ex) {
      throw new WorkbenchException(file + ": " + key + " = " + e + " is not a whole number");
    }
  }

  private static double decimal(JsonObject c, Path file, String key, double fallback) {
    JsonElement e = value(c, key);
    if (e == null) {
      return fallback;
    }
    try {
      return e.getAsDouble();
    } catch (RuntimeException ex) {
      throw new WorkbenchException(file + ": " + key + " = " + e + " is not a number");
    }
  }

  private static String text(JsonObject c, Path file, String key, String fallback) {
    JsonElement e = value(c, key);
    if (e == null) {
      return fallback;
    }
    if (!e.isJsonPrimitive()) {
      throw new WorkbenchException(file + ": " + key + " = " + e + " is not a string");
    }
    return e.getAsString();
  }

  private static boolean bool(JsonObject c, Path file, String key, boolean fallback) {
    JsonElement e = value(c, key);
    if (e == null) {
      return fallback;
    }
    if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
      throw new WorkbenchException(file + ": " + key + " = " + e + " is not true or false");
    }
    return e.getAsBoolean();
  }

  private static int[] numbers(JsonObject c, Path file, String key, int[] fallback) {
    JsonElement e = value(c, key);
    if (e == null) {
      return fallback;
    }
    if (!e.isJsonArray() || e.getAsJsonArray().isEmpty()) {
      throw new WorkbenchException(file + ": " + key + " = " + e + " is not a list of numbers");
    }
    JsonArray a = e.getAsJsonArray();
    int[] out = new int[a.size()];
    for (int i = 0; i < out.length; i++) {
      try {
        out[i] = a.get(i).getAsInt();
      } catch (RuntimeException ex) {
        throw new WorkbenchException(file + ": " + key + " = " + e + " is not a list of numbers");
      }
    }
    return out;
  }
}
