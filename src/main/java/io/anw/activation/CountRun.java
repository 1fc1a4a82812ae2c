package io.anw.activation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.anw.TorchArrays;
import io.anw.Version;
import io.anw.WorkbenchException;
import io.anw.audio.Dataset;
import io.anw.model.AudioModel;
import io.anw.model.PartedInput;
import io.anw.model.TokenGroup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * One counting pass over a dataset: clips are decoded and turned into normalised log-mels (and,
 * for audio-text models, caption token ids) on the loading threads, consecutive clips of equal length are batched, and an
 * {@link ActivationCounter} accumulates the counts. With a checkpoint file the pass saves its
 * partial counts every K clips and, started again with the same model, data and shard, resumes
 * where it stopped; the result equals an uninterrupted pass bit for bit.
 */
public final class CountRun {
  /**
   * Settings of a pass.
   *
   * @param batchSize clips per forward pass (equal-length clips only)
   * @param checkpointEvery clips between partial saves (0: never)
   * @param checkpoint where partial counts go ({@code null}: no checkpointing)
   * @param tokens the tokens counted in every chunk (all; or the CLS, audio patch or caption
   *     tokens)
   * @param shard which shard of the data this pass counts, 1-based ({@code shardCount} 1: all)
   * @param shardCount how many shards the data is cut into (interleaved clips)
   * @param units the units counted (null: the model's MLP neurons; or an SAE's features, whose
   *     identity the caller puts in the provenance under {@link CountsProvenance#SAE_SHA256})
   */
  public record Options(int batchSize, int checkpointEvery, Path checkpoint, TokenGroup tokens,
      int shard, int shardCount, io.anw.model.UnitSpace units) {
    /** Checks the shard. */
    public Options {
      if (shardCount < 1 || shard < 1 || shard > shardCount) {
        throw new WorkbenchException("shard " + shard + "/" + shardCount
            + " is not i/n with 1 <= i <= n");
      }
    }

    /**
     * Batches of {@link io.anw.model.Batcher#DEFAULT_BATCH}, no checkpointing, the model's
     * default tokens ({@link AudioModel#defaultTokens}: every token, or for models that pad
     * their input the tokens that cover audio), all data.
     */
    public static Options defaults() {
      return new Options(io.anw.model.Batcher.DEFAULT_BATCH, 0, null, null, 1, 1, null);
    }

    /** The tokens counted for {@code model}: as set, else the model's default. */
    public TokenGroup tokensOf(AudioModel model) {
      return tokens == null ? model.defaultTokens() : tokens;
    }

    /** These options with partial saves to {@code file} every {@code clips} clips. */
    public Options withCheckpoint(Path file, int clips) {
      return new Options(batchSize, clips, file, tokens, shard, shardCount, units);
    }

    /** These options with another batch size. */
    public Options withBatchSize(int b) {
      return new Options(b, checkpointEvery, checkpoint, tokens, shard, shardCount, units);
    }

    /** These options counting only the tokens of {@code group}. */
    public Options withTokens(TokenGroup group) {
      return new Options(batchSize, checkpointEvery, checkpoint, group, shard, shardCount, units);
    }

    /** These options counting other units (e.g. an SAE's features; null: neurons). */
    public Options withUnits(io.anw.model.UnitSpace u) {
      return new Options(batchSize, checkpointEvery, checkpoint, tokens, shard, shardCount, u);
    }

    /** The units counted for {@code model}. */
    public io.anw.model.UnitSpace unitsOf(AudioModel model) {
      return units == null ? io.anw.model.UnitSpace.neurons(model) : units;
    }

    /** These options counting shard {@code i} of {@code n}. */
    public Options withShard(int i, int n) {
      return new Options(batchSize, checkpointEvery, checkpoint, tokens, i, n, units);
    }
  }

  private static final String ROWS_DONE = CountsProvenance.ROWS_DONE;

  /** Provenance key of the rows and files skipped as unreadable, one per line. */
  public static final String SKIPPED = CountsProvenance.SKIPPED;

  private CountRun() {}

  /**
   * Where a pass is: dataset rows done (counted or skipped) and seconds of audio counted, both
   * including what a resumed pass had done before.
   */
  @FunctionalInterface
  public interface Progress {
    /** Called after every batch, and within long recordings after every segment. */
    void at(int rows, double seconds);
  }

