package io.anw.cli;

import io.anw.activation.ActivationCounts;
import io.anw.activation.CountsFile;
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
  @picocli.CommandLine.Mixin
  SparkOptions spark = new SparkOptions();

  @Option(names = "--out", required = true, paramLabel = "COUNTS.npz",
      description = "Output, written by the driver.")
  Path out;

  @Option(names = "--split", paramLabel = "NAME", description = "Count only this split.")
  String split;

  @Option(names = "--tokens", paramLabel = "GROUP",
      description = "Tokens counted in every chunk: all, cls, dist, audio or text (as `count`; "
          + "default: the model's, see `count --help`).")
  String tokens;

  @Option(names = "--sae", paramLabel = "DIR", description = "Count the features of this SAE "
      + "instead of the MLP neurons (as `count --sae`).")
  Path sae;

  @Override
  public Integer call() {
    SparkCount.Options opt = spark.options(split,
        tokens == null ? null : io.anw.model.TokenGroup.parse(tokens), sae);
    Map<String, String> extra = sae == null ? Map.of()
        : SaeOption.provenance(sae, io.anw.cluster.ExecutorModels.sae(sae));
    ActivationCounts counts = SparkCount.run(opt, spark.master, extra);
    CountsFile.write(counts, out);
    SkipBadOption.reportSkipped(counts.provenance());
    System.out.println(counts);
    System.out.println("wrote " + out);
    return 0;
  }
}
