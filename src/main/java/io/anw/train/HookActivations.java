package io.anw.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.anw.WorkbenchException;
import io.anw.activation.DatasetInputs;
import io.anw.audio.Dataset;
import io.anw.model.Batcher;
import io.anw.model.Hooks;
import io.anw.model.AudioModel;
import io.anw.model.PartedInput;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The activations of one hook point over a dataset, clip by clip, in any order of clips: every
 * token of every chunk (CLS, patches, padding, as counting reads them), each clip's rows flat
 * {@code [tokens, d_in]} in chunk order. Clips are decoded on the loading threads and run
 * {@code batch} at a time; nothing beyond one batch is held. With a cache folder the first
 * complete pass writes {@link ActivationShards} and later passes read them instead of running
 * the model (the same rows, so training with and without the cache is the same).
 */
public final class HookActivations {
  /** One clip's activations: its dataset position and rows {@code [tokens, d]}. */
  public record ClipRows(int clip, float[] rows, int d) {
    /** Tokens (rows). */
    public int tokens() {
      return rows.length / d;
    }
  }

  private final AudioModel model;
  private final Dataset data;
  private final String hook;
  private final int batch;
  private final Path cacheDir;
  private final String fingerprint;
  private ActivationShards cache;
  private ActivationShards.Writer writer;

  /**
   * Activations of {@code hook} (a hook point of {@code model}, e.g.
   * {@code blocks.3.mlp.hook_post}) over {@code data}.
   *
   * @param cacheDir an activation cache folder, or null for none
   * @throws WorkbenchException when {@code hook} is not one hook point of the model
   */
  public HookActivations(AudioModel model, Dataset data, String hook, int batch, Path cacheDir) {
    if (!model.hookNames().contains(hook)) {
      throw new WorkbenchException("--hook " + hook + " is not a hook point of " + model.name()
          + " (e.g. blocks.0.mlp.hook_post, blocks.0.hook_resid_post; `inspect` lists them)");
    }
    if (batch < 1) {
      throw new WorkbenchException("--batch must be at least 1, got " + batch);
    }
    this.model = model;
    this.data = data;
    this.hook = hook;
    this.batch = batch;
    this.cacheDir = cacheDir;
    this.fingerprint = "weights " + model.weightsSha256() + " | " + model.frontEndProvenance().get("preset")
        + " | hook " + hook + " | data " + data.listHash();
    this.cache = cacheDir == null ? null : ActivationShards.open(cacheDir, fingerprint,
        data.size());
  }

  /** What identifies these activations: model weights, front end, hook and item list. */
  public String fingerprint() {
    return fingerprint;
  }

  /**
   * Width d of the hook's activations (from the cache, or one clip run through the model).
   *
   * @throws WorkbenchException when the point is not {@code [rows, tokens, d]}
   */
  public int width() {
    if (cache != null) {
      return cache.dIn();
    }
    int[] width = new int[1];
    try (Stream<Dataset.Loaded<DatasetInputs.Prepared>> one = data.select(new int[] {0})
        .streamItems(DatasetInputs.prepareItem(model, data));
        NDManager manager = NDManager.newBaseManager()) {
      PartedInput in = one.findFirst().orElseThrow(() -> new WorkbenchException(data.name()
          + ": the first clip cannot be read")).value().toInput(manager);
      Batcher.run(model, List.of(in), 1, Hooks.of(hook, (ctx, x) -> {
        collect(x, 1, List.of(new ArrayList<>()), width, null);
        return x;
      }), (c, n) -> Collections.nCopies(n, Boolean.TRUE));
    }
    return width[0];
  }

  /** Clips in the dataset. */
  public int clips() {
    return data.size();
  }

  /**
   * The clips at {@code order[from..]}, in that order (unreadable clips left out, as counting
   * skips them with {@code --skip-bad}). Close the iterator's stream by exhausting it or calling
   * {@link ClipIterator#close()}.
   */
  public ClipIterator epoch(int[] order, int from) {
    if (cache != null) {
      return new ClipIterator(null, order, from);
    }
    if (cacheDir != null && from == 0 && writer == null) {
      writer = new ActivationShards.Writer(cacheDir, fingerprint, data.size());
    }
    Dataset ordered = data.select(java.util.Arrays.copyOfRange(order, Math.min(from,
        order.length), order.length));
    Function<Dataset.Item, DatasetInputs.Prepared> prepare =
        DatasetInputs.prepareItem(model, data);
    return new ClipIterator(ordered.streamItems(prepare), order, from);
  }

  /** Clips of one pass, in order; runs the model a batch at a time as they are taken. */
  public final class ClipIterator implements Iterator<ClipRows>, AutoCloseable {
    private final Stream<Dataset.Loaded<DatasetInputs.Prepared>> stream;
    private final Iterator<Dataset.Loaded<DatasetInputs.Prepared>> items;
    private final int[] order;
    private final int from;
    private int cursor;
    /** A clip ready to hand out and the pass position after it. */
    private record Ready(ClipRows rows, int after) {}