  /**
   * Counts {@code data} through {@code model}.
   *
   * @param provenance extra entries; the standard ones ({@link CountsProvenance}: weights hash,
   *     front end, hook, tokens, data hashes, shard, version) are added
   * @param progress told the number of rows done after each batch (resumed rows included)
   */
  public static ActivationCounts run(AudioModel model, Dataset data, Options opt,
      Map<String, String> provenance, LongConsumer progress) {
    return run(model, data, opt, provenance, (rows, seconds) -> progress.accept(rows));
  }

  /**
   * Counts {@code data} through {@code model}. Clips longer than {@link #segmentFrames} are
   * streamed: decoded, resampled, turned into log-mels and counted a segment at a time (a whole
   * number of model chunks), so memory does not grow with their length and the counts are those
   * of the whole clip.
   *
   * @param provenance extra entries; the standard ones ({@link CountsProvenance}: weights hash,
   *     front end, hook, tokens, data hashes, shard, version) are added
   * @param progress told the rows and seconds done as the pass goes
   */
  public static ActivationCounts run(AudioModel model, Dataset whole, Options opt,
      Map<String, String> provenance, Progress progress) {
    if (opt.batchSize() < 1) {
      throw new WorkbenchException("--batch must be at least 1, got " + opt.batchSize());
    }
    if (opt.checkpointEvery() < 0) {
      throw new WorkbenchException("--checkpoint-every must be 0 (never) or more, got "
          + opt.checkpointEvery());
    }
    Dataset data = whole.shard(opt.shard(), opt.shardCount());
    Map<String, String> prov = provenance(model, whole, opt, provenance);

    ActivationCounts done = resume(opt, prov, data.size());
    long clipsBefore = done == null ? 0 : Long.parseLong(done.provenance().get("clips"));
    // rows, not clips: rows skipped as unreadable before the checkpoint count as done too
    int rowsBefore = done == null ? 0 : Integer.parseInt(done.provenance().getOrDefault(
        ROWS_DONE, done.provenance().get("clips")));
    double[] seconds = new double[1];
    for (int r = 0; r < rowsBefore; r++) {
      seconds[0] += data.items().get(r).seconds();
    }
    progress.at(rowsBefore, seconds[0]);
    int segment = segmentFrames(model);
    Function<Dataset.Item, DatasetInputs.Prepared> prepare =
        DatasetInputs.prepareItem(model, data);
    Dataset rest = data.skip(rowsBefore);
    try (ActivationCounter counter = new ActivationCounter(model, opt.unitsOf(model),
        data.classes(), false, opt.tokensOf(model));
        Stream<Dataset.Loaded<Labelled>> clips = rest.streamItems(it -> {
          int label = label(data, it);
          boolean isLong = model.inputFrames(data.samplesOf(it)) > segment;
          // long recordings are streamed later, on the counting thread, segment by segment
          return new Labelled(isLong ? null : prepare.apply(it), label, it);
        })) {
      List<Dataset.Loaded<Labelled>> batch = new ArrayList<>();
      long sinceSave = 0;
      Iterator<Dataset.Loaded<Labelled>> it = clips.iterator();
      while (it.hasNext()) {
        Dataset.Loaded<Labelled> p = it.next();
        boolean breaks = p.value().input() == null || (!batch.isEmpty()
            && (batch.size() == opt.batchSize()
            || batch.get(0).value().frames() != p.value().frames()));
        if (breaks && !batch.isEmpty()) {
          int rowsDone = rowsBefore + batch.get(batch.size() - 1).row() + 1;
          batch.forEach(b -> seconds[0] += b.value().item().seconds());
          sinceSave += flush(counter, batch, opt.batchSize());
          progress.at(rowsDone, seconds[0]);
          if (opt.checkpoint() != null && opt.checkpointEvery() > 0
              && sinceSave >= opt.checkpointEvery()) {
            save(opt.checkpoint(), combine(done, counter, prov, clipsBefore, rowsDone, data));
            sinceSave = 0;
          }
        }
        if (p.value().input() != null) {
          batch.add(p);
          continue;
        }
        int rowsDone = rowsBefore + p.row() + 1;
        double before = seconds[0];
        sinceSave += countLong(model, data, p.value(), segment, opt, counter,
            s -> progress.at(rowsDone - 1, before + s));
        seconds[0] = before + p.value().item().seconds();
        progress.at(rowsDone, seconds[0]);
        if (opt.checkpoint() != null && opt.checkpointEvery() > 0
            && sinceSave >= opt.checkpointEvery()) {
          save(opt.checkpoint(), combine(done, counter, prov, clipsBefore, rowsDone, data));
          sinceSave = 0;
        }
      }
      batch.forEach(b -> seconds[0] += b.value().item().seconds());
      flush(counter, batch, opt.batchSize());
      progress.at(data.size(), seconds[0]);
      ActivationCounts total = combine(done, counter, prov, clipsBefore, -1, data);
      if (counter.clips() + clipsBefore == 0) {
        throw new WorkbenchException(data.name() + ": no clip could be read ("
            + data.size() + " rows skipped)");
      }
      return total;
    }
  }

