package io.anw.activation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.anw.GradMode;
import io.anw.Version;
import io.anw.WorkbenchException;
import io.anw.audio.Dataset;
import io.anw.model.Batcher;
import io.anw.model.Hooks;
import io.anw.model.AudioModel;
import io.anw.model.PartedInput;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * One pass over a dataset that sums the activations of one {@code [rows, tokens, d]} hook point
 * ({@link HookStats}): the model's default tokens of every chunk (padding left out), as an
 * SAE's trainer reads them. Clips are decoded on the loading threads and run {@code batch} at
 * a time; the sums stay in PyTorch (float64) until the end.
 */
public final class StatsRun {
  private StatsRun() {}

  /**
   * The statistics of {@code hook} over {@code data}.
   *
   * @param extra provenance entries to add to the standard ones
   * @param progress told the rows done after each batch
   * @throws WorkbenchException when {@code hook} is not a hook point of the model or not
   *     {@code [rows, tokens, d]}, or when no clip could be read
   */
  public static HookStats run(AudioModel model, Dataset data, String hook, int batch,
      Map<String, String> extra, LongConsumer progress) {
    if (!model.hookNames().contains(hook)) {
      throw new WorkbenchException("--hook " + hook + " is not a hook point of " + model.name()
          + " (e.g. blocks.0.mlp.hook_post, blocks.0.hook_resid_post)");
    }
    if (batch < 1) {
      throw new WorkbenchException("--batch must be at least 1, got " + batch);
    }
    GradMode.disableOnCurrentThread();
    try (NDManager sums = NDManager.newBaseManager()) {
      NDArray[] acc = new NDArray[3]; // sum [d], sum_sq [d], sum_norm [] (float64)
      long[] tokens = new long[1];
      io.anw.model.TokenGroup read = model.defaultTokens();
      Hooks hooks = Hooks.of(hook, (ctx, x) -> {
        long[] s = x.getShape().getShape();
        if (s.length != 3) {
          throw new WorkbenchException(hook + " is " + x.getShape()
              + "; statistics read [rows, tokens, d] hook points");
        }
        long kept = s[1];
        try (NDManager step = sums.newSubManager()) {
          NDArray in = x;
          if (read != io.anw.model.TokenGroup.ALL) { // padding left out, as in counts
            int[] at = model.tokenPositions(read, ctx.chunk(), s[1]);
            kept = at.length;
            // other tokens zeroed: they add nothing to the sums
            in = x.mul(ActivationCounter.tokenMask(at, s[1], step));
          }
          NDArray rows = in.reshape(s[0] * s[1], s[2]).toType(DataType.FLOAT64, true);
          rows.attach(step);
          NDArray[] add = {rows.sum(new int[] {0}), rows.square().sum(new int[] {0}),
              rows.square().sum(new int[] {1}).sqrt().sum()};
          for (int i = 0; i < 3; i++) {
            if (acc[i] == null) {
              acc[i] = add[i].duplicate();
              acc[i].attach(sums);
            } else {
              acc[i].addi(add[i]);
            }
          }
        }
        tokens[0] += s[0] * kept;
        return x;
      });
      long clips = 0;
      int done = 0;
      try (Stream<Dataset.Loaded<DatasetInputs.Prepared>> stream = data.streamItems(
          DatasetInputs.prepareItem(model, data))) {
        Iterator<Dataset.Loaded<DatasetInputs.Prepared>> it = stream.iterator();
        List<DatasetInputs.Prepared> pending = new ArrayList<>();
        while (it.hasNext()) {
          Dataset.Loaded<DatasetInputs.Prepared> next = it.next();
          pending.add(next.value());
          done = next.row() + 1;
          if (pending.size() == batch || !it.hasNext()) {
            clips += pending.size();
            runBatch(model, pending, batch, hooks);
            pending.clear();
            progress.accept(done);
          }
        }
      }
      if (clips == 0) {
        throw new WorkbenchException(data.name() + ": no clip could be read (" + data.size()
            + " rows skipped)");
      }
      List<String> skipped = data.problems().stream()
          .map(p -> p.toString().replace('\n', ' ')).toList();
      Map<String, String> prov = provenance(model, data, hook, extra, clips, skipped);
      return new HookStats(hook, tokens[0], acc[0].toDoubleArray(), acc[1].toDoubleArray(),
          acc[2].toDoubleArray()[0], prov);
    }
  }

  /**
   * The provenance of statistics of {@code hook} over {@code data}: {@code extra} plus model,
   * weights hash, front end, hook, tokens, data and its list hash, version, clips and the
   * skipped rows (when any). Every statistics pass, on one machine or a cluster, labels its
   * result with this.
   */
  public static Map<String, String> provenance(AudioModel model, Dataset data, String hook,
      Map<String, String> extra, long clips, List<String> skipped) {
    Map<String, String> prov = new LinkedHashMap<>(extra);
    prov.put(CountsProvenance.MODEL, model.name());
    prov.put(CountsProvenance.WEIGHTS_SHA256, model.weightsSha256());
    prov.put(CountsProvenance.PRESET, model.frontEndProvenance().get(CountsProvenance.PRESET));
    prov.put(CountsProvenance.HOOK, hook);
    prov.put(CountsProvenance.TOKENS, model.defaultTokens().toString());
    prov.put(CountsProvenance.DATA, data.name());
    prov.put(CountsProvenance.DATA_SHA256, data.listHash());
    prov.put(CountsProvenance.WORKBENCH, Version.workbench());
    prov.put("clips", Long.toString(clips));
    if (!skipped.isEmpty()) {
      prov.put(CountsProvenance.SKIPPED, String.join("\n", skipped));
    }
    return prov;
  }

  private static void runBatch(AudioModel model, List<DatasetInputs.Prepared> clips, int batch,
      Hooks hooks) {
    try (NDManager manager = NDManager.newBaseManager()) {
      List<PartedInput> inputs = clips.stream().map(p -> p.toInput(manager)).toList();
      Batcher.run(model, inputs, batch, hooks,
          (run, rows) -> Collections.nCopies(rows, Boolean.TRUE));
    }
  }
}
