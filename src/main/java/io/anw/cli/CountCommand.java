package io.anw.cli;

import io.anw.activation.ActivationCounts;
import io.anw.activation.CountRun;
import io.anw.activation.CountsFile;
import io.anw.audio.Dataset;
import io.anw.model.AudioModel;
import io.anw.model.ModelFiles;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code workbench count --model CKPT --data DATA --out COUNTS.npz [--shard i/n]}: streams a
 * dataset through a model and writes per layer × neuron × class firing counts.
 */
@Command(name = "count", mixinStandardHelpOptions = true,
    description = "Count, per layer x neuron x class, the tokens where each MLP neuron is > 0.")
public final class CountCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "CKPT",
      description = ModelOption.DESCRIPTION)
  Path model;

  @Option(names = "--data", required = true, paramLabel = "DATA",
      description = "Dataset: a CSV (file_name,label[,split]) or a folder of class folders.")
  Path data;

  @Option(names = "--out", required = true, paramLabel = "COUNTS.npz", description = "Output.")
  Path out;

  @Option(names = "--shard", paramLabel = "i/n", defaultValue = "1/1",
      description = "Process shard i of n (1-based; shards interleave clips). Merge with `merge`.")
  String shard;

  @Option(names = "--split", paramLabel = "NAME", description = "Count only this split.")
  String split;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "" + io.anw.model.Batcher.DEFAULT_BATCH,
      description = "Clips per forward pass.")
  int batch;

  @Option(names = "--checkpoint-every", defaultValue = "200", paramLabel = "K",
      description = "Save partial counts to OUT.partial.npz every K clips; a rerun resumes.")
  int checkpointEvery;

  @picocli.CommandLine.Mixin
  SkipBadOption skipBad = new SkipBadOption();

  @Option(names = "--tokens", paramLabel = "GROUP",
      description = "Tokens counted in every chunk: all, cls, dist (AST), audio (M2D's patches; "
          + "the tokens that cover audio in models that pad: Whisper's first frames, AST's "
          + "patches) or text (the caption tokens of an audio-text model; captions come from the "
          + "dataset's text column). Default: all for M2D, wav2vec 2.0 and HuBERT; audio for "
          + "Whisper and AST, whose padding is left out unless --tokens all.")
  String tokens;

  @Option(names = "--threads", paramLabel = "N", description = "Threads for the model's kernels "
      + "(default: all cores). Use 1 for counts identical bit for bit across runs and shards: "
      + "with several threads a loaded machine may round a near-zero activation differently.")
  Integer threads;

  @Option(names = "--sae", paramLabel = "DIR", description = "Count the features of this SAE "
      + "(spliced in at its hook) instead of the MLP neurons: over_zero [1, d_sae, classes], "
      + "hook HOOK.hook_sae_acts_post; `aape` reads the result like neuron counts.")
  Path sae;

  @Override
  public Integer call() {
    int[] sh = parseShard(shard);
    OptionChecks.atLeast("--batch", batch, 1);
    OptionChecks.atLeast("--checkpoint-every", checkpointEvery, 0);
    if (threads != null) {
      OptionChecks.atLeast("--threads", threads, 1);
    }
    if (threads != null) {
      io.anw.GradMode.setThreads(threads);
    }
    Dataset ds = skipBad.open(data);
    if (split != null) {
      ds = ds.split(split);
    }
    Dataset counted = ds.shard(sh[0], sh[1]);
    Path partial = out.resolveSibling(out.getFileName() + ".partial.npz");
    CountRun.Options opt = CountRun.Options.defaults().withBatchSize(batch)
        .withCheckpoint(partial, checkpointEvery)
        .withTokens(tokens == null ? null : io.anw.model.TokenGroup.parse(tokens))
        .withShard(sh[0], sh[1]);
    Map<String, String> extra = Map.of();
    if (sae != null) {
      io.anw.sae.SparseAutoencoder s = io.anw.sae.SaeFiles.load(sae);
      opt = opt.withUnits(io.anw.sae.SaeSplice.units(s));
      extra = SaeOption.provenance(sae, s);
    }
    ActivationCounts counts;
    double seconds = counted.items().stream().mapToDouble(Dataset.Item::seconds).sum();
    int rows = counted.size();
    try (AudioModel m = ModelFiles.load(model);
        Progress bar = Progress.start("count", seconds, "s of audio")) {
      counts = CountRun.run(m, ds, opt, extra, (done, s) -> {
        bar.at(s);
        bar.message(done + "/" + rows + " clips");
      });
    }
    CountsFile.write(counts, out);
    java.io.File p = partial.toFile();
    if (p.exists() && !p.delete()) {
      System.err.println("note: could not remove " + partial);
    }
    SkipBadOption.reportSkipped(counts.provenance());
    System.out.println(counts);
    System.out.println("wrote " + out);
    return 0;
  }

  /** Parses {@code i/n}. */
  static int[] parseShard(String text) {
    String[] parts = text.split("/");
    try {
      if (parts.length == 2) {
        int i = Integer.parseInt(parts[0].strip());
        int n = Integer.parseInt(parts[1].strip());
        if (n >= 1 && i >= 1 && i <= n) {
          return new int[] {i, n};
        }
      }
    } catch (NumberFormatException e) {
      // fall through to the error below
    }
    throw new io.anw.WorkbenchException("--shard " + text + ": expected i/n with 1 <= i <= n");
  }
}
