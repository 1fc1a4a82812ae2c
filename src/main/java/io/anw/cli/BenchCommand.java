package io.anw.cli;

import io.anw.pipeline.CountBenchmark;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code workbench bench [--model CKPT] [--data DATA]}: the counting benchmark of
 * {@link CountBenchmark}, printed as a table of stages and their ratios.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Measure, in one run: the fp32 GEMM rate at the model's shapes, the bare "
        + "forward, the counting pass from decoded log-mels, `count` end to end from WAV files "
        + "and, with Debian's python3-torch, the same count the Python way; as clips/s, "
        + "GFLOP/s and ratios.")
public final class BenchCommand implements Callable<Integer> {
  @Option(names = "--model", paramLabel = "CKPT",
      description = "Checkpoint to measure (default: a random float32 ViT-B M2D).")
  Path model;

  @Option(names = "--data", paramLabel = "DATA",
      description = "Dataset (CSV or folder; default: clips of 2.07 s, one M2D unit, made from "
          + "the pitch_synth sample notes).")
  Path data;

  @Option(names = "--clips", defaultValue = "160", paramLabel = "N",
      description = "Clips taken, spread over the dataset (0: all; default ${DEFAULT-VALUE}).")
  int clips;

  @Option(names = "--batch", defaultValue = "8", paramLabel = "B",
      description = "Clips per forward pass (default ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the random model.")
  long seed;

  @Option(names = "--threads", paramLabel = "N",
      description = "Threads for the model's kernels, here and in the Python way "
          + "(default: all cores).")
  Integer threads;

  @Option(names = "--no-python", description = "Skip the Python way.")
  boolean noPython;

  @Override
  public Integer call() {
    OptionChecks.atLeast("--batch", batch, 1);
    OptionChecks.atLeast("--clips", clips, 0);
    if (threads != null) {
      OptionChecks.atLeast("--threads", threads, 1);
      io.anw.GradMode.setThreads(threads);
    }
    CountBenchmark.Options opt = new CountBenchmark.Options(model, data, clips, batch, seed,
        !noPython, CountBenchmark.Options.defaults().python3());
    CountBenchmark.Result r = CountBenchmark.run(opt, line -> System.err.println("bench: " + line));
    System.out.print(r.report());
    return 0;
  }
}
