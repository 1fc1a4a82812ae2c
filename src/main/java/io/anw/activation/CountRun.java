package io.anw.activation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.anw.TorchArrays;
import io.anw.Version;
import io.anw.WorkbenchException;
import io.anw.audio.Clip;
import io.anw.audio.Dataset;
import io.anw.audio.LogMelPreset;
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
   * @param preset the log-mel front end (the model's: {@code m2d-16k})
   * @param tokens the tokens counted in every chunk (all; or the CLS, audio patch or caption
   *     tokens)
   */
  public record Options(int batchSize, int checkpointEvery, Path checkpoint, LogMelPreset preset,
      TokenGroup tokens) {
    /** Batches of 8, no checkpointing, the 16 kHz M2D front end, every token. */
    public static Options defaults() {
      return new Options(8, 0, null, LogMelPreset.M2D_16K, TokenGroup.ALL);
    }

    /** These options with partial saves to {@code file} every {@code clips} clips. */
    public Options withCheckpoint(Path file, int clips) {
      return new Options(batchSize, clips, file, preset, tokens);
    }

    /** These options with another batch size. */
    public Options withBatchSize(int b) {
      return new Options(b, checkpointEvery, checkpoint, preset, tokens);
    }

    /** These options counting only the tokens of {@code group}. */
    public Options withTokens(TokenGroup group) {
      return new Options(batchSize, checkpointEvery, checkpoint, preset, group);
    }
  }

  private CountRun() {}

  /**
   * Counts {@code data} through {@code model}.
   *
   * @param provenance identifies the run (at least {@code model_sha256}); the data hash,
   *     hook, preset and versions are added
   * @param progress told the number of clips done after each batch (resumed clips included)
   */
  public static ActivationCounts run(M2dViT model, Dataset data, Options opt,
      Map<String, String> provenance, LongConsumer progress) {
    Map<String, String> prov = new LinkedHashMap<>(provenance);
    prov.put("data_sha256", data.listHash());
    prov.put("hook", ActivationCounter.HOOK);
    prov.put("preset", opt.preset().name());
    prov.put("tokens", opt.tokens().toString());
    prov.put("norm_stats", model.normStats().mean() + "," + model.normStats().std());
    prov.put("workbench", Version.workbench());
    prov.remove("clips");

    ActivationCounts done = resume(opt, prov, data.size());
    long skipped = done == null ? 0 : Long.parseLong(done.provenance().get("clips"));
    progress.accept(skipped);
    Function<Clip, DatasetInputs.Prepared> prepare = DatasetInputs.prepare(model, opt.preset());
    try (ActivationCounter counter = new ActivationCounter(model, data.classes(), false,
        opt.tokens());
        Stream<Labelled> clips = data.skip((int) skipped).stream(clip ->
            new Labelled(prepare.apply(clip), label(data, clip)))) {
      List<Labelled> batch = new ArrayList<>();
      long sinceSave = 0;
      Iterator<Labelled> it = clips.iterator();
      while (it.hasNext()) {
        Labelled p = it.next();
        if (!batch.isEmpty() && (batch.size() == opt.batchSize()
            || batch.get(0).frames() != p.frames())) {
          sinceSave += flush(counter, batch);
          progress.accept(skipped + counter.clips());
          if (opt.checkpoint() != null && opt.checkpointEvery() > 0
              && sinceSave >= opt.checkpointEvery()) {
            save(opt.checkpoint(), combine(done, counter, prov, skipped));
            sinceSave = 0;
          }
        }
        batch.add(p);
      }
      flush(counter, batch);
      progress.accept(skipped + counter.clips());
      return combine(done, counter, prov, skipped);
    }
  }

  /** A clip ready for the model (log-mel, caption ids) and its class index. */
  private record Labelled(DatasetInputs.Prepared input, int label) {
    int frames() {
      return input.frames();
    }
  }

  private static int label(Dataset data, Clip clip) {
    int c = data.classIndex(clip.label());
    if (c < 0) {
      throw new WorkbenchException(clip.source() + ": label '" + clip.label()
          + "' is not a class of " + data.name());
    }
    return c;
  }

  /** Runs the batch through the counter and empties it; returns the clips counted. */
  private static int flush(ActivationCounter counter, List<Labelled> batch) {
    if (batch.isEmpty()) {
      return 0;
    }
    int b = batch.size();
    int mel = batch.get(0).input().logMel().length;
    int frames = batch.get(0).frames();
    long[] first = batch.get(0).input().captionIds();
    int tokens = first == null ? 0 : first.length;
    float[] flat = new float[b * mel * frames];
    long[] ids = new long[b * tokens];
    int[] labels = new int[b];
    for (int i = 0; i < b; i++) {
      float[][] x = batch.get(i).input().logMel();
      for (int m = 0; m < mel; m++) {
        System.arraycopy(x[m], 0, flat, (i * mel + m) * frames, frames);
      }
      if (tokens > 0) {
        System.arraycopy(batch.get(i).input().captionIds(), 0, ids, i * tokens, tokens);
      }
      labels[i] = batch.get(i).label();
    }
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray audio = TorchArrays.of(manager, flat, new Shape(b, mel, frames));
      counter.add(tokens == 0 ? PartedInput.audio(audio)
          : PartedInput.of(audio, TorchArrays.of(manager, ids, new Shape(b, tokens))), labels);
    }
    batch.clear();
    return b;
  }

  private static ActivationCounts combine(ActivationCounts done, ActivationCounter counter,
      Map<String, String> prov, long skipped) {
    Map<String, String> p = new LinkedHashMap<>(prov);
    ActivationCounts fresh = counter.counts(p);
    ActivationCounts total = done == null ? fresh : done.plus(fresh);
    p.put("clips", Long.toString(skipped + counter.clips()));
    return new ActivationCounts(total.layers(), total.neurons(), total.classes(),
        total.overZeroFlat(), total.nPerClass(), total.hook(), p);
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
    for (String key : List.of("model_sha256", "weights_sha256", "data_sha256", "shard", "hook",
        "preset", "tokens")) {
      String saved = partial.provenance().get(key);
      if (key.equals("tokens") && saved == null) {
        saved = TokenGroup.ALL.toString(); // partial counts written before token groups
      }
      if (!Objects.equals(saved, prov.get(key))) {
        throw new WorkbenchException(opt.checkpoint() + ": partial counts of another run ("
            + key + " differs); delete it to start afresh");
      }
    }
    long clips = Long.parseLong(partial.provenance().getOrDefault("clips", "0"));
    if (clips > items) {
      throw new WorkbenchException(opt.checkpoint() + ": partial counts cover " + clips
          + " clips but the data has " + items);
    }
    return partial;
  }
}
