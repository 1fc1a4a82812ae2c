package io.anw.activation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.anw.GradMode;
import io.anw.WorkbenchException;
import io.anw.model.Hook;
import io.anw.model.HookContext;
import io.anw.model.Hooks;
import io.anw.model.Model;
import io.anw.model.PartedInput;
import io.anw.model.TokenGroup;
import io.anw.model.UnitSpace;
import ai.djl.ndarray.index.NDIndex;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Streams labelled inputs through a model and accumulates, per layer × neuron × class, how many
 * tokens had the neuron > 0 ({@code over_zero}), the tokens seen per class ({@code n}), and the
 * per-class sum of activations (for class means). Every token counts: CLS, patches, padding, in
 * every chunk, unless the counter reads one {@link TokenGroup} (its positions from
 * {@link Model#tokenPositions}). Memory is O(layers · neurons · classes); the reductions run on DJL arrays inside
 * hooks on {@code blocks.*.mlp.hook_post}, so activations are never copied to the JVM. A
 * counter may read only one {@link TokenGroup} (e.g. the caption tokens of an audio-text model).
 */
public final class ActivationCounter implements AutoCloseable {
  /** The hook point family counted: the GELU outputs of every block's MLP. */
  public static final String HOOK = "blocks.*.mlp.hook_post";

  private final Model model;
  private final UnitSpace units;
  private final List<String> classes;
  private final NDManager manager;
  private final List<NDArray> overZero = new ArrayList<>(); // per layer [neurons, classes] int64
  private final List<NDArray> sums = new ArrayList<>(); // per layer [neurons, classes] float64
  private final boolean withMeans;
  private final TokenGroup tokens;
  private final long[] n;
  private long clips;

  /** A counter for {@code model} over the given classes, all counts zero (no class means). */
  public ActivationCounter(Model model, List<String> classes) {
    this(model, classes, false);
  }

  /**
   * A counter for {@code model} over the given classes; with {@code withMeans} the same pass
   * also sums activations per class for {@link #classMeans()} (about one more reduction per
   * layer).
   */
  public ActivationCounter(Model model, List<String> classes, boolean withMeans) {
    this(model, classes, withMeans, TokenGroup.ALL);
  }

  /**
   * A counter that reads only the tokens of {@code tokens} in every chunk (e.g. the caption
   * tokens of an audio-text model; {@link TokenGroup#ALL}: every token); {@code n} then counts
   * those tokens.
   *
   * @throws WorkbenchException for {@code text} tokens of a model that reads no text
   */
  public ActivationCounter(Model model, List<String> classes, boolean withMeans,
      TokenGroup tokens) {
    this(model, UnitSpace.neurons(model), classes, withMeans, tokens);
  }

  /**
   * A counter of other units than the MLP neurons, e.g. the features of a sparse autoencoder
   * spliced in at one hook point ({@code over_zero [1, d_sae, classes]}); the counts carry the
   * unit space's hook. {@code n} counts the tokens of the first layer's hook calls.
   */
  public ActivationCounter(Model model, UnitSpace units, List<String> classes,
      boolean withMeans, TokenGroup tokens) {
    this.units = units;
    if (tokens == TokenGroup.TEXT && !model.inputParts().contains(PartedInput.TEXT)) {
      throw new WorkbenchException(model.name() + " reads no text; there are no text tokens"
          + " to count");
    }
    this.tokens = tokens;
    if (classes.isEmpty()) {
      throw new WorkbenchException("counting needs at least one class");
    }
    this.model = model;
    this.withMeans = withMeans;
    this.classes = List.copyOf(classes);
    this.manager = NDManager.newBaseManager();
    Shape shape = new Shape(units.units(), classes.size());
    for (int l = 0; l < units.layers(); l++) {
      overZero.add(manager.zeros(shape, DataType.INT64));
      if (withMeans) {
        sums.add(manager.zeros(shape, DataType.FLOAT64));
      }
    }
    this.n = new long[classes.size()];
  }

  /**
   * Runs one batch and adds its counts.
   *
   * @param normalizedLogMel {@code [batch, mel, frames]} (or {@code [mel, frames]} for one clip),
   *     already normalised with the model's statistics
   * @param labels class index of each clip in the batch
   */
  public void add(NDArray normalizedLogMel, int[] labels) {
    add(PartedInput.audio(normalizedLogMel), labels);
  }

  /**
   * Runs one batch of inputs with named parts (audio {@code [batch, mel, frames]} or one
   * {@code [mel, frames]}; text ids {@code [batch, T]} or {@code [T]} for audio-text models)
   * and adds its counts. Every token counts, caption tokens included.
   */
  public void add(PartedInput input, int[] labels) {
    GradMode.disableOnCurrentThread();
    NDArray normalizedLogMel = input.part(PartedInput.AUDIO);
    long batchSize = normalizedLogMel.getShape().dimension() == 2 ? 1
        : normalizedLogMel.getShape().get(0);
    if (labels.length != batchSize) {
      throw new WorkbenchException("batch has " + batchSize + " clips but " + labels.length
          + " labels");
    }
    checkLabels(labels);
    try (NDManager batch = manager.newSubManager()) {
      model.run(input, counting(labels, batch)).close();
    }
    clips += batchSize;
  }

  /**
   * Runs single examples (audio {@code [mel, frames]}, caption ids {@code [T]}) through the
   * {@link io.anw.model.Batcher}, {@code batchSize} at a time, and adds their counts.
   *
   * @param labels class index of each example
   */
  public void addAll(List<PartedInput> singles, int[] labels, int batchSize) {
    GradMode.disableOnCurrentThread();
    if (labels.length != singles.size()) {
      throw new WorkbenchException(singles.size() + " examples but " + labels.length + " labels");
    }
    checkLabels(labels);
    io.anw.model.Batcher.run(model, singles, batchSize, (idx, scope) -> counting(
        idx.stream().mapToInt(i -> labels[i]).toArray(), scope),
        (run, rows) -> java.util.Collections.nCopies(rows, Boolean.TRUE));
    clips += singles.size();
  }

  private void checkLabels(int[] labels) {
    for (int y : labels) {
      if (y < 0 || y >= classes.size()) {
        throw new WorkbenchException("label " + y + " is not a class index in [0, "
            + classes.size() + ")");
      }
    }
  }

  /**
   * The counting hooks of one batch of clips with {@code labels}: one-hot row-to-class matrices
   * are made once per row count a pass uses (rows = chunks stacked x clips, chunk-major), in
   * {@code scope}.
   */
  private Hooks counting(int[] labels, NDManager scope) {
    Map<Long, NDArray> rowClass = new HashMap<>();
    Hook counting = (ctx, x) -> {
      long rows = x.getShape().get(0);
      NDArray onehot = rowClass.computeIfAbsent(rows, r -> oneHot(scope, r, labels));
      accumulate(ctx, x, onehot, labels);
      return x;
    };
    return units.base().and(units.hook(), counting);
  }

  private NDArray oneHot(NDManager m, long rows, int[] labels) {
    float[] onehot = new float[(int) rows * classes.size()];
    for (int r = 0; r < rows; r++) {
      onehot[r * classes.size() + labels[r % labels.length]] = 1f;
    }
    return io.anw.TorchArrays.of(m, onehot, new Shape(rows, classes.size()));
  }

  /**
   * Adds one hook call's counts: {@code x} is {@code [rows, tokens, neurons]}, rows chunk-major,
   * {@code rowClass} the {@code [rows, classes]} one-hot labels.
   */
  private void accumulate(HookContext ctx, NDArray all, NDArray rowClass, int[] labels) {
    NDArray x = all;
    NDArray mask = null; // [1, tokens, 1] for a group that is not one run of positions
    long tokens = all.getShape().get(1);
    if (this.tokens != TokenGroup.ALL) {
      int[] at = model.tokenPositions(this.tokens, ctx.chunk(), tokens);
      if (at.length == 0 || at[at.length - 1] - at[0] + 1 == at.length) {
        x = all.get(new NDIndex(":, {}:{}, :", at.length == 0 ? 0 : at[0],
            at.length == 0 ? 0 : at[at.length - 1] + 1));
      } else {
        mask = tokenMask(at, tokens, ctx.manager());
      }
      tokens = at.length;
    }
    long rows = x.getShape().get(0);
    // [rows, neurons] tokens > 0 per row (exact in float32 up to 2^24 tokens), then per class.
    NDArray over = x.gt(0f).toType(DataType.FLOAT32, false);
    NDArray active = (mask == null ? over : over.mul(mask)).sum(new int[] {1});
    NDArray perClass = active.transpose().matMul(rowClass); // [neurons, classes]
    int layer = units.layerOf(ctx);
    overZero.get(layer).addi(perClass.toType(DataType.INT64, false));
    if (withMeans) {
      NDArray sum = (mask == null ? x : x.mul(mask)).sum(new int[] {1}).transpose()
          .matMul(rowClass); // [neurons, classes]
      sums.get(layer).addi(sum.toType(DataType.FLOAT64, false));
    }
    if (layer == 0) {
      for (int r = 0; r < rows; r++) {
        n[labels[r % labels.length]] += tokens;
      }
    }
  }

  /**
   * A {@code [1, tokens, 1]} float mask, 1 at {@code positions} and 0 elsewhere, in
   * {@code m}: multiplying a {@code [rows, tokens, d]} activation by it leaves out the other
   * tokens from sums.
   */
  static NDArray tokenMask(int[] positions, long tokens, NDManager m) {
    float[] mask = new float[(int) tokens];
    for (int t : positions) {
      mask[t] = 1f;
    }
    return io.anw.TorchArrays.of(m, mask, new Shape(1, tokens, 1));
  }

  /**
   * Adds the counts of another counter of the same model, classes and tokens (e.g. one long
   * recording counted segment by segment), as {@code clips} clips.
   */
  public void absorb(ActivationCounter part, long clips) {
    if (part.model != model || !part.units.equals(units) || !part.classes.equals(classes) || part.tokens != tokens
        || part.withMeans != withMeans) {
      throw new IllegalArgumentException("counters of different runs");
    }
    for (int l = 0; l < overZero.size(); l++) {
      overZero.get(l).addi(part.overZero.get(l));
      if (withMeans) {
        sums.get(l).addi(part.sums.get(l));
      }
    }
    for (int c = 0; c < n.length; c++) {
      n[c] += part.n[c];
    }
    this.clips += clips;
  }

  /** Clips counted so far. */
  public long clips() {
    return clips;
  }

  /** The counts so far, with {@code provenance} attached. */
  public ActivationCounts counts(Map<String, String> provenance) {
    int layers = overZero.size();
    int neurons = units.units();
    int c = classes.size();
    long[] flat = new long[layers * neurons * c];
    for (int l = 0; l < layers; l++) {
      long[] layer = overZero.get(l).toLongArray();
      System.arraycopy(layer, 0, flat, l * neurons * c, layer.length);
    }
    Map<String, String> prov = new LinkedHashMap<>(provenance);
    prov.putIfAbsent("model", model.name());
    prov.put("tokens", tokens.toString());
    prov.put("clips", Long.toString(clips));
    return new ActivationCounts(layers, neurons, classes, flat, n.clone(), units.hook(), prov);
  }

  /**
   * Mean activation per layer × neuron × class over the tokens counted, flat
   * {@code [layers, neurons, classes]} (0 for a class without tokens).
   */
  public double[] classMeans() {
    if (!withMeans) {
      throw new WorkbenchException("class means need a counter made with withMeans = true");
    }
    int neurons = units.units();
    int c = classes.size();
    double[] out = new double[overZero.size() * neurons * c];
    for (int l = 0; l < sums.size(); l++) {
      double[] s = sums.get(l).toDoubleArray();
      for (int i = 0; i < s.length; i++) {
        long tokens = n[i % c];
        out[l * neurons * c + i] = tokens == 0 ? 0 : s[i] / tokens;
      }
    }
    return out;
  }

  @Override
  public void close() {
    manager.close();
  }
}
