package io.anw.cli;

import io.anw.audio.DatasetOptions;
import io.anw.cluster.SparkCount;
import io.anw.model.TokenGroup;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options every Spark verb ({@code spark-count}, {@code spark-stats}) shares: model and data
 * on shared storage, the master, the split, batches, partitions and kernel threads per task.
 */
public final class SparkOptions {
  @Option(names = "--model", required = true, paramLabel = "CKPT",
      description = ModelOption.DESCRIPTION + " On storage every executor sees.")
  Path model;

  @Option(names = "--data", required = true, paramLabel = "DATA",
      description = "Dataset (CSV or class folders), on storage every executor sees.")
  Path data;

  @Option(names = "--master", paramLabel = "URL", description = "Spark master, e.g. local[2], "
      + "spark://host:7077, yarn, k8s://... (default: spark-submit's, else local[*]).")
  String master;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "" + io.anw.model.Batcher.DEFAULT_BATCH,
      description = "Clips per forward pass.")
  int batch;

  @Option(names = "--partition-clips", paramLabel = "K",
      defaultValue = "" + SparkCount.DEFAULT_PARTITION_CLIPS,
      description = "Clips per partition (rounded up to whole batches; default ${DEFAULT-VALUE}).")
  int partitionClips;

  @Option(names = "--threads-per-task", paramLabel = "N", defaultValue = "1",
      description = "PyTorch kernel threads per task (default 1: one task per executor core, "
          + "results equal to a single-machine run with --threads 1).")
  int threadsPerTask;

  @picocli.CommandLine.Mixin
  SkipBadOption skipBad = new SkipBadOption();

  /** The job's options for {@code split} (null: every row), token group and SAE (or null). */
  SparkCount.Options options(String split, TokenGroup tokens, Path sae) {
    OptionChecks.atLeast("--batch", batch, 1);
    OptionChecks.atLeast("--partition-clips", partitionClips, 1);
    OptionChecks.atLeast("--threads-per-task", threadsPerTask, 1);
    return new SparkCount.Options(model, data, split,
        DatasetOptions.defaults().withSkipBad(skipBad.skipBad), batch, tokens, partitionClips,
        threadsPerTask, sae);
  }
}
