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
 * A Hugging Face audio model folder (or an OpenAI Whisper {@code .pt}) loaded as its encoder
 * ({@link Wav2vec2Encoder}, {@link WhisperEncoder} or {@link AstEncoder}) behind the same
 * {@link AudioModel} as M2D: the architecture from {@code config.json} ({@link HfAudioConfig}),
 * the weights from {@code model.safetensors} or {@code pytorch_model.bin}, a wrapper's prefix
 * stripped ({@code hubert.}, {@code wav2vec2.}, {@code model.}, {@code audio_spectrogram_transformer.})
 * and its heads and decoder left out, copied into PyTorch-owned float32 arrays that live until
 * {@link #close}.
 *
 * <p>Its input is the 16 kHz waveform, {@code [1, samples]} per clip ({@code [batch, 1, samples]}
 * stacked; normalised per clip when the folder's feature extractor does so); the family's front
 * end runs inside {@link #run}: Whisper's log-mel of each 30 s chunk (padded as Whisper pads),
 * AST's normalised Kaldi fbank of each chunk of {@code max_length} frames, the raw waveform in
 * 30 s chunks for wav2vec 2.0 / HuBERT. Token groups: {@code audio} = the tokens that cover
 * audio (every frame of wav2vec 2.0 / HuBERT; Whisper's frames before its padding; AST's patches
 * whose first frame is audio), {@code cls} and {@code dist} for AST; {@code all} includes
 * padding. The output features are the last hidden state at the audio tokens, chunks joined in
 * time; the "CLS" output is AST's mean of CLS and distillation tokens, else the mean of the
 * audio tokens.
 */
public final class HfAudioModel implements AudioModel {
  private static final List<String> PREFIXES = List.of("", "hubert.", "wav2vec2.", "model.",
      "audio_spectrogram_transformer.", "model_state_dict.");

  /** AST's fbank normalisation when the folder has no preprocessor_config.json: mean, std. */
  public static final float[] AST_NORM = {-4.2677393f, 4.5689974f};

  /** Chunk of wav2vec 2.0 / HuBERT inputs: 30 s at 16 kHz (attention is quadratic in length). */
  public static final int WAVEFORM_CHUNK = 30 * 16000;

  /** Most rows (clips x chunks) of one forward pass, as {@link M2dViT#MAX_BATCH_ROWS}. */
  private static final int MAX_ROWS = M2dViT.MAX_BATCH_ROWS;

  private final HfAudioConfig config;
  private final Path source;
  private final NDManager weights;
  private final NDManager runs;
  private final Map<String, NDArray> params;
  private final Preprocessor pre;
  private final Wav2vec2Encoder wav2vec2;
  private final WhisperEncoder whisper;
  private final AstEncoder ast;
  private final io.anw.audio.WhisperLogMel whisperMel; // Whisper's front end, else null
  private final io.anw.audio.KaldiFbank fbank; // AST's front end, else null
  private final List<String> hookNames;
  private final int depth;
  private List<String> notes = List.of();
  private volatile String weightsSha256;

  /**
   * What the folder's feature extractor does ({@code preprocessor_config.json}, else the
   * Transformers defaults of the family): wav2vec 2.0 / HuBERT normalise the waveform to zero
   * mean and unit variance when {@code do_normalize}; AST normalises its fbank with
   * {@code mean}, {@code std} (as {@code (x - mean) / (2 std)}).
   */
  record Preprocessor(boolean normalizeWaveform, float mean, float std) {}

  private HfAudioModel(HfAudioConfig config, Path source, NDManager weights,
      Map<String, NDArray> params, Wav2vec2Encoder wav2vec2, WhisperEncoder whisper,
      AstEncoder ast) {
    this.pre = preprocessor(config);
    this.config = config;
    this.source = source;
    this.weights = weights;
    this.runs = weights.newSubManager();
    this.params = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(params));
    this.wav2vec2 = wav2vec2;
    this.whisper = whisper;
    this.ast = ast;
    // immutable, and thread-safe: every compute call allocates its own buffers
    this.whisperMel = whisper == null ? null : new io.anw.audio.WhisperLogMel(config.melBins());
    this.fbank = ast == null ? null : new io.anw.audio.KaldiFbank(16000, config.melBins(),
        io.anw.audio.KaldiFbank.Window.HANNING);
    int depth = wav2vec2 != null ? wav2vec2.depth() : whisper != null ? whisper.depth()
        : ast.depth();
    this.depth = depth;
    List<String> names = new java.util.ArrayList<>();
    if (ast == null) {
      names.add(HookNames.CONV_FEATURES);
    }
    names.addAll(HookNames.vit(depth));
    this.hookNames = List.copyOf(names);
  }

  /**
   * Loads the folder {@code dir} (or an OpenAI Whisper {@code .pt} file).
   *
   * @throws WorkbenchException naming the folder or file and what is wrong
   */
  public static HfAudioModel load(Path dir) {
    HfAudioConfig cfg;
    TensorTree tree;
    if (java.nio.file.Files.isRegularFile(dir)) {
      tree = TensorFiles.read(dir);
      cfg = HfAudioConfig.ofWhisperCheckpoint(dir, tree.metadataText());
      if (cfg == null) {
        throw new WorkbenchException(dir + ": not an OpenAI Whisper checkpoint (no dims); a "
            + "Hugging Face model is a folder with config.json");
      }
    } else {
      cfg = HfAudioConfig.read(dir);
      tree = TensorFiles.read(cfg.weights());
    }
    if (!cfg.activation().equals("gelu")) {
      throw new WorkbenchException((java.nio.file.Files.isDirectory(dir) ? dir.resolve(
          "config.json") : dir) + ": activation '" + cfg.activation() + "'; the blocks run the "
          + "exact GELU ('gelu') only");
    }
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
      int skipped = 0;
      for (Map.Entry<String, Tensor> e : tree.tensors().entrySet()) {
        String key = e.getKey();
        if (!key.startsWith(prefix) || cfg.family() == HfAudioConfig.Family.WHISPER
            && !key.startsWith(prefix + "encoder.")) {
          skipped++;
          continue; // a wrapper's head, Whisper's decoder
        }
        NDArray a = e.getValue().toNDArray(staging);
        if (a.getDataType() != DataType.FLOAT32) {
          a = a.toType(DataType.FLOAT32, false);
        }
        p.put(key.substring(prefix.length()), io.anw.TorchArrays.copy(a, owned));
      }
      float eps = (float) cfg.layerNormEps();
      List<String> notes = new java.util.ArrayList<>();
      if (!prefix.isEmpty()) {
        notes.add("encoder weights under '" + prefix + "' (" + String.join(", ",
            cfg.architectures()) + "): the prefix stripped");
      }
      if (skipped > 0) {
        notes.add(skipped + " tensors outside the encoder left out (task heads, Whisper's "
            + "decoder)");
      }
      HfAudioModel model = switch (cfg.family()) {
        case HUBERT, WAV2VEC2 -> new HfAudioModel(cfg, dir, owned, p, Wav2vec2Encoder.of(p,
            cfg.heads(), cfg.convStrides(), cfg.featureNorm(), cfg.preNorm(), eps,
            cfg.positionGroups()), null, null);
        case WHISPER -> new HfAudioModel(cfg, dir, owned, p, null,
            WhisperEncoder.of(p, cfg.heads()), null);
        case AST -> new HfAudioModel(cfg, dir, owned, p, null, null, AstEncoder.of(p,
            cfg.heads(), eps, cfg.patchStrides()[0], cfg.patchStrides()[1]));
      };
      model.notes = List.copyOf(notes);
      return model;
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
   * {@code max_length} frames; every token, padding included; in {@code m}.
   */
  public NDArray encode(io.anw.audio.Clip clip, NDManager m) {
    float[] x = input(clip)[0];
    return lastHiddenState(familyInput(new float[][] {x}, 0, x.length, m)).squeeze(0);
  }

  /**
   * The encoder's input for samples {@code [from, to)} of each waveform row (one chunk): the
   * waveform {@code [rows, n]}, Whisper's log-mel {@code [rows, mels, frames]} of the samples
   * zero-padded to the input length, or AST's normalised fbank {@code [rows, frames, bins]}
   * zero-padded or cut to {@code max_length} frames.
   */
  private NDArray familyInput(float[][] rows, int from, int to, NDManager m) {
    int n = to - from;
    switch (config.family()) {
      case HUBERT, WAV2VEC2 -> {
        float[] flat = new float[rows.length * n];
        for (int r = 0; r < rows.length; r++) {
          System.arraycopy(rows[r], from, flat, r * n, n);
        }
        return io.anw.TorchArrays.of(m, flat, new ai.djl.ndarray.types.Shape(rows.length, n));
      }
      case WHISPER -> {
        int frames = config.inputFrames();
        int bins = config.melBins();
        float[] flat = new float[rows.length * bins * frames];
        for (int r = 0; r < rows.length; r++) {
          float[] chunk = new float[frames * 160];
          System.arraycopy(rows[r], from, chunk, 0, Math.min(n, chunk.length));
          float[][] mel = whisperMel.compute(chunk);
          for (int b = 0; b < bins; b++) {
            System.arraycopy(mel[b], 0, flat, (r * bins + b) * frames, frames);
          }
        }
        return io.anw.TorchArrays.of(m, flat,
            new ai.djl.ndarray.types.Shape(rows.length, bins, frames));
      }
      default -> {
        int bins = config.melBins();
        int frames = config.inputFrames();
        float[] flat = new float[rows.length * frames * bins]; // [rows, frames, bins]
        float pad = -pre.mean() / (2 * pre.std()); // zero fbank, normalised
        java.util.Arrays.fill(flat, pad);
        for (int r = 0; r < rows.length; r++) {
          float[][] fb = fbank.compute(java.util.Arrays.copyOfRange(rows[r], from, to));
          for (int t = 0; t < Math.min(frames, fb[0].length); t++) {
            for (int b = 0; b < bins; b++) {
              flat[(r * frames + t) * bins + b] = (fb[b][t] - pre.mean()) / (2 * pre.std());
            }
          }
        }
        return io.anw.TorchArrays.of(m, flat,
            new ai.djl.ndarray.types.Shape(rows.length, frames, bins));
      }
    }
  }

  /**
   * The encoder's input of equal-length prepared waveform rows (each at most one chunk,
   * {@link #chunkSamples()}): the waveform {@code [rows, n]}, Whisper's log-mel
   * {@code [rows, mels, frames]} or AST's normalised fbank {@code [rows, frames, bins]}, in
   * {@code m}, as a forward pass builds it.
   *
   * @throws WorkbenchException for rows of unequal length or longer than a chunk
   */
  public NDArray familyInput(float[][] rows, NDManager m) {
    int n = rows[0].length;
    for (float[] r : rows) {
      if (r.length != n || n > chunkSamples()) {
        throw new WorkbenchException(name() + ": encoder input rows must be of equal length, at"
            + " most " + chunkSamples() + " samples");
      }
    }
    return familyInput(rows, 0, n, m);
  }

  /**
   * The last hidden state {@code [batch, tokens, width]} of an encoder input
   * ({@link #familyInput}), leaving the grad mode as the caller set it: inside a gradient
   * collector, parameters that require gradients ({@link #parameters()}) record the graph, so a
   * loss on the states can train them. In the input's manager.
   */
  public NDArray hiddenStates(NDArray familyInput) {
    return forward(familyInput, HookRun.IDLE);
  }

  /**
   * The parameters the encoder runs on, by their names in the folder without the wrapper's
   * prefix (heads and Whisper's decoder are not among them): live arrays, so training them in
   * place changes this model. The weights' hash is taken once, on first use.
   */
  public Map<String, NDArray> parameters() {
    return params;
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
    return config.family().modelType() + " model " + name() + ": " + config.depth()
        + " blocks, width " + config.width() + ", neurons " + config.depth() + " x "
        + config.mlpDim() + "; reads " + frontEndProvenance().get("preset") + ", counts "
        + defaultTokens() + " tokens by default";
  }

  @Override
  public String name() {
    Path f = source.getFileName();
    return f == null ? source.toString() : f.toString();
  }

  @Override
  public java.util.Optional<Path> source() {
    return java.util.Optional.of(source);
  }

  @Override
  public String weightsSha256() {
    String h = weightsSha256;
    if (h == null) {
      h = WeightsHash.sha256(params);
      weightsSha256 = h;
    }
    return h;
  }

  @Override
  public List<String> notes() {
    return notes;
  }

  @Override
  public List<String> hookNames() {
    return hookNames;
  }

  @Override
  public int layers() {
    return depth;
  }

  @Override
  public int neuronsPerLayer() {
    return config.mlpDim();
  }

  /** The input unchanged: the waveform was prepared by {@link #input}. */
  @Override
  public NDArray normalize(NDArray input) {
    return input;
  }

  @Override
  public int sampleRate() {
    return 16000;
  }

  /** The waveform's samples: the input's frames are samples. */
  @Override
  public int inputFrames(long samples) {
    return (int) Math.min(Integer.MAX_VALUE - 1, samples);
  }

  /** Whole recordings: the waveform is held (and normalised) whole. */
  @Override
  public int segmentFrames() {
    return Integer.MAX_VALUE;
  }

  /**
   * The clip at 16 kHz, {@code [1][samples]}, normalised to zero mean and unit variance when
   * the feature extractor says {@code do_normalize}.
   *
   * @throws WorkbenchException naming the clip when it is shorter than one analysis window
   */
  @Override
  public float[][] input(io.anw.audio.Clip clip) {
    float[] x = io.anw.audio.Resampler.resample(clip.samples(), clip.sampleRate(), 16000);
    return new float[][] {prepare(x, clip.source())};
  }

  private float[] prepare(float[] x, Path file) {
    int least = config.family() == HfAudioConfig.Family.WHISPER ? 1 : 400;
    if (x.length < least) {
      throw new WorkbenchException((file == null ? "audio" : file.toString()) + ": "
          + x.length + " samples at 16 kHz; " + name() + " needs at least " + least);
    }
    if (!pre.normalizeWaveform()) {
      return x;
    }
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
    return z;
  }

  /** The stream read whole, resampled to 16 kHz and prepared as {@link #input}, in blocks. */
  @Override
  public InputFrames frames(io.anw.audio.AudioStream in) {
    float[] x;
    try (io.anw.audio.AudioStream at = io.anw.audio.Resampler.stream(in, 16000)) {
      x = prepare(at.readAll(), in.source());
    }
    float[] all = x;
    return new InputFrames() {
      private int done;

      @Override
      public float[][] next(int max) {
        if (done >= all.length) {
          return null;
        }
        int k = Math.min(max, all.length - done);
        float[][] out = {java.util.Arrays.copyOfRange(all, done, done + k)};
        done += k;
        return out;
      }

      @Override
      public int total() {
        return all.length;
      }

      @Override
      public int done() {
        return done;
      }

      @Override
      public double seconds() {
        return all.length / 16000.0;
      }

      @Override
      public void close() {
        in.close();
      }
    };
  }

  /**
   * {@code preset}: {@code waveform-16k}, {@code whisper-log-mel-<bins>} or
   * {@code kaldi-fbank-<bins>x<frames>}; {@code norm_stats}: {@code per-clip} or {@code none}
   * (waveform), {@code whisper} (log10, clamp to max - 8, (x + 4) / 4), or AST's
   * {@code mean,std}.
   */
  @Override
  public Map<String, String> frontEndProvenance() {
    Map<String, String> p = new LinkedHashMap<>();
    switch (config.family()) {
      case HUBERT, WAV2VEC2 -> {
        p.put("preset", "waveform-16k");
        p.put("norm_stats", pre.normalizeWaveform() ? "per-clip" : "none");
      }
      case WHISPER -> {
        p.put("preset", "whisper-log-mel-" + config.melBins());
        p.put("norm_stats", "whisper");
      }
      case AST -> {
        p.put("preset", "kaldi-fbank-" + config.melBins() + "x" + config.inputFrames());
        p.put("norm_stats", pre.mean() + "," + pre.std());
      }
    }
    return p;
  }

  /** {@code audio} for Whisper and AST (their inputs are padded), else {@code all}. */
  @Override
  public TokenGroup defaultTokens() {
    return switch (config.family()) {
      case WHISPER, AST -> TokenGroup.AUDIO;
      default -> TokenGroup.ALL;
    };
  }

  /** Samples per chunk: 30 s of waveform or Whisper input, AST's {@code max_length} frames. */
  public int chunkSamples() {
    return switch (config.family()) {
      case HUBERT, WAV2VEC2 -> WAVEFORM_CHUNK;
      case WHISPER -> config.inputFrames() * 160;
      case AST -> (config.inputFrames() - 1) * 160 + 400;
    };
  }

  /**
   * Samples (16 kHz) between consecutive tokens along time: the feature encoder's hop (320) for
   * wav2vec 2.0 / HuBERT, two log-mel hops (320) for Whisper, the time stride times the fbank
   * shift (1600) for AST.
   */
  public int tokenHop() {
    return switch (config.family()) {
      case HUBERT, WAV2VEC2 -> wav2vec2.featureEncoder().hop();
      case WHISPER -> 2 * 160;
      case AST -> ast.timeStride() * 160;
    };
  }

  /**
   * Samples (16 kHz) one token's own input spans: the feature encoder's receptive field (400)
   * for wav2vec 2.0 / HuBERT; Whisper's 20 ms (its convolutions also see the 10 ms either
   * side); the frames of an AST patch ({@code (patchFrames - 1) · 160 + 400}).
   */
  public int tokenSamples() {
    return switch (config.family()) {
      case HUBERT, WAV2VEC2 -> wav2vec2.featureEncoder().receptiveField();
      case WHISPER -> 2 * 160;
      case AST -> (patchGrid().orElseThrow().patchFrames() - 1) * 160 + 400;
    };
  }

  /** AST's patch grid over its input fbank; empty for the other families. */
  public java.util.Optional<PatchGrid> patchGrid() {
    return ast == null ? java.util.Optional.empty()
        : java.util.Optional.of(ast.patchGrid(config.melBins(), config.inputFrames()));
  }

  /** The chunks a waveform of {@code samples} samples is run in. */
  public ChunkPlan plan(int samples) {
    return ChunkPlan.of(samples, chunkSamples(), 1);
  }

  /**
   * {@inheritDoc} Whisper: {@code audio} = the first {@code ceil(f / 2)} tokens, f the input
   * frames covering the chunk's samples; AST: {@code cls} [0, 1), {@code dist} [1, 2),
   * {@code audio} [2, tokens) (every patch; {@link #tokenPositions} gives those covering audio);
   * wav2vec 2.0 / HuBERT: {@code audio} = every frame.
   */
  @Override
  public int[] tokenRange(TokenGroup group, ChunkPlan.Chunk chunk, long tokens) {
    if (group == TokenGroup.ALL) {
      return new int[] {0, (int) tokens};
    }
    boolean isAst = config.family() == HfAudioConfig.Family.AST;
    if (group == TokenGroup.TEXT || !isAst && group != TokenGroup.AUDIO) {
      throw new WorkbenchException(name() + " (" + config.family().modelType() + ") has no "
          + group + " tokens; its groups are all, audio" + (isAst ? ", cls, dist" : ""));
    }
    if (isAst) {
      return switch (group) {
        case CLS -> new int[] {0, 1};
        case DIST -> new int[] {1, 2};
        default -> new int[] {2, (int) tokens};
      };
    }
    if (config.family() == HfAudioConfig.Family.WHISPER) {
      int f = Math.min(config.inputFrames(),
          io.anw.audio.WhisperLogMel.audioFrames(chunk.end() - chunk.start()));
      return new int[] {0, (int) Math.min(tokens, (f + 1) / 2)};
    }
    return new int[] {0, (int) tokens};
  }

  /** {@inheritDoc} AST's {@code audio}: the patches whose first frame covers audio. */
  @Override
  public int[] tokenPositions(TokenGroup group, ChunkPlan.Chunk chunk, long tokens) {
    if (group != TokenGroup.AUDIO || config.family() != HfAudioConfig.Family.AST) {
      return AudioModel.super.tokenPositions(group, chunk, tokens);
    }
    int[] grid = ast.grid(config.melBins(), config.inputFrames());
    int fDim = grid[0];
    int tDim = grid[1];
    int ts = ast.timeStride();
    int valid = Math.min(config.inputFrames(), fbank.frames(chunk.end() - chunk.start()));
    int tValid = Math.min(tDim, (valid + ts - 1) / ts);
    int[] out = new int[fDim * tValid];
    int k = 0;
    for (int f = 0; f < fDim; f++) {
      for (int t = 0; t < tValid; t++) {
        out[k++] = 2 + f * tDim + t;
      }
    }
    return out;
  }

  /** The audio tokens (and AST's CLS and distillation tokens). */
  @Override
  public int[] sweepPositions(ChunkPlan.Chunk chunk, long tokens) {
    int[] audio = tokenPositions(TokenGroup.AUDIO, chunk, tokens);
    if (config.family() != HfAudioConfig.Family.AST) {
      return audio;
    }
    int[] out = new int[audio.length + 2];
    out[1] = 1;
    System.arraycopy(audio, 0, out, 2, audio.length);
    return out;
  }

  /** {@code t<i>} (frame i), or for AST {@code CLS}, {@code DIST}, {@code f<f>.t<t>}. */
  @Override
  public String tokenLabel(int position, ChunkPlan.Chunk chunk) {
    if (config.family() != HfAudioConfig.Family.AST) {
      return "t" + position;
    }
    if (position < 2) {
      return position == 0 ? "CLS" : "DIST";
    }
    int tDim = ast.grid(config.melBins(), config.inputFrames())[1];
    return "f" + (position - 2) / tDim + ".t" + (position - 2) % tDim;
  }

  /**
   * {@inheritDoc}
   *
   * <p>The input is the prepared 16 kHz waveform: {@code [samples]}, {@code [1, samples]} or
   * {@code [batch, 1, samples]}.
   */
  @Override
  public ActivationCache run(NDArray input, Hooks hooks, String... cacheNames) {
    io.anw.GradMode.disableOnCurrentThread();
    List<String> points = hooks.pointNames(hookNames);
    Map<String, Hook> resolved = hooks.resolve(points);
    java.util.Set<String> cached = cacheNames.length == 0 ? java.util.Set.of()
        : HookPattern.selectAll(points, cacheNames);
    ai.djl.ndarray.types.Shape s = input.getShape();
    boolean ok = s.dimension() == 1 || s.dimension() == 2 && s.get(0) == 1
        || s.dimension() == 3 && s.get(1) == 1;
    if (!ok) {
      throw new WorkbenchException("model input has shape " + s + "; " + name()
          + " reads 16 kHz waveforms [samples], [1, samples] or [batch, 1, samples]");
    }
    int batch = s.dimension() == 3 ? (int) s.get(0) : 1;
    int samples = (int) s.get(s.dimension() - 1);
    float[] flat = (input.getDataType() == DataType.FLOAT32 ? input
        : input.toType(DataType.FLOAT32, false)).toFloatArray();
    ChunkPlan plan = plan(samples);
    NDManager result = runs.newSubManager();
    try {
      HookRun run = new HookRun(resolved, cached, hooks.splices(), result);
      ai.djl.ndarray.NDList features = new ai.djl.ndarray.NDList();
      ai.djl.ndarray.NDList pooled = new ai.djl.ndarray.NDList();
      for (List<ChunkPlan.Chunk> group : plan.groups(Math.max(1, MAX_ROWS / batch))) {
        run.group(group, plan.chunks().size(), batch);
        try (NDManager scope = runs.newSubManager()) {
          run.scope(scope);
          float[][] rows = new float[group.size() * batch][]; // chunk-major [g·B]
          int n = group.get(0).end() - group.get(0).start();
          for (int g = 0; g < group.size(); g++) {
            for (int b = 0; b < batch; b++) {
              int at = b * samples + group.get(g).start();
              rows[g * batch + b] = java.util.Arrays.copyOfRange(flat, at, at + n);
            }
          }
          NDArray out = forward(familyInput(rows, 0, n, scope), run);
          for (int g = 0; g < group.size(); g++) {
            NDArray chunkOut = out.get(new ai.djl.ndarray.index.NDIndex("{}:{}",
                (long) g * batch, (long) (g + 1) * batch));
            NDArray audio = pick(chunkOut, tokenPositions(TokenGroup.AUDIO, group.get(g),
                chunkOut.getShape().get(1)));
            NDArray summary = config.family() == HfAudioConfig.Family.AST
                ? chunkOut.get(":, 0:2, :").mean(new int[] {1}, true)
                : audio.mean(new int[] {1}, true);
            audio.attach(result);
            summary.attach(result);
            features.add(audio);
            pooled.add(summary);
          }
        }
      }
      return new ActivationCache(result, run.cached(), new ModelOutput(result,
          join(features), join(pooled), plan));
    } catch (RuntimeException e) {
      result.close();
      throw e;
    }
  }

  /** Tokens at {@code positions} of {@code x [batch, tokens, width]}, as runs of slices. */
  private static NDArray pick(NDArray x, int[] positions) {
    if (positions.length == 0) {
      throw new WorkbenchException("no token covers audio in this chunk");
    }
    ai.djl.ndarray.NDList runs = new ai.djl.ndarray.NDList();
    int from = 0;
    for (int i = 1; i <= positions.length; i++) {
      if (i == positions.length || positions[i] != positions[i - 1] + 1) {
        runs.add(x.get(new ai.djl.ndarray.index.NDIndex(":, {}:{}, :", positions[from],
            positions[i - 1] + 1)));
        from = i;
      }
    }
    return runs.size() == 1 ? runs.get(0) : ai.djl.ndarray.NDArrays.concat(runs, 1);
  }

  private static NDArray join(ai.djl.ndarray.NDList parts) {
    return parts.size() == 1 ? parts.get(0) : ai.djl.ndarray.NDArrays.concat(parts, 1);
  }

  private NDArray forward(NDArray x, HookRun run) {
    if (wav2vec2 != null) {
      return wav2vec2.forward(x, run);
    }
    return whisper != null ? whisper.forward(x, run) : ast.forward(x, run);
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
    return forward(input, HookRun.IDLE);
  }

  @Override
  public void close() {
    weights.close();
  }
}