  /**
   * The provenance of counts of {@code whole} (its shard of {@code opt}) through {@code model}:
   * {@code extra} plus the standard entries ({@link CountsProvenance}: model, weights hash,
   * front end, hook, tokens, data hashes, shard, version); {@link #finish} adds the clips and
   * the skipped rows. Every counting pass, on one machine or on a cluster, labels its counts
   * with this.
   */
  public static Map<String, String> provenance(AudioModel model, Dataset whole, Options opt,
      Map<String, String> extra) {
    Dataset data = whole.shard(opt.shard(), opt.shardCount());
    Map<String, String> prov = new LinkedHashMap<>(extra);
    prov.put(CountsProvenance.MODEL, model.name());
    model.source().ifPresent(f -> prov.put(CountsProvenance.MODEL_FILE, f.getFileName()
        .toString()));
    prov.put(CountsProvenance.WEIGHTS_SHA256, model.weightsSha256());
    prov.putAll(model.frontEndProvenance());
    prov.put(CountsProvenance.HOOK, opt.unitsOf(model).hook());
    prov.put(CountsProvenance.TOKENS, opt.tokensOf(model).toString());
    prov.put(CountsProvenance.DATA, whole.name());
    prov.put(CountsProvenance.DATASET_SHA256, whole.listHash());
    prov.put(CountsProvenance.DATA_SHA256, data.listHash());
    prov.put(CountsProvenance.SHARD, opt.shard() + "/" + opt.shardCount());
    prov.put(CountsProvenance.WORKBENCH, Version.workbench());
    prov.remove(CountsProvenance.CLIPS);
    prov.remove(ROWS_DONE);
    prov.remove(SKIPPED);
    return prov;
  }

  /**
   * Final counts: {@code sum}'s arrays with {@code prov} (from {@link #provenance}) plus the
   * clips counted and, when any, the skipped rows (one per line, in row order).
   */
  public static ActivationCounts finish(ActivationCounts sum, Map<String, String> prov,
      long clips, java.util.Collection<String> skipped) {
    Map<String, String> p = new LinkedHashMap<>(prov);
    p.put("clips", Long.toString(clips));
    if (!skipped.isEmpty()) {
      p.put(SKIPPED, String.join("\n", skipped));
    }
    return new ActivationCounts(sum.layers(), sum.neurons(), sum.classes(),
        sum.overZeroFlat(), sum.nPerClass(), sum.hook(), p);
  }

  /**
   * Frames of the segments a long recording is counted in ({@link AudioModel#segmentFrames}: for
   * M2D, {@link io.anw.model.M2dViT#MAX_BATCH_ROWS} chunks of the model's unit, so the chunks,
   * and the forward passes that group them, are those of the whole clip).
   */
  public static int segmentFrames(AudioModel model) {
    return model.segmentFrames();
  }