    private final ArrayDeque<Ready> ready = new ArrayDeque<>();
    private Dataset.Loaded<DatasetInputs.Prepared> held;
    private int consumed;

    private ClipIterator(Stream<Dataset.Loaded<DatasetInputs.Prepared>> stream, int[] order,
        int from) {
      this.stream = stream;
      this.items = stream == null ? null : stream.iterator();
      this.order = order;
      this.from = from;
      this.cursor = from;
    }

    /** Positions of {@code order} consumed so far (where a resumed pass starts). */
    public int position() {
      return from + consumed;
    }

    @Override
    public boolean hasNext() {
      fill();
      return !ready.isEmpty();
    }

    @Override
    public ClipRows next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Ready r = ready.poll();
      consumed = r.after();
      return r.rows();
    }

    private void fill() {
      if (!ready.isEmpty()) {
        return;
      }
      if (stream == null) {
        while (ready.isEmpty() && cursor < order.length) {
          int clip = order[cursor++];
          float[] rows = cache.clip(clip);
          if (rows != null) {
            ready.add(new Ready(new ClipRows(clip, rows, cache.dIn()), cursor - from));
          }
        }
        return;
      }
      List<Dataset.Loaded<DatasetInputs.Prepared>> group = new ArrayList<>();
      if (held != null) {
        group.add(held);
        held = null;
      }
      while (group.size() < batch && items.hasNext()) {
        Dataset.Loaded<DatasetInputs.Prepared> next = items.next();
        if (!group.isEmpty() && next.value().frames() != group.get(0).value().frames()) {
          held = next;
          break;
        }
        group.add(next);
      }
      if (group.isEmpty()) {
        finishPass();
        return;
      }
      List<ClipRows> rows = run(group);
      for (int i = 0; i < rows.size(); i++) {
        ready.add(new Ready(rows.get(i), group.get(i).row() + 1));
      }
    }

    private void finishPass() {
      if (writer != null) {
        // a whole pass from the start: clips it did not deliver were unreadable
        cache = writer.finish(true);
        writer = null;
      }
    }

    private List<ClipRows> run(List<Dataset.Loaded<DatasetInputs.Prepared>> group) {
      int b = group.size();
      List<List<float[]>> perClip = new ArrayList<>();
      for (int i = 0; i < b; i++) {
        perClip.add(new ArrayList<>());
      }
      int[] width = new int[1];
      try (NDManager manager = NDManager.newBaseManager()) {
        List<PartedInput> inputs = new ArrayList<>(b);
        for (Dataset.Loaded<DatasetInputs.Prepared> g : group) {
          inputs.add(g.value().toInput(manager));
        }
        io.anw.model.TokenGroup read = model.defaultTokens();
        Batcher.run(model, inputs, b, Hooks.of(hook, (ctx, x) -> {
          // padding is left out as in counts: only the model's default tokens (all, or audio)
          int[] at = read == io.anw.model.TokenGroup.ALL || x.getShape().dimension() != 3 ? null
              : model.tokenPositions(read, ctx.chunk(), x.getShape().get(1));
          collect(x, b, perClip, width, at);
          return x;
        }), (c, n) -> Collections.nCopies(n, Boolean.TRUE));
      }
      List<ClipRows> out = new ArrayList<>(b);
      for (int i = 0; i < b; i++) {
        int total = perClip.get(i).stream().mapToInt(a -> a.length).sum();
        float[] flat = new float[total];
        int at = 0;
        for (float[] part : perClip.get(i)) {
          System.arraycopy(part, 0, flat, at, part.length);
          at += part.length;
        }
        int clip = order[from + group.get(i).row()];
        ClipRows r = new ClipRows(clip, flat, width[0]);
        if (writer != null) {
          writer.put(clip, flat, width[0]);
        }
        out.add(r);
      }
      return out;
    }

    @Override
    public void close() {
      if (stream != null) {
        stream.close();
      }
    }
  }

  /**
   * Splits one hook call's {@code [rows, tokens, d]} (rows chunk-major) into its clips, keeping
   * the tokens at {@code positions} (null: all).
   */
  private static void collect(NDArray x, int clips, List<List<float[]>> perClip, int[] width,
      int[] positions) {
    long[] shape = x.getShape().getShape();
    if (shape.length != 3) {
      throw new WorkbenchException("SAEs read [rows, tokens, d] hook points; this one is "
          + x.getShape());
    }
    int rows = (int) shape[0];
    int d = (int) shape[2];
    int per = (int) (shape[1] * shape[2]);
    width[0] = d;
    float[] all = x.toFloatArray();
    for (int r = 0; r < rows; r++) {
      float[] part;
      if (positions == null) {
        part = new float[per];
        System.arraycopy(all, r * per, part, 0, per);
      } else {
        part = new float[positions.length * d];
        for (int i = 0; i < positions.length; i++) {
          System.arraycopy(all, r * per + positions[i] * d, part, i * d, d);
        }
      }
      perClip.get(r % clips).add(part);
    }
  }
}
