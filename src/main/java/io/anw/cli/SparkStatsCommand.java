package io.anw.cli;

import io.anw.activation.HookStats;
import io.anw.cluster.SparkStats;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code workbench spark-stats --model CKPT --data DATA --hook HOOK --out STATS.npz}: the
 * statistics {@code sae train --stats} starts from ({@code sae stats}) as an Apache Spark job
 * (see {@link SparkStats}).
 */
@Command(name = "spark-stats", mixinStandardHelpOptions = true,
    description = "`sae stats` as an Apache Spark job: one hook point's activation sums (tokens, "
        + "per-dimension sums and squares, sum of norms) over a dataset, for `sae train --stats`.")
public final class SparkStatsCommand implements Callable<Integer> {
  @picocli.CommandLine.Mixin
  SparkOptions spark = new SparkOptions();

  @Option(names = "--hook", required = true, paramLabel = "HOOK",
      description = "A [rows, tokens, d] hook point, e.g. blocks.5.hook_resid_post.")
  String hook;

  @Option(names = "--out", required = true, paramLabel = "STATS.npz",
      description = "Output, written by the driver.")
  Path out;

  @Option(names = "--split", paramLabel = "NAME", defaultValue = "train",
      description = "Split read (`all`: every row), as `sae train`.")
  String split;

  @Override
  public Integer call() {
    HookStats stats = SparkStats.run(spark.options(split.equals("all") ? null : split,
        io.anw.model.TokenGroup.ALL, null), hook, spark.master, Map.of());
    stats.write(out);
    SkipBadOption.reportSkipped(stats.provenance());
    System.out.println(stats);
    System.out.println("wrote " + out);
    return 0;
  }
}
