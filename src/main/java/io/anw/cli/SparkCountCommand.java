package io.anw.cli;

import io.anw.activation.ActivationCounts;
import io.anw.activation.CountRun;
import io.anw.activation.CountsFile;
import io.anw.audio.DatasetOptions;
import io.anw.cluster.SparkCount;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code workbench spark-count --model CKPT --data DATA --out COUNTS.npz [--master URL]}:
 * {@code count} as an Apache Spark job (see {@link SparkCount}); also the entry point under
 * {@code spark-submit --class io.anw.cli.Main APP.jar spark-count ...}.
 */
@Command(name = "spark-count", mixinStandardHelpOptions = true,
    description = "Count as `count` does, as an Apache Spark job: partitions of clips, one model "
        + "per executor, counts summed by Spark's tree aggregation; the same counts file.")
public final class SparkCountCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "CKPT",
      description = "Model checkpoint, on storage every executor sees.")
  Path model;

  @Option(names = "--data", required = true, paramLabel = "DATA",
      description = "Dataset (CSV or class folders), on storage every executor sees.")
  Path data;

  @Option(names = "--out", required = true, paramLabel = "COUNTS.npz",
      description = "Output, written by the driver.")
  Path out;

  @Option(names = "--master", paramLabel = "URL", description = "Spark master, e.g. local[2], "
      + "spark://host:7077, yarn, k8s://... (default: spark-submit's, else local[*]).")
  String master;

  @Option(names = "--split", paramLabel = "NAME", description = "Count only this split.")
  String split;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "" + io.anw.model.Batcher.DEFAULT_BATCH,
      description = "Clips per forward pass.")
  int batch;

  @Option(names = "--partition-clips", paramLabel = "K",
      defaultValue = "" + SparkCount.DEFAULT_PARTITION_CLIPS,
      description = "Clips per partition (rounded up to whole batches; default ${DEFAULT-VALUE}).")
  int partitionClips;

  @Option(names = "--threads-per-task", paramLabel = "N", defaultValue = "1",
      description = "PyTorch kernel threads per task (default 1: one task per executor core, "
          + "counts equal bit for bit to `count --threads 1`).")
  int threadsPerTask;

  @Option(names = "--tokens", paramLabel = "GROUP", defaultValue = "all",
      description = "Tokens counted in every chunk: all, cls, audio or text (as `count`).")
  String tokens;

  @Option(names = "--sae", paramLabel = "DIR", description = "Count the features of this SAE "
      + "instead of the MLP neurons (as `count --sae`).")
  Path sae;

  @picocli.CommandLine.Mixin
  SkipBadOption skipBad = new SkipBadOption();

  @Override
  public Integer call() {
    OptionChecks.atLeast("--batch", batch, 1);
    OptionChecks.atLeast("--partition-clips", partitionClips, 1);
    OptionChecks.atLeast("--threads-per-task", threadsPerTask, 1);
    SparkCount.Options opt = new SparkCount.Options(model, data, split,
        DatasetOptions.defaults().withSkipBad(skipBad.skipBad), batch,
        io.anw.model.TokenGroup.parse(tokens), partitionClips, threadsPerTask, sae);
    Map<String, String> extra = sae == null ? Map.of()
        : SaeOption.provenance(sae, io.anw.cluster.ExecutorModels.sae(sae));
    ActivationCounts counts = SparkCount.run(opt, master, extra);
    CountsFile.write(counts, out);
    String skipped = counts.provenance().get(CountRun.SKIPPED);
    if (skipped != null) {
      skipped.lines().forEach(line -> System.err.println("skipped: " + line));
    }
    System.out.println(counts);
    System.out.println("wrote " + out);
    return 0;
  }
}
