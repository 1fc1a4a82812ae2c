package io.anw.cli;

import io.anw.audio.Dataset;
import io.anw.model.Batcher;
import io.anw.model.M2dViT;
import io.anw.model.AudioModel;
import io.anw.model.ModelFiles;
import io.anw.pipeline.SaeEvalResult;
import io.anw.pipeline.SaeEvaluation;
import io.anw.report.CsvFiles;
import io.anw.report.Plots;
import io.anw.sae.SaeFiles;
import io.anw.sae.SparseAutoencoder;
import io.anw.train.SaeOptions;
import io.anw.train.SaeTrainer;
import io.anw.train.SaeTrainingRun;
import io.anw.train.TrainingCheckpoint;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code workbench sae train|eval|compare}: sparse autoencoders on any hook point, trained from
 * a dataset streamed through the model, evaluated by reconstruction, sparsity and what a probe
 * keeps, and compared with the neurons they untangle.
 */
@Command(name = "sae", mixinStandardHelpOptions = true,
    description = "Train, evaluate and compare sparse autoencoders on a model's hook points.",
    subcommands = {SaeCommand.Train.class, SaeCommand.Eval.class, SaeCompareCommand.class,
        SaeCommand.Stats.class})
public final class SaeCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(),
        "name a subcommand: train, eval, compare or stats");
  }

  /** {@code sae train}. */
  @Command(name = "train", mixinStandardHelpOptions = true, showDefaultValues = true,
      description = "Train an SAE on one hook point's activations, streamed from a dataset "
          + "through the model (every token of every chunk; for Whisper and AST the tokens "
          + "that cover audio) via a shuffled token buffer.")
  static final class Train implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "CKPT",
      description = ModelOption.DESCRIPTION)
    Path model;

    @Option(names = "--data", required = true, paramLabel = "DATA",
        description = "Dataset (CSV or class folders).")
    Path data;

    @Option(names = "--hook", required = true, paramLabel = "HOOK",
        description = "Hook point, e.g. blocks.3.mlp.hook_post or blocks.3.hook_resid_post.")
    String hook;

    @Option(names = "--out", required = true, paramLabel = "DIR",
        description = "SAE folder (cfg.json, sae_weights.safetensors, training curves).")
    Path out;

    @Option(names = "--arch", defaultValue = "topk", paramLabel = "A",
        description = "topk, batchtopk (saved as jumprelu), jumprelu or relu (saved as standard).")
    String arch;

    @Option(names = "--k", defaultValue = "32", description = "Features per token (topk, batchtopk).")
    int k;

    @Option(names = "--expansion", defaultValue = "8", description = "d_sae / d_in.")
    double expansion;

    @Option(names = "--tokens", defaultValue = "1000000", description = "Training tokens.")
    long tokens;

    @Option(names = "--batch-tokens", defaultValue = "1024", description = "Tokens per step.")
    int batchTokens;

    @Option(names = "--buffer-tokens", defaultValue = "32768",
        description = "Rows of the shuffled token buffer (memory: rows x d_in floats).")
    int bufferTokens;

    @Option(names = "--lr", defaultValue = "3e-4", description = "Adam learning rate.")
    double lr;

    @Option(names = "--l1", paramLabel = "C", description = "Sparsity coefficient: L1 (relu) or "
        + "tanh-L0 (jumprelu); default 1.")
    Double l1;

    @Option(names = "--seed", defaultValue = "0", description = "Seed (init, clip order, buffer).")
    long seed;

    @Option(names = "--split", paramLabel = "NAME", defaultValue = "train",
        description = "Train on this split (`all`: every clip).")
    String split;

    @Option(names = "--dead-window", defaultValue = "100000", paramLabel = "TOKENS",
        description = "A feature silent on this many recent tokens is dead (AuxK loss).")
    long deadWindow;

    @Option(names = "--cache", paramLabel = "DIR", description = "On-disk activation cache "
        + "(float32 .npy shards): written on the first epoch, read afterwards and by later runs.")
    Path cache;

    @Option(names = "--checkpoint-every", defaultValue = "200", paramLabel = "STEPS",
        description = "Save OUT/checkpoint.safetensors every STEPS steps; a rerun resumes (0: never).")
    int checkpointEvery;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "" + Batcher.DEFAULT_BATCH,
        description = "Clips per forward pass.")
    int batch;

    @Option(names = "--threads", paramLabel = "N", description = "Threads for the kernels "
        + "(default: all cores); a run is deterministic for a seed and thread count.")
    Integer threads;

    @Option(names = "--stats", paramLabel = "STATS.npz", description = "Take the input scale "
        + "and decoder bias from statistics of the whole data (`sae stats`, `spark-stats`) "
        + "instead of the first batch.")
    Path stats;

    @picocli.CommandLine.Mixin
    SkipBadOption skipBad = new SkipBadOption();

    @Override
    public Integer call() {
      if (threads != null) {
        OptionChecks.atLeast("--threads", threads, 1);
        io.anw.GradMode.setThreads(threads);
      }
      OptionChecks.atLeast("--checkpoint-every", checkpointEvery, 0);
      io.anw.activation.HookStats inputStats = stats == null ? null
          : io.anw.activation.HookStats.read(stats);
      SaeOptions o = SaeOptions.topK(Math.max(1, k)).arch(SaeOptions.Arch.parse(arch)).k(k)
          .expansion(expansion).batchTokens(batchTokens).bufferTokens(bufferTokens)
          .tokens(tokens).lr(lr).l1(l1 == null ? Double.NaN : l1).seed(seed)
          .deadWindowTokens(deadWindow).checkpointEvery(checkpointEvery).batchClips(batch);
      Dataset ds = skipBad.open(data);
      if (!split.equals("all")) {
        ds = ds.split(split);
      }
      TrainingCheckpoint cp = checkpointEvery == 0 ? null
          : new TrainingCheckpoint(out.resolve("checkpoint.safetensors"), checkpointEvery);
      SaeTrainingRun run;
      try (AudioModel m = ModelFiles.load(model);
          Progress bar = Progress.start("sae train", o.steps(), "steps")) {
        run = SaeTrainer.train(m, ds, hook, o, cache, cp, inputStats, (step, steps, msg) -> {
          bar.at(step);
          bar.message(msg);
        });
      }
      try (SparseAutoencoder sae = run.sae()) {
        run.save(out);
        System.out.println(run);
        SkipBadOption.reportSkipped(ds);
        System.out.println("wrote " + out);
      }
      return 0;
    }
  }

  /** {@code sae stats}. */
  @Command(name = "stats", mixinStandardHelpOptions = true, showDefaultValues = true,
      description = "Sum one hook point's activations over a dataset (every token of every "
          + "chunk): tokens, per-dimension sums and squares, sum of norms; the mean and mean "
          + "norm that `sae train --stats` starts from. On a cluster: `spark-stats`.")
  static final class Stats implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "CKPT",
      description = ModelOption.DESCRIPTION)
    Path model;

    @Option(names = "--data", required = true, paramLabel = "DATA",
        description = "Dataset: a CSV or class folders.")
    Path data;

    @Option(names = "--hook", required = true, paramLabel = "HOOK",
        description = "A [rows, tokens, d] hook point, e.g. blocks.5.hook_resid_post.")
    String hook;

    @Option(names = "--out", required = true, paramLabel = "STATS.npz", description = "Output.")
    Path out;

    @Option(names = "--split", paramLabel = "NAME", defaultValue = "train",
        description = "Split read (`all`: every row), as `sae train`.")
    String split;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "" + Batcher.DEFAULT_BATCH,
        description = "Clips per forward pass.")
    int batch;

    @picocli.CommandLine.Mixin
    SkipBadOption skipBad = new SkipBadOption();

    @Override
    public Integer call() {
      OptionChecks.atLeast("--batch", batch, 1);
      Dataset ds = skipBad.open(data);
      if (!split.equals("all")) {
        ds = ds.split(split);
      }
      int rows = ds.size();
      io.anw.activation.HookStats st;
      try (AudioModel m = ModelFiles.load(model);
          Progress bar = Progress.start("sae stats", rows, "clips")) {
        st = io.anw.activation.StatsRun.run(m, ds, hook, batch, java.util.Map.of(), bar::at);
      }
      st.write(out);
      SkipBadOption.reportSkipped(ds);
      System.out.println(st);
      System.out.println("wrote " + out);
      return 0;
    }
  }

  /** {@code sae eval}. */
  @Command(name = "eval", mixinStandardHelpOptions = true, showDefaultValues = true,
      description = "Evaluate an SAE: L0, explained variance, MSE, dead and dense features, and "
          + "a linear probe's accuracy with the hook clean, reconstructed and zeroed "
          + "(eval.csv, density.png).")
  static final class Eval implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "CKPT",
      description = ModelOption.DESCRIPTION)
    Path model;

    @Option(names = "--sae", required = true, paramLabel = "DIR", description = "SAE folder.")
    Path sae;

    @Option(names = "--data", required = true, paramLabel = "DATA",
        description = "Dataset with train and test splits (metrics on test).")
    Path data;

    @Option(names = "--out", required = true, paramLabel = "DIR2", description = "Output folder.")
    Path out;

    @Option(names = "--probe-seed", defaultValue = "42", description = "Seed of the probe.")
    long probeSeed;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "" + Batcher.DEFAULT_BATCH,
        description = "Clips per forward pass.")
    int batch;

    @picocli.CommandLine.Mixin
    SkipBadOption skipBad = new SkipBadOption();

    @Override
    public Integer call() {
      Dataset ds = skipBad.open(data);
      SaeEvalResult r;
      try (SparseAutoencoder s = SaeFiles.load(sae); AudioModel m = ModelFiles.load(model);
          Progress bar = Progress.start("sae eval", 4, "passes")) {
        r = SaeEvaluation.run(m, s, ds, io.anw.intervention.ProbeOptions.defaults()
            .withSeed(probeSeed), batch, (stage, done, total) -> {
              if (stage.equals("probe")) {
                bar.message(done == 0 ? "training the probe" : "probe trained");
              } else {
                bar.at(done + 1);
                bar.message(done + "/" + total + " passes (clean, reconstructed, zeroed)");
              }
            });
      }
      CsvFiles.write(r.table(), out.resolve("eval.csv"));
      Plots.savePng(r.plotDensity(), out.resolve("density.png"));
      System.out.println(r);
      SkipBadOption.reportSkipped(ds);
      System.out.println("wrote " + out);
      return 0;
    }
  }
}
