package io.anw.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.anw.GradMode;
import io.anw.TorchArrays;
import io.anw.model.M2dViT;
import io.anw.model.ModelConfig;
import io.anw.model.NormStats;
import io.anw.model.TextPathway;
import io.anw.model.TextVocabulary;
import io.anw.model.VitDims;
import io.anw.model.VitEncoder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A trainable twin of {@link M2dViT}: the same parameters under the same (timm / M2D) names and
 * the same forward math — one-channel conv patch embedding flattened frequency-major,
 * {@code pos_embed[:, 1:]} sliced to the used time patches, {@code cls_token + pos_embed[:, :1]}
 * prepended, pre-norm blocks (qkv with bias, exact GELU, LayerNorm eps 1e-6), final norm — on
 * arrays that record gradients. {@link #stateDict()} holds exactly the keys
 * {@link M2dViT#fromStateDict} loads, so a trained twin becomes a hooked model with
 * {@link #toM2d}.
 *
 * <p>As in M2D, {@code pos_embed} is a fixed 2-D sine-cosine table (not trained); all other
 * parameters are trainable. Initialisation follows timm/MAE: Xavier-uniform linear and patch
 * weights, zero biases, unit LayerNorms, {@code cls_token} normal(0, 0.02); the random numbers
 * come from {@link Random} with the given seed, so a seed gives the same weights everywhere.
 */
public final class TrainableViT implements AutoCloseable {
  private final VitDims dims;
  private final NDManager manager;
  private final Map<String, NDArray> params;
  private final VitEncoder encoder; // the hooked model's forward, over these parameters
  private TextVocabulary vocabulary;

  private TrainableViT(VitDims dims, NDManager manager, Map<String, NDArray> params,
      TextVocabulary vocabulary) {
    this.dims = dims;
    this.manager = manager;
    this.params = params;
    this.encoder = new VitEncoder(params, dims);
    this.vocabulary = vocabulary;
  }

  /** The sizes of an M2D-shaped model (80 mel bins, 16×16 patches), see {@link VitDims#m2d}. */
  public static VitDims dims(int depth, int width, int heads, int mlpDim, int unitFrames) {
    return VitDims.m2d(depth, width, heads, mlpDim, unitFrames);
  }

  /** A freshly initialised model (see the class notes) in a sub-manager of {@code parent}. */
  public static TrainableViT init(VitDims dims, long seed, NDManager parent) {
    GradMode.disableOnCurrentThread();
    Random rnd = new Random(seed);
    NDManager m = parent.newSubManager();
    Map<String, NDArray> p = new LinkedHashMap<>();
    for (Map.Entry<String, Shape> e : dims.expectedShapes().entrySet()) {
      String k = e.getKey();
      Shape s = e.getValue();
      NDArray a;
      if (k.equals("pos_embed")) {
        a = TorchArrays.of(m, sinCos2d(dims.width(), dims.freqPatches(), dims.unitPatches(), true),
            s);
      } else if (k.equals("cls_token")) {
        a = TorchArrays.of(m, normal(rnd, (int) s.size(), 0.02f), s);
      } else if (k.contains("norm")) {
        a = k.endsWith("weight") ? m.ones(s) : m.zeros(s);
      } else if (k.endsWith("bias")) {
        a = m.zeros(s);
      } else {
        long fanOut = s.get(0);
        long fanIn = s.size() / fanOut;
        a = TorchArrays.of(m, xavier(rnd, (int) s.size(), fanIn, fanOut), s);
      }
      p.put(k, a);
    }
    TrainableViT vit = new TrainableViT(dims, m, p, null);
    vit.trainable().values().forEach(a -> a.setRequiresGradient(true));
    return vit;
  }

  /**
   * A trainable copy of {@code model}'s weights (e.g. to fine-tune a loaded model), its text
   * pathway included.
   */
  public static TrainableViT of(M2dViT model, NDManager parent) {
    return copyOf(model.dims(), model.stateDict(),
        model.textPathway().map(io.anw.model.TextPathway::vocabulary).orElse(null), parent);
  }

  /** A trainable copy of this model (e.g. the EMA target of M2D), with its own arrays. */
  public TrainableViT copy(NDManager parent) {
    return copyOf(dims, params, vocabulary, parent);
  }

  private static TrainableViT copyOf(VitDims dims, Map<String, NDArray> source,
      TextVocabulary vocabulary, NDManager parent) {
    GradMode.disableOnCurrentThread();
    NDManager m = parent.newSubManager();
    Map<String, NDArray> p = new LinkedHashMap<>();
    List<String> keys = new java.util.ArrayList<>(dims.expectedShapes().keySet());
    if (vocabulary != null) {
      keys.addAll(List.of(TextPathway.EMBED, TextPathway.POSITIONS));
    }
    for (String k : keys) {
      NDArray src = source.get(k);
      NDArray c = TorchArrays.of(m, src.toType(DataType.FLOAT32, false).toFloatArray(), src.getShape());
      p.put(k, c);
    }
    TrainableViT vit = new TrainableViT(dims, m, p, vocabulary);
    vit.trainable().values().forEach(a -> a.setRequiresGradient(true));
    return vit;
  }

  /**
   * Adds a text pathway ({@link TextPathway}: a token table {@code [vocabulary, D]} and
   * positions {@code [1, length, D]}, both drawn normal(0, 0.02) from {@code seed}) that
   * {@link #encode(NDArray, NDArray)} appends after the audio tokens; returns this model.
   *
   * @throws WorkbenchException if the model has one already
   */
  public TrainableViT addTextPathway(TextVocabulary words, int length, long seed) {
    if (vocabulary != null) {
      throw new io.anw.WorkbenchException("the model has a text pathway already");
    }
    GradMode.disableOnCurrentThread();
    Random rnd = new Random(seed);
    TextPathway.expectedShapes(words.size(), length, dims.width()).forEach((k, s) -> {
      NDArray a = TorchArrays.of(manager, normal(rnd, (int) s.size(), 0.02f), s);
      a.setRequiresGradient(true);
      params.put(k, a);
    });
    this.vocabulary = words;
    return this;
  }

  /** The text pathway's vocabulary, or null for an audio-only model. */
  public TextVocabulary vocabulary() {
    return vocabulary;
  }

  /** Caption tokens the text pathway reads (0 without one). */
  public int textLength() {
    return vocabulary == null ? 0 : (int) params.get(TextPathway.POSITIONS).getShape().get(1);
  }

  /** The sizes. */
  public VitDims dims() {
    return dims;
  }

  /** The manager holding the parameters. */
  public NDManager manager() {
    return manager;
  }

  /** All parameters by M2D name, the fixed {@code pos_embed} included (read-only map). */
  public Map<String, NDArray> stateDict() {
    return Collections.unmodifiableMap(params);
  }

  /** The trained parameters (all but {@code pos_embed}, text pathway included), by name. */
  public Map<String, NDArray> trainable() {
    Map<String, NDArray> t = new LinkedHashMap<>(params);
    t.remove("pos_embed");
    return t;
  }

  /** Number of trained scalars. */
  public long parameterCount() {
    return trainable().values().stream().mapToLong(a -> a.getShape().size()).sum();
  }

  /**
   * The patch tokens with their position embedding, {@code [B, F'·T', D]} frequency-major, of
   * a normalised input {@code [B, 1, mel, frames]} whose frames are a multiple of the patch
   * width and at most the unit.
   */
  public NDArray embed(NDArray x) {
    return encoder.patchTokens(x);
  }

  /**
   * {@code pos_embed[:, 1:]} for the first {@code timePatches} time patches, {@code [1, N, D]},
   * in {@code scope} (parameters' derived arrays never land in the parameters' manager).
   */
  public NDArray positions(long timePatches, NDManager scope) {
    return encoder.positions(timePatches, scope);
  }

  /**
   * Runs the encoder on tokens {@code [B, n, D]} (patch tokens with positions, all or a
   * subset): prepends the CLS token, applies the blocks and the final norm; returns
   * {@code [B, 1 + n, D]}.
   */
  public NDArray encode(NDArray tokens) {
    return encode(tokens, null);
  }

  /**
   * Caption token ids {@code [B, T]} embedded as the hooked model's {@code hook_text_embed}:
   * table rows plus the first T positions, {@code [B, T, D]} in {@code scope}.
   */
  public NDArray embedText(NDArray ids, NDManager scope) {
    if (vocabulary == null) {
      throw new io.anw.WorkbenchException("the model has no text pathway");
    }
    return TextPathway.embed(ids, params.get(TextPathway.EMBED),
        params.get(TextPathway.POSITIONS), scope);
  }

  /**
   * {@link #encode(NDArray)} with caption token embeddings {@code [B, T, D]} (from
   * {@link #embedText}) appended after the patch tokens, as the hooked audio-text model does;
   * returns {@code [B, 1 + n + T, D]} (null text: as {@link #encode(NDArray)}).
   */
  public NDArray encode(NDArray tokens, NDArray text) {
    return encoder.encode(tokens, text);
  }

  /** The full forward pass of one chunk {@code [B, 1, mel, frames]}: {@code [B, 1 + N, D]}. */
  public NDArray forward(NDArray x) {
    return encode(embed(x));
  }

  /**
   * The forward pass of one chunk with captions {@code ids [B, T]} (audio-text models):
   * {@code [B, 1 + N + T, D]}, the N patch tokens at {@code 1..N}.
   */
  public NDArray forward(NDArray x, NDArray ids) {
    return ids == null ? forward(x) : encode(embed(x), embedText(ids, x.getManager()));
  }

  /**
   * A hooked inference model with this model's current weights (copied), named
   * {@code name}, expecting inputs normalised by {@code stats}.
   */
  public M2dViT toM2d(String name, NormStats stats, NDManager parent) {
    GradMode.disableOnCurrentThread();
    ModelConfig cfg = new ModelConfig(name, dims.melBins(), dims.unitFrames(), dims.patchFreq(),
        dims.patchTime(), dims.heads(), stats);
    return M2dViT.fromStateDict(params, cfg, vocabulary, parent);
  }

  /**
   * The MAE/M2D fixed 2-D sine-cosine position table for a {@code gridF × gridT} grid
   * (frequency-major), half the width encoding the frequency index and half the time index;
   * with {@code cls} a zero row first. Returns {@code (cls ? 1 : 0) + gridF·gridT} rows of
   * {@code width} values, flattened.
   */
  public static float[] sinCos2d(int width, int gridF, int gridT, boolean cls) {
    int rows = gridF * gridT + (cls ? 1 : 0);
    float[] out = new float[rows * width];
    int half = width / 2;
    int quarter = half / 2;
    int r = cls ? 1 : 0;
    for (int f = 0; f < gridF; f++) {
      for (int t = 0; t < gridT; t++, r++) {
        // MAE: grid[0] is the width (time) index, grid[1] the height (frequency) index
        fill(out, r * width, half, quarter, t);
        fill(out, r * width + half, half, quarter, f);
      }
    }
    return out;
  }

  private static void fill(float[] out, int at, int half, int quarter, int pos) {
    for (int i = 0; i < quarter; i++) {
      double omega = 1.0 / Math.pow(10000.0, i / (double) quarter);
      out[at + i] = (float) Math.sin(pos * omega);
      out[at + quarter + i] = (float) Math.cos(pos * omega);
    }
  }

  static float[] normal(Random rnd, int n, float std) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (rnd.nextGaussian() * std);
    }
    return v;
  }

  static float[] xavier(Random rnd, int n, long fanIn, long fanOut) {
    double a = Math.sqrt(6.0 / (fanIn + fanOut));
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) ((rnd.nextDouble() * 2 - 1) * a);
    }
    return v;
  }

  /** Names of the parameters in order. */
  public List<String> names() {
    return List.copyOf(params.keySet());
  }

  /** Frees the parameters (and their gradients). */
  @Override
  public void close() {
    manager.close();
  }

  @Override
  public String toString() {
    return "TrainableViT[depth " + dims.depth() + ", width " + dims.width() + ", heads "
        + dims.heads() + ", mlp " + dims.mlpDim() + ", unit " + dims.unitFrames() + ", "
        + (vocabulary == null ? "" : "text " + textLength() + " of " + vocabulary.size()
            + " words, ")
        + parameterCount() + " parameters]";
  }
}