  /**
   * Counts one long recording a segment at a time into a counter of its own, added to
   * {@code counter} once the whole file was read (a file that fails halfway adds nothing);
   * returns the clips counted (1, or 0 when it was skipped).
   */
  private static int countLong(AudioModel model, Dataset data, Labelled clip, int segment,
      Options opt, ActivationCounter counter, java.util.function.DoubleConsumer progress) {
    long[] ids = DatasetInputs.itemCaptionIds(model).apply(clip.item());
    try (ActivationCounter part = new ActivationCounter(model, opt.unitsOf(model),
        data.classes(), false, opt.tokensOf(model));
        DatasetInputs.Frames frames = DatasetInputs.frames(model, data,
            clip.item())) {
      double perFrame = frames.seconds() / Math.max(1, frames.total());
      for (float[][] x = frames.next(segment); x != null; x = frames.next(segment)) {
        try (NDManager manager = NDManager.newBaseManager()) {
          NDArray audio = TorchArrays.of(manager, x);
          part.add(ids == null ? PartedInput.audio(audio)
              : PartedInput.of(audio, TorchArrays.of(manager, ids)), new int[] {clip.label()});
        }
        progress.accept(frames.done() * perFrame);
      }
      counter.absorb(part, 1);
      return 1;
    } catch (WorkbenchException e) {
      data.skipped(clip.item(), e);
      return 0;
    }
  }

  /** A clip ready for the model (log-mel, caption ids; null for a long one) and its class. */
  private record Labelled(DatasetInputs.Prepared input, int label, Dataset.Item item) {
    int frames() {
      return input.frames();
    }
  }

  private static int label(Dataset data, Dataset.Item it) {
    int c = data.classIndex(it.label());
    if (c < 0) {
      throw new WorkbenchException(it.file() + ": label '" + it.label()
          + "' is not a class of " + data.name());
    }
    return c;
  }

  /** Runs the batch through the counter (the model's batcher) and empties it; returns its clips. */
  private static int flush(ActivationCounter counter, List<Dataset.Loaded<Labelled>> loaded,
      int batchSize) {
    if (loaded.isEmpty()) {
      return 0;
    }
    int b = loaded.size();
    try (NDManager manager = NDManager.newBaseManager()) {
      List<PartedInput> inputs = new ArrayList<>(b);
      int[] labels = new int[b];
      for (int i = 0; i < b; i++) {
        inputs.add(loaded.get(i).value().input().toInput(manager));
        labels[i] = loaded.get(i).value().label();
      }
      counter.addAll(inputs, labels, batchSize);
    }
    loaded.clear();
    return b;
  }

  private static ActivationCounts combine(ActivationCounts done, ActivationCounter counter,
      Map<String, String> prov, long clipsBefore, int rowsDone, Dataset data) {
    ActivationCounts fresh = counter.counts(prov);
    ActivationCounts total = done == null ? fresh : done.plus(fresh);
    long clips = clipsBefore + counter.clips();
    Map<String, String> p = new LinkedHashMap<>(prov);
    if (rowsDone >= 0) { // partial counts: where a resumed pass starts (-1: final counts)
      p.put(ROWS_DONE, Integer.toString(rowsDone));
    }
    // what was skipped, before an interruption too: the rows are not read again on resume
    java.util.Set<String> skipped = new java.util.LinkedHashSet<>();
    if (done != null && done.provenance().get(SKIPPED) != null) {
      skipped.addAll(done.provenance().get(SKIPPED).lines().toList());
    }
    data.problems().forEach(pr -> skipped.add(pr.toString().replace('\n', ' ')));
    return finish(total, p, clips, skipped);
  }

  private static void save(Path checkpoint, ActivationCounts partial) {
    CountsFile.write(partial, checkpoint);
  }

  /** The partial counts to resume from, if the checkpoint belongs to this very run. */
  private static ActivationCounts resume(Options opt, Map<String, String> prov, int items) {
    if (opt.checkpoint() == null || !Files.isRegularFile(opt.checkpoint())) {
      return null;
    }
    ActivationCounts partial = CountsFile.read(opt.checkpoint());
    List<String> keys = new java.util.ArrayList<>(CountsProvenance.IDENTITY);
    keys.addAll(List.of(CountsProvenance.SHARD, CountsProvenance.DATA_SHA256));
    for (String key : keys) {
      String saved = partial.provenance().get(key);
      if (!Objects.equals(saved, prov.get(key))) {
        throw new WorkbenchException(opt.checkpoint() + ": partial counts of another run ("
            + key + " differs); delete it to start afresh");
      }
    }
    long rows = Long.parseLong(partial.provenance().getOrDefault(ROWS_DONE,
        partial.provenance().getOrDefault("clips", "0")));
    if (rows > items) {
      throw new WorkbenchException(opt.checkpoint() + ": partial counts cover " + rows
          + " rows but the data has " + items);
    }
    return partial;
  }
}
