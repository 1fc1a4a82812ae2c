package io.anw.listen;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.anw.GradMode;
import io.anw.WorkbenchException;
import io.anw.activation.DatasetInputs;
import io.anw.audio.Dataset;
import io.anw.model.AudioModel;
import io.anw.model.Batcher;
import io.anw.model.HookContext;
import io.anw.model.HookNames;
import io.anw.model.Hooks;
import io.anw.model.M2dViT;
import io.anw.model.PartedInput;
import io.anw.model.TokenGroup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One pass over a dataset that keeps, per unit, the {@code k} clips whose strongest token
 * (the clip's maximum over its chunks and the chosen tokens) is highest, with the chunk and
 * token where it fired, and the unit's value in a seeded uniform sample of clips for the
 * activation quantiles. Memory is O(units · (k + sample)); clips are decoded and turned into
 * model inputs on the loading threads; long recordings are run a segment at a time. With a
 * checkpoint the pass saves its state every K clips and, run again with the same model, data
 * and settings, resumes; the result equals an uninterrupted pass.
 */
public final class TopRun {
  /**
   * Settings of a pass.
   *
   * @param k clips kept per unit (rank 1 = highest)
   * @param quantiles activation quantile bins of the sampled clips
   * @param perQuantile examples shown from each quantile bin
   * @param sample clips sampled uniformly (seeded) for the quantiles
   * @param seed seed of the sample
   * @param tokens the tokens of every chunk a clip's maximum is taken over (default: the audio
   *     patches, which have a place in time and frequency)
   * @param batchSize clips per forward pass (equal-length clips only)
   * @param checkpoint where the partial state goes (null: no checkpointing)
   * @param checkpointEvery clips between partial saves (0: never)
   */
  public record Options(int k, int quantiles, int perQuantile, int sample, long seed,
      TokenGroup tokens, int batchSize, Path checkpoint, int checkpointEvery) {
    /** Checks the sizes. */
    public Options {
      if (k < 1) {
        throw new WorkbenchException("--k must be at least 1, got " + k);
      }
      if (quantiles < 0 || perQuantile < 0 || sample < 0) {
        throw new WorkbenchException("--quantiles, --per-quantile and --sample must be 0 or more");
      }
      if (quantiles > 0 && sample < quantiles) {
        throw new WorkbenchException("--sample " + sample + " cannot fill " + quantiles
            + " quantiles");
      }
      if (batchSize < 1) {
        throw new WorkbenchException("--batch must be at least 1, got " + batchSize);
      }
      if (checkpointEvery < 0) {
        throw new WorkbenchException("--checkpoint-every must be 0 (never) or more");
      }
    }

    /** k 20, 5 quantiles of 3 examples from 100 sampled clips (seed 0), audio tokens. */
    public static Options defaults() {
      return new Options(20, 5, 3, 100, 0, TokenGroup.AUDIO, Batcher.DEFAULT_BATCH, null, 0);
    }

    /** These options keeping {@code n} clips per unit. */
    public Options withK(int n) {
      return new Options(n, quantiles, perQuantile, sample, seed, tokens, batchSize, checkpoint,
          checkpointEvery);
    }

    /** These options with {@code q} quantile bins (0: none). */
    public Options withQuantiles(int q) {
      return new Options(k, q, perQuantile, Math.max(sample, q), seed, tokens, batchSize,
          checkpoint, checkpointEvery);
    }

    /** These options with {@code n} examples per quantile bin. */
    public Options withPerQuantile(int n) {
      return new Options(k, quantiles, n, sample, seed, tokens, batchSize, checkpoint,
          checkpointEvery);
    }

    /** These options sampling {@code n} clips with {@code s} as seed. */
    public Options withSample(int n, long s) {
      return new Options(k, quantiles, perQuantile, n, s, tokens, batchSize, checkpoint,
          checkpointEvery);
    }

    /** These options taking each clip's maximum over the tokens of {@code group}. */
    public Options withTokens(TokenGroup group) {
      return new Options(k, quantiles, perQuantile, sample, seed, group, batchSize, checkpoint,
          checkpointEvery);
    }

    /** These options with another batch size. */
    public Options withBatchSize(int b) {
      return new Options(k, quantiles, perQuantile, sample, seed, tokens, b, checkpoint,
          checkpointEvery);
    }

    /** These options saving their state to {@code file} every {@code clips} clips. */
    public Options withCheckpoint(Path file, int clips) {
      return new Options(k, quantiles, perQuantile, sample, seed, tokens, batchSize, file, clips);
    }
  }

  /** Where a pass is: dataset rows done and seconds of audio read (resumed ones included). */
  @FunctionalInterface
  public interface Progress {
    /** Called after every batch. */
    void at(int rows, double seconds);
  }

  private TopRun() {}

  /** Ranks {@code targets} over {@code data} through {@code model}, without progress reports. */
  public static TopResult run(AudioModel model, Dataset data, TopTargets targets, Options opt) {
    return run(model, data, targets, opt, Map.of(), (r, s) -> { });
  }

  /**
   * Ranks {@code targets} over {@code data} through {@code model}.
   *
   * @param provenance extra entries (e.g. the SAE's hash); model, weights, data and settings are
   *     added
   */
  public static TopResult run(AudioModel model, Dataset data, TopTargets targets, Options opt,
      Map<String, String> provenance, Progress progress) {
    GradMode.disableOnCurrentThread();
    Map<String, String> prov = new LinkedHashMap<>(provenance);
    prov.put("model", model.name());
    prov.put("weights_sha256", model.weightsSha256());
    prov.put("data", data.name());
    prov.put("data_sha256", data.listHash());
    prov.put("hook", targets.hook());
    prov.put("units", Integer.toString(targets.size()));
    prov.put("tokens", opt.tokens().toString());
    prov.put("k", Integer.toString(opt.k()));
    prov.put("quantiles", opt.quantiles() + " x " + opt.perQuantile() + " of " + opt.sample()
        + " sampled clips, seed " + opt.seed());
    prov.put("workbench", io.anw.Version.workbench());
    String identity = String.join("|", model.weightsSha256(), data.listHash(),
        targets.identity(), Integer.toString(opt.k()), Integer.toString(opt.sample()),
        Long.toString(opt.seed()), opt.tokens().toString(),
        String.valueOf(provenance.get("sae_sha256")));
    TopState state = resume(opt, identity, targets.size());
    if (state == null) {
      state = new TopState(targets.size(), opt.k(), opt.sample(), opt.seed());
    }
    int rowsBefore = state.rowsDone;
    double[] seconds = {0};
    for (int r = 0; r < rowsBefore; r++) {
      seconds[0] += data.items().get(r).seconds();
    }
    progress.at(rowsBefore, seconds[0]);
    int segment = model.segmentFrames();
    java.util.function.Function<Dataset.Item, DatasetInputs.Prepared> prepare =
        DatasetInputs.prepareItem(model, data);
    Dataset rest = data.skip(rowsBefore);
    TopState st = state;
    try (Stream<Dataset.Loaded<DatasetInputs.Prepared>> clips = rest.streamItems(it -> {
      long samples = data.samplesOf(it) * model.sampleRate()
          / Math.max(1, data.options().sampleRate());
      boolean isLong = model.inputFrames(samples) > segment;
      return isLong ? null : prepare.apply(it);
    })) {
      List<Dataset.Loaded<DatasetInputs.Prepared>> batch = new ArrayList<>();
      int sinceSave = 0;
      Iterator<Dataset.Loaded<DatasetInputs.Prepared>> it = clips.iterator();
      while (it.hasNext()) {
        Dataset.Loaded<DatasetInputs.Prepared> p = it.next();
        boolean breaks = p.value() == null || (!batch.isEmpty()
            && (batch.size() == opt.batchSize()
            || batch.get(0).value().frames() != p.value().frames()));
        if (breaks && !batch.isEmpty()) {
          sinceSave += runBatch(model, targets, opt, batch, rowsBefore, st, data, seconds);
          progress.at(st.rowsDone, seconds[0]);
          batch.clear();
          sinceSave = maybeSave(opt, identity, st, sinceSave);
        }
        if (p.value() != null) {
          batch.add(p);
          continue;
        }
        int row = rowsBefore + p.row();
        Dataset.Item item = data.items().get(row);
        ClipBest best = runLong(model, data, item, targets, opt, segment);
        st.add(row, best);
        st.rowsDone = row + 1;
        seconds[0] += item.seconds();
        progress.at(st.rowsDone, seconds[0]);
        sinceSave = maybeSave(opt, identity, st, sinceSave + 1);
      }
      if (!batch.isEmpty()) {
        runBatch(model, targets, opt, batch, rowsBefore, st, data, seconds);
      }
    }
    st.rowsDone = data.size();
    progress.at(data.size(), seconds[0]);
    if (st.clips == 0) {
      throw new WorkbenchException(data.name() + ": no clip could be read (" + data.size()
          + " rows)");
    }
    prov.put("clips", Long.toString(st.clips));
    return TopResult.of(model, data, targets, opt, st, prov);
  }

  private static int maybeSave(Options opt, String identity, TopState st, int sinceSave) {
    if (opt.checkpoint() != null && opt.checkpointEvery() > 0
        && sinceSave >= opt.checkpointEvery()) {
      TopCheckpoint.save(opt.checkpoint(), identity, st);
      return 0;
    }
    return sinceSave;
  }

  private static TopState resume(Options opt, String identity, int units) {
    if (opt.checkpoint() == null || !Files.isRegularFile(opt.checkpoint())) {
      return null;
    }
    TopState s = TopCheckpoint.load(opt.checkpoint(), identity);
    if (s.units != units) {
      throw new WorkbenchException(opt.checkpoint() + ": made for " + s.units
          + " units, not " + units + "; delete it to start again");
    }
    return s;
  }

  /** Runs equal-length clips as one batch and adds each clip's best tokens; returns the clips. */
  private static int runBatch(AudioModel model, TopTargets targets, Options opt,
      List<Dataset.Loaded<DatasetInputs.Prepared>> batch, int rowsBefore, TopState st,
      Dataset data, double[] seconds) {
    ClipBest[] best = new ClipBest[batch.size()];
    for (int b = 0; b < best.length; b++) {
      best[b] = new ClipBest(targets.size());
    }
    try (NDManager m = NDManager.newBaseManager()) {
      List<PartedInput> singles = new ArrayList<>();
      for (Dataset.Loaded<DatasetInputs.Prepared> p : batch) {
        singles.add(p.value().toInput(m));
      }
      PartedInput input = singles.size() == 1 ? singles.get(0) : PartedInput.stack(singles, m);
      model.run(input, hooks(model, targets, opt.tokens(), best, new int[2])).close();
    }
    for (int b = 0; b < best.length; b++) {
      int row = rowsBefore + batch.get(b).row();
      st.add(row, best[b]);
      st.rowsDone = row + 1;
      seconds[0] += data.items().get(row).seconds();
    }
    return batch.size();
  }

  /** Runs one long recording a segment (a whole number of chunks) at a time. */
  private static ClipBest runLong(AudioModel model, Dataset data, Dataset.Item item,
      TopTargets targets, Options opt, int segment) {
    ClipBest[] best = {new ClipBest(targets.size())};
    long[] ids = DatasetInputs.itemCaptionIds(model).apply(item);
    int[] chunks = new int[2]; // {chunks of the segments before, chunks of this segment}
    try (DatasetInputs.Frames frames = DatasetInputs.frames(model, data, item)) {
      for (float[][] x; (x = frames.next(segment)) != null; ) {
        try (NDManager m = NDManager.newBaseManager()) {
          PartedInput in = new DatasetInputs.Prepared(x, ids).toInput(m);
          model.run(in, hooks(model, targets, opt.tokens(), best, chunks)).close();
        }
        chunks[0] += chunks[1];
      }
    }
    return best[0];
  }

  /**
   * Hooks that read, at every point with units, each clip's maximum over the chosen tokens of
   * the chunk and where it is, into {@code best} (one per clip of the batch).
   *
   * @param chunks {@code chunks[0]}: chunks of the recording before this input (its chunk
   *     numbers start there); {@code chunks[1]} is set to this input's chunk count
   */
  static Hooks hooks(AudioModel model, TopTargets targets, TokenGroup tokens, ClipBest[] best,
      int[] chunks) {
    Hooks h = targets.base();
    for (String point : targets.points()) {
      int[] idx = targets.indicesAt(point);
      int off = targets.offsetOf(point);
      h = h.and(point, (ctx, x) -> {
        chunks[1] = ctx.chunks();
        read(model, ctx, x, tokens, idx, off, best, chunks[0]);
        return x;
      });
    }
    return h;
  }

  private static void read(AudioModel model, HookContext ctx, NDArray x, TokenGroup tokens,
      int[] idx, int off, ClipBest[] best, int chunkOffset) {
    if (x.getShape().dimension() != 3) {
      throw new WorkbenchException(ctx.name() + " has shape " + x.getShape()
          + "; top activations rank units of [batch, tokens, units] points");
    }
    long n = x.getShape().get(1);
    int d = (int) x.getShape().get(2);
    int[] at;
    int tokenShift = 0;
    if (ctx.name().equals(HookNames.EMBED) && model instanceof M2dViT) {
      if (tokens == TokenGroup.CLS || tokens == TokenGroup.TEXT) {
        throw new WorkbenchException(HookNames.EMBED + " holds only the patch tokens; use"
            + " --tokens audio");
      }
      at = java.util.stream.IntStream.range(0, (int) n).toArray();
      tokenShift = 1; // M2D's hook_embed has no CLS: its token i is the chunk's token i + 1
    } else {
      at = model.tokenPositions(tokens, ctx.chunk(), n);
    }
    if (at.length == 0) {
      return;
    }
    int lo = at[0];
    int hi = at[at.length - 1] + 1;
    NDArray sub = lo == 0 && hi == n ? x : x.get(new NDIndex(":, {}:{}, :", lo, hi));
    if (hi - lo != at.length) { // not one run of positions (AST's audio patches): mask the rest
      float[] mask = new float[hi - lo];
      java.util.Arrays.fill(mask, Float.NEGATIVE_INFINITY);
      for (int p : at) {
        mask[p - lo] = 0f;
      }
      sub = sub.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).add(io.anw.TorchArrays.of(
          ctx.manager(), mask, new ai.djl.ndarray.types.Shape(1, hi - lo, 1)));
    }
    float[] max = sub.max(new int[] {1}).toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
        .toFloatArray();
    long[] where = sub.argMax(1).toLongArray();
    int rows = (int) x.getShape().get(0);
    int chunk = chunkOffset + ctx.chunk().index();
    int tp = ctx.chunk().timePatches();
    for (int b = 0; b < rows; b++) {
      ClipBest cb = best[b];
      for (int j = 0; j < idx.length; j++) {
        int i = b * d + idx[j];
        cb.offer(off + j, max[i], chunk, (int) where[i] + lo + tokenShift, tp);
      }
    }
  }
}
