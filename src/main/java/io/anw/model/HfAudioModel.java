package io.anw.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.anw.WorkbenchException;
import io.anw.tensor.Tensor;
import io.anw.tensor.TensorFiles;
import io.anw.tensor.TensorTree;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Hugging Face audio model folder loaded as its encoder ({@link Wav2vec2Encoder},
 * {@link WhisperEncoder} or {@link AstEncoder}): the architecture from {@code config.json}
 * ({@link HfAudioConfig}), the weights from {@code model.safetensors} or
 * {@code pytorch_model.bin}, a wrapper's prefix stripped ({@code hubert.}, {@code wav2vec2.},
 * {@code model.}, {@code audio_spectrogram_transformer.}) and its heads and decoder left out,
 * copied into PyTorch-owned float32 arrays that live until {@link #close}.
 */
public final class HfAudioModel implements AutoCloseable {
  private static final List<String> PREFIXES = List.of("", "hubert.", "wav2vec2.", "model.",
      "audio_spectrogram_transformer.");

  /** AST's fbank normalisation when the folder has no preprocessor_config.json: mean, std. */
  public static final float[] AST_NORM = {-4.2677393f, 4.5689974f};

  private final HfAudioConfig config;
  private final NDManager weights;
  private final Preprocessor pre;
  private final Wav2vec2Encoder wav2vec2;
  private final WhisperEncoder whisper;
  private final AstEncoder ast;

  /**
   * What the folder's feature extractor does ({@code preprocessor_config.json}, else the
   * Transformers defaults of the family): wav2vec 2.0 / HuBERT normalise the waveform to zero
   * mean and unit variance when {@code do_normalize}; AST normalises its fbank with
   * {@code mean}, {@code std} (as {@code (x - mean) / (2 std)}).
   */
  record Preprocessor(boolean normalizeWaveform, float mean, float std) {}

  private HfAudioModel(HfAudioConfig config, NDManager weights, Wav2vec2Encoder wav2vec2,
      WhisperEncoder whisper, AstEncoder ast) {
    this.pre = preprocessor(config);
    this.config = config;
    this.weights = weights;
    this.wav2vec2 = wav2vec2;
    this.whisper = whisper;
    this.ast = ast;
  }

  /**
   * Loads the folder {@code dir}.
   *
   * @throws WorkbenchException naming the folder or file and what is wrong
   */
  public static HfAudioModel load(Path dir) {
    HfAudioConfig cfg = HfAudioConfig.read(dir);
    TensorTree tree = TensorFiles.read(cfg.weights());
    String anchor = switch (cfg.family()) {
      case HUBERT, WAV2VEC2 -> "feature_extractor.conv_layers.0.conv.weight";
      case WHISPER -> "encoder.conv1.weight";
      case AST -> "embeddings.patch_embeddings.projection.weight";
    };
    String prefix = null;
    for (String p : PREFIXES) {
      if (prefix == null && tree.tensors().containsKey(p + anchor)) {
        prefix = p;
      }
    }
    if (prefix == null) {
      throw new WorkbenchException(cfg.weights() + ": no " + anchor + " (under any of the "
          + "prefixes " + String.join(", ", PREFIXES.subList(1, PREFIXES.size())) + ")");
    }
    NDManager owned = NDManager.newBaseManager();
    try (NDManager staging = NDManager.newBaseManager()) {
      Map<String, NDArray> p = new LinkedHashMap<>();
      for (Map.Entry<String, Tensor> e : tree.tensors().entrySet()) {
        String key = e.getKey();
        if (!key.startsWith(prefix) || cfg.family() == HfAudioConfig.Family.WHISPER
            && !key.startsWith(prefix + "encoder.")) {
          continue; // a wrapper's head, Whisper's decoder
        }
        NDArray a = e.getValue().toNDArray(staging);
        if (a.getDataType() != DataType.FLOAT32) {
          a = a.toType(DataType.FLOAT32, false);
        }
        p.put(key.substring(prefix.length()), io.anw.TorchArrays.copy(a, owned));
      }
      float eps = (float) cfg.layerNormEps();
      return switch (cfg.family()) {
        case HUBERT, WAV2VEC2 -> new HfAudioModel(cfg, owned, Wav2vec2Encoder.of(p, cfg.heads(),
            cfg.convStrides(), cfg.featureNorm(), cfg.preNorm(), eps, cfg.positionGroups()),
            null, null);
        case WHISPER -> new HfAudioModel(cfg, owned, null, WhisperEncoder.of(p, cfg.heads()),
            null);
        case AST -> new HfAudioModel(cfg, owned, null, null, AstEncoder.of(p, cfg.heads(), eps,
            cfg.patchStrides()[0], cfg.patchStrides()[1]));
      };
    } catch (RuntimeException e) {
      owned.close();
      throw e instanceof WorkbenchException ? e
          : new WorkbenchException(dir + ": " + e.getMessage(), e);
    }
  }

  private static Preprocessor preprocessor(HfAudioConfig cfg) {
    Path dir = cfg.weights().getParent();
    com.google.gson.JsonObject c = new com.google.gson.JsonObject();
    Path file = dir.resolve("preprocessor_config.json");
    if (java.nio.file.Files.isRegularFile(file)) {
      try {
        c = com.google.gson.JsonParser.parseString(java.nio.file.Files.readString(file))
            .getAsJsonObject();
      } catch (java.io.IOException | RuntimeException e) {
        throw new WorkbenchException(file + ": not a JSON object (" + e.getMessage() + ")");
      }
    }
    com.google.gson.JsonObject json = c;
    java.util.function.BiFunction<String, Double, Double> num = (k, d) ->
        json.has(k) && json.get(k).isJsonPrimitive() ? json.get(k).getAsDouble() : d;
    boolean normalize = json.has("do_normalize") && json.get("do_normalize").getAsBoolean();
    return new Preprocessor(normalize, num.apply("mean", (double) AST_NORM[0]).floatValue(),
        num.apply("std", (double) AST_NORM[1]).floatValue());
  }

  /**
   * The last hidden state {@code [tokens, width]} of a clip (resampled to 16 kHz), through the
   * family's front end as its feature extractor prepares it: the waveform (normalised when the
   * folder says so), Whisper's log-mel of the samples padded or cut to the encoder's input
   * length (30 s for released models), or AST's normalised Kaldi fbank padded or cut to
   * {@code max_length} frames; in {@code m}.
   */
  public NDArray encode(io.anw.audio.Clip clip, NDManager m) {
    float[] x = io.anw.audio.Resampler.resample(clip.samples(), clip.sampleRate(), 16000);
    NDArray input;
    switch (config.family()) {
      case HUBERT, WAV2VEC2 -> {
        if (pre.normalizeWaveform()) {
          double mean = 0;
          double sq = 0;
          for (float v : x) {
            mean += v;
          }
          mean /= x.length;
          for (float v : x) {
            sq += (v - mean) * (v - mean);
          }
          double sd = Math.sqrt(sq / x.length + 1e-7);
          float[] z = new float[x.length];
          for (int i = 0; i < x.length; i++) {
            z[i] = (float) ((x[i] - mean) / sd);
          }
          x = z;
        }
        input = io.anw.TorchArrays.of(m, x, new ai.djl.ndarray.types.Shape(1, x.length));
      }
      case WHISPER -> {
        int samples = config.inputFrames() * 160;
        float[][] mel = new io.anw.audio.WhisperLogMel(config.melBins())
            .compute(java.util.Arrays.copyOf(x, samples));
        input = io.anw.TorchArrays.of(m, mel).expandDims(0);
      }
      default -> {
        int bins = config.melBins();
        int frames = config.inputFrames();
        float[][] fb = new io.anw.audio.KaldiFbank(16000, bins,
            io.anw.audio.KaldiFbank.Window.HANNING).compute(x);
        float[] flat = new float[frames * bins]; // [frames, bins], zero-padded or cut
        for (int t = 0; t < Math.min(frames, fb[0].length); t++) {
          for (int b = 0; b < bins; b++) {
            flat[t * bins + b] = fb[b][t];
          }
        }
        for (int i = 0; i < flat.length; i++) {
          flat[i] = (flat[i] - pre.mean()) / (2 * pre.std());
        }
        input = io.anw.TorchArrays.of(m, flat,
            new ai.djl.ndarray.types.Shape(1, frames, bins));
      }
    }
    return lastHiddenState(input).squeeze(0);
  }

  /** {@link #encode(io.anw.audio.Clip, NDManager)} as Java rows {@code [tokens][width]}. */
  public float[][] encode(io.anw.audio.Clip clip) {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray h = encode(clip, m);
      int tokens = (int) h.getShape().get(0);
      int width = (int) h.getShape().get(1);
      float[] flat = h.toFloatArray();
      float[][] rows = new float[tokens][width];
      for (int t = 0; t < tokens; t++) {
        System.arraycopy(flat, t * width, rows[t], 0, width);
      }
      return rows;
    }
  }

  @Override
  public String toString() {
    return config.family().modelType() + " model " + config.weights().getParent().getFileName()
        + ": " + config.depth() + " blocks, width " + config.width() + ", neurons "
        + config.depth() + " x " + config.mlpDim();
  }

  /** The architecture read from config.json. */
  public HfAudioConfig config() {
    return config;
  }

  /**
   * The encoder's last hidden state {@code [batch, tokens, width]} of its input: a waveform
   * {@code [batch, samples]} (wav2vec 2.0, HuBERT), a Whisper log-mel {@code [batch, mels,
   * frames]} or a normalised Kaldi fbank {@code [batch, frames, bins]} (AST); in the input's
   * manager.
   */
  public NDArray lastHiddenState(NDArray input) {
    io.anw.GradMode.disableOnCurrentThread();
    if (wav2vec2 != null) {
      return wav2vec2.forward(input, HookRun.IDLE);
    }
    return whisper != null ? whisper.forward(input, HookRun.IDLE)
        : ast.forward(input, HookRun.IDLE);
  }

  @Override
  public void close() {
    weights.close();
  }
}
