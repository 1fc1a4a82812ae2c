package io.anw.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.anw.WorkbenchException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The M2D audio ViT, run exactly as M2D's portable runtime ({@code encode_lms}): a one-channel
 * patch embedding conv flattened frequency-major, {@code pos_embed[:, 1:]} sliced to the used
 * time patches, {@code cls_token + pos_embed[:, :1]} prepended, pre-norm blocks, final norm;
 * long inputs in chunks of the unit length, features {@code b (f t) d -> b t (f d)} joined in
 * time.
 *
 * <p>Weights live in a capped manager of their own; every forward pass runs in sub-managers
 * closed at the end of each block and pass, so repeated runs do not grow native memory.
 * Consecutive equal-length chunks of an input run stacked in one pass (see
 * {@link #MAX_BATCH_ROWS}).
 */
public final class M2dViT implements AudioModel {
  private static final NDIndex ALL = new NDIndex(":");

  /**
   * Most rows (clips × chunks) of one forward pass: equal-length chunks of an input run
   * together, up to this many rows (at least one chunk per pass).
   */
  public static final int MAX_BATCH_ROWS = 16;

  private final ModelConfig config;
  private final VitDims dims;
  private final NormStats normStats;
  private final List<String> notes;
  private final List<String> hookNames;
  private final NDManager root;
  private final NDManager runs;
  private final VitEncoder encoder;
  private final TextPathway text;
  private final Map<String, NDArray> weightsByName;
  private volatile java.nio.file.Path source;
  private volatile String weightsSha256;

  private M2dViT(ModelConfig config, VitDims dims, NormStats normStats, List<String> notes,
      Map<String, NDArray> params, TextVocabulary vocabulary, NDManager parent) {
    this.config = config;
    this.dims = dims;
    this.normStats = normStats;
    this.notes = List.copyOf(notes);
    this.hookNames = vocabulary == null ? HookNames.vit(dims.depth())
        : HookNames.audioText(dims.depth());
    this.root = parent == null ? NDManager.newBaseManager() : parent.newSubManager();
    NDManager weights = root.newSubManager();
    this.runs = root.newSubManager();
    Map<String, NDArray> w = new HashMap<>();
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      // a real copy in PyTorch memory (toType to the same type would alias the caller's array,
      // which may wrap a Java buffer that is freed when the caller closes it)
      NDArray v = e.getValue();
      NDArray copy = v.getDataType() == DataType.FLOAT32 ? v.duplicate()
          : v.toType(DataType.FLOAT32, false);
      copy.attach(weights);
      w.put(e.getKey(), copy);
    }
    encoder = new VitEncoder(w, dims);
    text = vocabulary == null ? null
        : new TextPathway(w.get(TextPathway.EMBED), w.get(TextPathway.POSITIONS), vocabulary);
    weightsByName = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(w));
    if (weights instanceof BaseNDManager base) {
      base.cap();
    }
  }

  /**
   * Builds the model from a flattened checkpoint (see {@link M2dStateDict} for the accepted
   * key layouts). The tensors are copied as float32 into the model; the caller keeps and
   * closes the originals.
   *
   * @param tensors flattened keys to tensors, e.g. {@code blocks.0.mlp.fc1.weight}
   * @param config sizes not in the tensors (unit length, heads, norm stats)
   * @param parent the manager the model's own manager is made under; null for a base manager
   * @throws WorkbenchException listing missing or unknown keys, or naming a wrong shape
   */
  public static M2dViT fromStateDict(Map<String, NDArray> tensors, ModelConfig config,
      NDManager parent) {
    return fromStateDict(tensors, config, null, parent);
  }

  /**
   * Builds the model as {@link #fromStateDict(Map, ModelConfig, NDManager)}; a checkpoint with
   * {@code text_embed.weight} and {@code text_pos_embed} gets a {@link TextPathway} reading
   * {@code vocabulary} (null: numbered tokens, with a note).
   *
   * @throws WorkbenchException also when the text entries do not fit the encoder or vocabulary
   */
  public static M2dViT fromStateDict(Map<String, NDArray> tensors, ModelConfig config,
      TextVocabulary vocabulary, NDManager parent) {
    return fromStateDict(tensors, config, vocabulary, parent, List.of());
  }

  /** {@link #fromStateDict(Map, ModelConfig, TextVocabulary, NDManager)} with notes of the loader. */
  static M2dViT fromStateDict(Map<String, NDArray> tensors, ModelConfig config,
      TextVocabulary vocabulary, NDManager parent, List<String> loaderNotes) {
    M2dStateDict sd = M2dStateDict.normalise(tensors);
    Map<String, Shape> shapes = new LinkedHashMap<>();
    sd.params().forEach((k, v) -> shapes.put(k, v.getShape()));
    List<String> notes = new ArrayList<>(loaderNotes);
    notes.addAll(sd.notes());
    Checked checked = check(shapes, config, vocabulary);
    VitDims dims = checked.dims();
    TextVocabulary vocab = checked.vocabulary();
    notes.addAll(checked.notes());
    NormStats stats = config.normStats() != null ? config.normStats()
        : sd.normStats() != null ? sd.normStats() : NormStats.DEFAULT;
    if (config.normStats() == null && sd.normStats() == null) {
      notes.add("no norm_stats in the checkpoint; using the default [-7.1, 4.2]");
    }
    return new M2dViT(config, dims, stats, notes, sd.params(), vocab, parent);
  }

  /**
   * What a checkpoint's shapes say before any weight is read: the sizes, the text vocabulary
   * (given, or numbered when the checkpoint has a text pathway but no vocabulary) and notes.
   */
  record Checked(VitDims dims, TextVocabulary vocabulary, List<String> notes) {}

  /**
   * Checks encoder (and text pathway) shapes by timm name, as a checkpoint's headers give them.
   *
   * @throws WorkbenchException listing missing or unknown keys, or naming a wrong shape
   */
  static Checked check(Map<String, Shape> shapes, ModelConfig config,
      TextVocabulary vocabulary) {
    Map<String, Shape> encoder = new LinkedHashMap<>();
    Map<String, Shape> textShapes = new LinkedHashMap<>();
    shapes.forEach((k, v) -> (TextPathway.isKey(k) ? textShapes : encoder).put(k, v));
    VitDims dims = VitDims.infer(encoder, config);
    List<String> notes = new ArrayList<>();
    TextVocabulary vocab = null;
    if (!textShapes.isEmpty()) {
      TextPathway.check(textShapes, dims.width(), vocabulary, config.name());
      vocab = vocabulary;
      if (vocab == null) {
        vocab = TextVocabulary.numbered((int) textShapes.get(TextPathway.EMBED).get(0));
        notes.add("text pathway without a vocabulary; tokens are numbered t2..t"
            + (vocab.size() - 1));
      }
    } else if (vocabulary != null) {
      throw new WorkbenchException(config.name() + ": a vocabulary was given but the checkpoint"
          + " has no text pathway (" + TextPathway.EMBED + ")");
    }
    return new Checked(dims, vocab, notes);
  }

  /**
   * A model of the given sizes with random weights (normal, std 0.02; LayerNorms 1 and 0),
   * for benchmarks and demonstrations.
   *
   * @param config unit length ({@code 0} = 208 frames), patch size ({@code 0} = 16×16), heads
   * @param depth transformer blocks
   * @param width embedding width
   * @param mlpDim MLP units per block
   * @param seed random seed
   * @param parent the manager the model's own manager is made under; null for a base manager
   */
  public static M2dViT random(ModelConfig config, int depth, int width, int mlpDim, long seed,
      NDManager parent) {
    int pf = config.patchFreq() == 0 ? 16 : config.patchFreq();
    int pt = config.patchTime() == 0 ? 16 : config.patchTime();
    int unit = config.unitFrames() == 0 ? ModelConfig.DEFAULT_UNIT_FRAMES : config.unitFrames();
    int heads = config.heads() == 0 ? Math.max(1, width / 64) : config.heads();
    ModelConfig cfg = new ModelConfig(config.name(), config.melBins(), unit, pf, pt, heads,
        config.normStats(), config.preset());
    VitDims dims = new VitDims(depth, width, heads, mlpDim, cfg.melBins(), pf, pt, unit,
        unit / pt);
    Engine.getInstance().setRandomSeed((int) seed);
    try (NDManager tmp = NDManager.newBaseManager()) {
      Map<String, NDArray> sd = new LinkedHashMap<>();
      dims.expectedShapes().forEach((k, shape) -> sd.put(k, k.contains("norm")
          ? (k.endsWith("weight") ? tmp.ones(shape) : tmp.zeros(shape))
          : tmp.randomNormal(0f, 0.02f, shape, DataType.FLOAT32)));
      return fromStateDict(sd, cfg, parent);
    }
  }

  /**
   * {@code model} as an M2D ViT, for the experiments that read M2D's patch grid (listening,
   * top activations, the explorer, grounding coefficients).
   *
   * @param what the experiment, for the message
   * @throws WorkbenchException naming the model's family when it is not M2D
   */
  public static M2dViT require(AudioModel model, String what) {
    if (model instanceof M2dViT m) {
      return m;
    }
    throw new WorkbenchException(what + " reads M2D's patch grid; " + model.name()
        + " is not an M2D model (count, aape, ablate, patch, embed and sae run on it)");
  }

  /**
   * The model's weights by their M2D names ({@code blocks.0.mlp.fc1.weight}, ...), float32,
   * owned by the model: read them, do not close or change them.
   */
  public Map<String, NDArray> stateDict() {
    return weightsByName;
  }

  /** The checkpoint file the model was loaded from, if any. */
  @Override
  public java.util.Optional<java.nio.file.Path> source() {
    return java.util.Optional.ofNullable(source);
  }

  /** Records the file the model was read from (the loader's business). */
  void source(java.nio.file.Path file) {
    this.source = file;
  }

  /**
   * SHA-256 (hex) of the model's weights: names, shapes and float32 bytes in name order. The
   * same weights give the same hash whatever file (or format) they came from; computed once.
   */
  @Override
  public String weightsSha256() {
    String h = weightsSha256;
    if (h == null) {
      h = WeightsHash.sha256(weightsByName);
      weightsSha256 = h;
    }
    return h;
  }

  /** The text pathway of an audio-text model, or empty for an audio-only one. */
  @Override
  public java.util.Optional<TextPathway> textPathway() {
    return java.util.Optional.ofNullable(text);
  }

  /** The config the model was built with. */
  public ModelConfig config() {
    return config;
  }

  /** The model's sizes. */
  public VitDims dims() {
    return dims;
  }

  /**
   * The log-mel front end this model reads ({@code m2d-16k} unless its config or checkpoint
   * says otherwise): every path that turns audio into this model's input asks for it.
   */
  public io.anw.audio.LogMelPreset preset() {
    return config.preset() == null ? io.anw.audio.LogMelPreset.M2D_16K : config.preset();
  }

  /** The log-mel normalisation this model expects. */
  public NormStats normStats() {
    return normStats;
  }

  /** What loading set aside or assumed, one line each. */
  @Override
  public List<String> notes() {
    return notes;
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public List<String> hookNames() {
    return hookNames;
  }

  @Override
  public int layers() {
    return dims.depth();
  }

  @Override
  public int neuronsPerLayer() {
    return dims.mlpDim();
  }

  @Override
  public NDArray normalize(NDArray logMel) {
    return logMel.sub(normStats.mean()).div(normStats.std());
  }

  /**
   * {@inheritDoc} A chunk of T time patches has {@code [CLS, F·T patches, caption tokens]}.
   *
   * @throws WorkbenchException for {@code text} on an audio-only model, or a token count that
   *     does not fit the chunk
   */
  @Override
  public int[] tokenRange(TokenGroup group, ChunkPlan.Chunk chunk, long tokens) {
    int patches = dims.freqPatches() * chunk.timePatches();
    if (tokens < 1 + patches) {
      throw new WorkbenchException(name() + ": " + tokens + " tokens cannot hold CLS and "
          + patches + " patches; token groups apply to block hook points");
    }
    if (group == TokenGroup.TEXT && text == null) {
      throw new WorkbenchException(name() + " reads no text: it has no text tokens");
    }
    if (group == TokenGroup.DIST) {
      throw new WorkbenchException(name() + " has no distillation token (AST has one)");
    }
    return switch (group) {
      case DIST -> throw new IllegalStateException();
      case ALL -> new int[] {0, (int) tokens};
      case CLS -> new int[] {0, 1};
      case AUDIO -> new int[] {1, 1 + patches};
      case TEXT -> new int[] {1 + patches, (int) tokens};
    };
  }

  @Override
  public int sampleRate() {
    return preset().sampleRate();
  }

  @Override
  public int inputFrames(long samples) {
    return preset().frames((int) Math.min(Integer.MAX_VALUE - 1, samples));
  }

  /** {@link #MAX_BATCH_ROWS} units: a whole number of chunks, run as one forward pass. */
  @Override
  public int segmentFrames() {
    return dims.unitFrames() * MAX_BATCH_ROWS;
  }

  /** The {@link #preset()} log-mel of the clip normalised with {@link #normStats()}. */
  @Override
  public float[][] input(io.anw.audio.Clip clip) {
    return io.anw.audio.LogMel.normalise(new io.anw.audio.LogMel(preset()).compute(clip),
        normStats.mean(), normStats.std());
  }

  /** The normalised log-mel of a stream, frame block by frame block. */
  @Override
  public InputFrames frames(io.anw.audio.AudioStream in) {
    io.anw.audio.LogMel.Frames f = new io.anw.audio.LogMel(preset()).frames(in);
    float mean = normStats.mean();
    float std = normStats.std();
    return new InputFrames() {
      @Override
      public float[][] next(int max) {
        float[][] x = f.next(max);
        return x == null ? null : io.anw.audio.LogMel.normalise(x, mean, std);
      }

      @Override
      public int total() {
        return f.total();
      }

      @Override
      public int done() {
        return f.done();
      }

      @Override
      public double seconds() {
        return f.seconds();
      }

      @Override
      public void close() {
        f.close();
      }
    };
  }

  /** {@code preset} = the log-mel preset's name, {@code norm_stats} = {@code mean,std}. */
  @Override
  public Map<String, String> frontEndProvenance() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("preset", preset().name());
    p.put("norm_stats", normStats.mean() + "," + normStats.std());
    return p;
  }

  /** The chunks an input of this many frames is run in. */
  public ChunkPlan plan(int frames) {
    return ChunkPlan.of(frames, dims.unitFrames(), dims.patchTime());
  }

  /**
   * {@inheritDoc}
   *
   * <p>An audio-text model run on audio alone reads no caption (all {@code <pad>} tokens).
   */
  @Override
  public ActivationCache run(NDArray input, Hooks hooks, String... cacheNames) {
    return run(input, null, hooks, cacheNames);
  }

  /** {@code [audio]}, or {@code [audio, text]} for a model with a text pathway. */
  @Override
  public List<String> inputParts() {
    return text == null ? List.of(PartedInput.AUDIO) : List.of(PartedInput.AUDIO,
        PartedInput.TEXT);
  }

  /**
   * Runs on named parts: {@code audio}, a normalised log-mel as for
   * {@link #run(NDArray, Hooks, String...)}, and for audio-text models {@code text}, token ids
   * {@code [batch, tokens]} (or {@code [tokens]} for one input), int64, at most
   * {@link TextPathway#length()} tokens (see {@link TextPathway#encode}). An audio-text model
   * given the audio part alone reads no caption, as {@link #run(NDArray, Hooks, String...)}.
   */
  @Override
  public ActivationCache run(PartedInput input, Hooks hooks, String... cacheNames) {
    if (text != null && input.names().equals(List.of(PartedInput.AUDIO))) {
      return run(input.part(PartedInput.AUDIO), null, hooks, cacheNames);
    }
    input.requireParts(inputParts(), name());
    return run(input.part(PartedInput.AUDIO),
        text == null ? null : input.part(PartedInput.TEXT), hooks, cacheNames);
  }

  private ActivationCache run(NDArray input, NDArray textIds, Hooks hooks,
      String... cacheNames) {
    List<String> points = hooks.pointNames(hookNames);
    Map<String, Hook> resolved = hooks.resolve(points);
    Set<String> cached = cacheNames.length == 0 ? Set.of()
        : HookPattern.selectAll(points, cacheNames);
    Shape shape = inputShape(input);
    int batch = (int) shape.get(0);
    ChunkPlan plan = plan((int) shape.get(3));
    NDManager result = runs.newSubManager();
    try {
      NDArray ids = text == null ? null : textIds == null ? text.none(batch, result)
          : text.checkIds(textIds, batch, name());
      HookRun run = new HookRun(resolved, cached, hooks.splices(), result);
      NDList features = new NDList();
      NDList cls = new NDList();
      for (List<ChunkPlan.Chunk> group : plan.groups(Math.max(1, MAX_BATCH_ROWS / batch))) {
        run.group(group, plan.chunks().size(), batch);
        try (NDManager scope = runs.newSubManager()) {
          NDArray out = forwardGroup(stackChunks(input, shape, group, scope), ids, group, run,
              scope);
          long g = group.size();
          int tp = group.get(0).timePatches();
          long patches = (long) dims.freqPatches() * tp;
          // rows are chunk-major [g·B]; time of chunk i follows chunk i-1
          NDArray groupCls = out.get(":, 0, :").reshape(g, batch, dims.width())
              .transpose(1, 0, 2).reshape(batch, g, dims.width());
          NDArray groupFeatures = out.get(new NDIndex(":, 1:{}, :", 1 + patches))
              .reshape(g, batch, dims.freqPatches(), tp, dims.width())
              .transpose(1, 0, 3, 2, 4)
              .reshape(batch, g * tp, dims.featureWidth());
          groupCls.attach(result);
          groupFeatures.attach(result);
          cls.add(groupCls);
          features.add(groupFeatures);
        }
      }
      NDArray allFeatures = join(features);
      NDArray allCls = join(cls);
      return new ActivationCache(result, run.cached(),
          new ModelOutput(result, allFeatures, allCls, plan));
    } catch (RuntimeException e) {
      result.close();
      throw e;
    }
  }

  /** The parts joined along the time axis (axis 1); the parts are closed when copied. */
  private static NDArray join(NDList parts) {
    if (parts.size() == 1) {
      return parts.get(0);
    }
    NDArray joined = NDArrays.concat(parts, 1);
    parts.close();
    return joined;
  }

  /**
   * The chunks of a group cut from the input, zero-padded as planned and stacked chunk-major:
   * {@code [group·batch, 1, mel, frames]} in {@code scope}.
   */
  private static NDArray stackChunks(NDArray input, Shape shape, List<ChunkPlan.Chunk> group,
      NDManager scope) {
    NDArray all = input.get(scope, ALL).reshape(shape);
    if (all.getDataType() != DataType.FLOAT32) {
      all = all.toType(DataType.FLOAT32, false);
    }
    NDList parts = new NDList(group.size());
    for (ChunkPlan.Chunk c : group) {
      NDArray x = all.get(new NDIndex(":, :, :, {}:{}", c.start(), c.end()));
      parts.add(c.padFrames() > 0 ? x.pad(new Shape(0, c.padFrames()), 0) : x);
    }
    return parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 0);
  }

  /**
   * One forward pass on a group of equal-length chunks {@code [rows, 1, mel, frames]} (with the
   * caption ids {@code [batch, T]} of an audio-text model, else null); returns the final-norm
   * tokens {@code [rows, tokens, width]}.
   */
  private NDArray forwardGroup(NDArray x, NDArray ids, List<ChunkPlan.Chunk> group, HookRun run,
      NDManager scope) {
    run.scope(scope);
    NDArray embed = run.at(HookNames.EMBED, encoder.patchTokens(x));
    NDArray words = null;
    if (text != null) {
      // every chunk of the group reads the same caption: rows are chunk-major [g·B]
      NDArray rowIds = group.size() == 1 ? ids : ids.get(scope, ALL)
          .tile(new long[] {group.size(), 1});
      words = run.at(HookNames.TEXT_EMBED, text.embed(rowIds, scope));
    }
    return encoder.encode(embed, words, run, scope);
  }

  /** The input as {@code [batch, 1, mel, frames]} dimensions, checked against the model. */
  private Shape inputShape(NDArray input) {
    Shape s = input.getShape();
    Shape four = switch (s.dimension()) {
      case 2 -> new Shape(1, 1, s.get(0), s.get(1));
      case 3 -> new Shape(s.get(0), 1, s.get(1), s.get(2));
      case 4 -> s;
      default -> null;
    };
    if (four == null || four.get(1) != 1) {
      throw new WorkbenchException("model input has shape " + s
          + "; expected a log-mel [mel, frames], [batch, mel, frames] or [batch, 1, mel, frames]");
    }
    if (four.get(2) != dims.melBins()) {
      throw new WorkbenchException("log-mel has " + four.get(2) + " mel bins; " + name()
          + " expects " + dims.melBins());
    }
    return four;
  }

  /** Frees the weights and anything a run left open. */
  @Override
  public void close() {
    root.close();
  }

  @Override
  public String toString() {
    return "M2dViT[" + name() + ": " + preset().name() + ", depth " + dims.depth() + ", width "
        + dims.width() + ", heads " + dims.heads() + ", mlp " + dims.mlpDim() + ", unit "
        + dims.unitFrames() + ", patch " + dims.patchFreq() + "x" + dims.patchTime()
        + (text == null ? "" : ", text " + text.length() + " of " + text.vocabulary().size()
            + " words") + "]";
  }
}
