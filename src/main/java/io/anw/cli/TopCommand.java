package io.anw.cli;

import io.anw.WorkbenchException;
import io.anw.audio.Dataset;
import io.anw.listen.SnippetFiles;
import io.anw.listen.Snippets;
import io.anw.listen.TopResult;
import io.anw.listen.TopRun;
import io.anw.listen.TopTargets;
import io.anw.model.AudioModel;
import io.anw.model.ModelFiles;
import io.anw.neuron.Neuron;
import io.anw.neuron.NeuronCsv;
import io.anw.sae.SaeFiles;
import io.anw.sae.SparseAutoencoder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code workbench top --model CKPT --data DATA --out DIR (--neurons CSV | --units L:N,... |
 * --hook GLOB [--all])}: the clips that drive each unit most, with the chunk, token, time span
 * and mel band where they do, and examples from each activation quantile.
 */
@Command(name = "top", mixinStandardHelpOptions = true,
    description = "Keep, per unit, the k clips with the highest activation (one per clip: its "
        + "maximum) and where it is, and examples from each activation quantile: top.csv, "
        + "quantiles.csv, top.json; --snippets adds WAV excerpts and spectrogram overlays.")
public final class TopCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "CKPT",
      description = ModelOption.DESCRIPTION)
  Path model;

  @Option(names = "--data", required = true, paramLabel = "DATA",
      description = "Dataset (CSV or class folders).")
  Path data;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
  Path out;

  /** Which units: exactly one way. */
  static final class Units {
    @Option(names = "--neurons", paramLabel = "CSV", description = "neurons.csv from `aape` "
        + "(or any CSV with layer,neuron columns).")
    Path neurons;

    @Option(names = "--units", paramLabel = "L:N,...", description = "Units as LAYER:INDEX, "
        + "e.g. 3:17,5:2 (with --hook, LAYER is the point's block).")
    String units;

    @Option(names = "--all", description = "Every unit (of the neurons, the SAE's features, or "
        + "the points --hook matches).")
    boolean all;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Units which;

  @Option(names = "--hook", paramLabel = "GLOB", description = "Rank units of these hook points "
      + "([batch, tokens, units], e.g. blocks.*.hook_resid_post) instead of the MLP neurons.")
  String hook;

  @Option(names = "--class", paramLabel = "C", description = "With --neurons: only this class's.")
  String className;

  @Option(names = "--sae", paramLabel = "DIR", description = "Rank the features of this SAE "
      + "(spliced in at its hook); --neurons/--units then name features (layer 0 or the SAE's "
      + "block, neuron = feature index).")
  Path sae;

  @Option(names = "--k", defaultValue = "20", description = "Clips kept per unit (default 20).")
  int k;

  @Option(names = "--quantiles", defaultValue = "5",
      description = "Activation quantile bins of the sampled clips (default 5; 0: none).")
  int quantiles;

  @Option(names = "--per-quantile", defaultValue = "3",
      description = "Examples per quantile bin (default 3).")
  int perQuantile;

  @Option(names = "--sample", defaultValue = "100",
      description = "Clips sampled uniformly for the quantiles (default 100).")
  int sample;

  @Option(names = "--seed", defaultValue = "0", description = "Seed of the sample (default 0).")
  long seed;

  @Option(names = "--tokens", paramLabel = "GROUP", defaultValue = "audio",
      description = "Tokens a clip's maximum is taken over: audio (default: the tokens that "
          + "cover audio: M2D's and AST's patches, Whisper's frames of the clip, every "
          + "wav2vec 2.0 / HuBERT frame), all, cls (M2D, AST), dist (AST), or text (caption "
          + "tokens of an audio-text model).")
  String tokens;

  @Option(names = "--split", paramLabel = "NAME", description = "Only this split.")
  String split;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "" + io.anw.model.Batcher.DEFAULT_BATCH,
      description = "Clips per forward pass.")
  int batch;

  @Option(names = "--checkpoint-every", defaultValue = "200", paramLabel = "K",
      description = "Save the partial state to DIR/top.partial.json every K clips; a rerun "
          + "resumes.")
  int checkpointEvery;

  @Option(names = "--snippets", description = "Also write, per top clip and quantile example, "
      + "the excerpt and focused WAVs and the spectrogram overlay under DIR/snippets/UNIT/.")
  boolean snippets;

  @Option(names = "--context", defaultValue = "" + Snippets.CONTEXT_S, paramLabel = "S",
      description = "Seconds of context either side of the token in the excerpts (default 0.5).")
  double context;

  @Option(names = "--threads", paramLabel = "N", description = "Threads for the model's kernels.")
  Integer threads;

  @picocli.CommandLine.Mixin
  SkipBadOption skipBad = new SkipBadOption();

  @Override
  public Integer call() {
    OptionChecks.atLeast("--batch", batch, 1);
    OptionChecks.atLeast("--checkpoint-every", checkpointEvery, 0);
    if (threads != null) {
      OptionChecks.atLeast("--threads", threads, 1);
      io.anw.GradMode.setThreads(threads);
    }
    if (context < 0) {
      throw new WorkbenchException("--context must be 0 or more seconds, got " + context);
    }
    if (className != null && which.neurons == null) {
      throw new WorkbenchException("--class filters --neurons; give --neurons too");
    }
    List<Neuron> chosen = which.neurons != null ? NeuronCsv.read(which.neurons, className)
        : which.units != null ? TopTargets.parseUnits(which.units) : null;
    Dataset ds = skipBad.open(data);
    if (split != null) {
      ds = ds.split(split);
    }
    Path partial = out.resolve("top.partial.json");
    TopRun.Options opt = new TopRun.Options(k, quantiles, perQuantile, sample, seed,
        io.anw.model.TokenGroup.parse(tokens), batch, partial, checkpointEvery);
    try (AudioModel m = ModelFiles.load(model)) {
      SparseAutoencoder s = sae == null ? null : SaeFiles.load(sae);
      Map<String, String> prov = s == null ? Map.of() : SaeOption.provenance(sae, s);
      TopTargets targets = TopTargets.choose(m, s, chosen, hook, which.all);
      double seconds = ds.items().stream().mapToDouble(Dataset.Item::seconds).sum();
      int rows = ds.size();
      TopResult r;
      try (Progress bar = Progress.start("top", seconds, "s of audio")) {
        r = TopRun.run(m, ds, targets, opt, prov, (done, sec) -> {
          bar.at(sec);
          bar.message(done + "/" + rows + " clips");
        });
      }
      r.save(out);
      java.io.File p = partial.toFile();
      if (p.exists() && !p.delete()) {
        System.err.println("note: could not remove " + partial);
      }
      if (snippets) {
        int entries = r.units().stream().mapToInt(u -> r.top(u).size() + r.quantiles(u).size())
            .sum();
        try (Progress bar = Progress.start("snippets", entries, "clips")) {
          SnippetFiles.write(r, out.resolve("snippets"), context, bar::at);
        }
      }
      System.out.println(r);
      SkipBadOption.reportSkipped(ds);
      System.out.println("wrote " + out.resolve("top.csv") + ", quantiles.csv, top.json"
          + (snippets ? " and snippets/" : ""));
    }
    return 0;
  }
}
