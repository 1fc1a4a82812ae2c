package io.anw.cluster;

import io.anw.GradMode;
import io.anw.WorkbenchException;
import io.anw.activation.HookStats;
import io.anw.activation.StatsRun;
import io.anw.audio.Dataset;
import io.anw.model.AudioModel;
import io.anw.model.TokenGroup;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;

/**
 * The statistics an SAE's trainer starts from ({@link HookStats}: tokens, per-dimension sums and
 * squares, sum of norms at one hook point) as an Apache Spark job, partitioned as
 * {@link SparkCount} is. Partition sums are float64; the driver adds them in row order, so a
 * job gives the same numbers whatever order Spark combines partitions in (and, with one kernel
 * thread per task, the single-machine {@code sae stats}'s up to float64 rounding of the sums'
 * grouping, about 1e-15 relative).
 */
public final class SparkStats {
  private SparkStats() {}

  /**
   * Runs the job on a new Spark context ({@code master} as {@link SparkCount#run(SparkCount.Options,
   * String, Map)}), stopped afterwards.
   */
  public static HookStats run(SparkCount.Options opt, String hook, String master,
      Map<String, String> extra) {
    try (JavaSparkContext sc = SparkCount.context("workbench spark-stats", master)) {
      return run(sc, opt, hook, extra);
    }
  }

  /**
   * Runs the job on an existing Spark context; {@code opt}'s tokens must be all and its SAE
   * null (statistics read every token of a model's hook point).
   */
  public static HookStats run(JavaSparkContext sc, SparkCount.Options opt, String hook,
      Map<String, String> extra) {
    if (opt.tokens() != null && opt.tokens() != TokenGroup.ALL || opt.sae() != null) {
      throw new WorkbenchException("spark-stats reads every token of a model's hook point");
    }
    Dataset whole = SparkCount.open(opt);
    List<String> openProblems = SparkCount.lines(whole.problems());
    AudioModel model = ExecutorModels.get(opt.model());
    if (!model.hookNames().contains(hook)) {
      throw new WorkbenchException("--hook " + hook + " is not a hook point of " + model.name());
    }
    List<Part> parts;
    try {
      parts = SparkCount.partitions(sc, opt, whole).map(new StatsPartition(opt, hook)).collect();
    } catch (Exception e) { // Spark's job failures are checked exceptions thrown unchecked
      throw SparkCount.failure(e);
    }
    TreeMap<Integer, Part> inOrder = new TreeMap<>();
    parts.forEach(p -> inOrder.put(p.firstRow, p));
    HookStats total = null;
    long clips = 0;
    List<String> skipped = new ArrayList<>(openProblems);
    for (Part p : inOrder.values()) {
      clips += p.clips;
      skipped.addAll(p.skipped);
      if (p.sum != null) {
        HookStats s = new HookStats(hook, p.tokens, p.sum, p.sumSq, p.sumNorm, Map.of());
        total = total == null ? s : total.plus(s);
      }
    }
    if (total == null) {
      throw new WorkbenchException(whole.name() + ": no clip could be read ("
          + whole.size() + " rows skipped)");
    }
    return total.withProvenance(StatsRun.provenance(model, whole, hook, extra, clips, skipped));
  }

  /** One partition's sums, as they travel to the driver. */
  static final class Part implements Serializable {
    private static final long serialVersionUID = 1L;
    int firstRow;
    long tokens;
    long clips;
    double[] sum;
    double[] sumSq;
    double sumNorm;
    List<String> skipped = List.of();
  }

  /** One task: the statistics of the rows {@code [from, to)} on this executor's model. */
  static final class StatsPartition implements Function<int[], Part>, Serializable {
    private static final long serialVersionUID = 1L;
    private final String model;
    private final String data;
    private final String split;
    private final io.anw.audio.DatasetOptions dataset;
    private final int batch;
    private final int partitionClips;
    private final int threads;
    private final String hook;

    StatsPartition(SparkCount.Options opt, String hook) {
      this.model = opt.model().toString();
      this.data = opt.data().toString();
      this.split = opt.split();
      this.dataset = opt.dataset();
      this.batch = opt.batch();
      this.partitionClips = opt.partitionClips();
      this.threads = opt.threadsPerTask();
      this.hook = hook;
    }

    @Override
    public Part call(int[] range) {
      GradMode.setThreads(threads);
      GradMode.disableOnCurrentThread();
      SparkCount.Options opt = new SparkCount.Options(Path.of(model), Path.of(data), split,
          dataset, batch, TokenGroup.ALL, partitionClips, threads, null);
      Dataset whole = SparkCount.open(opt);
      int before = whole.problems().size();
      Dataset part = SparkCount.part(whole, range);
      AudioModel m = ExecutorModels.get(opt.model());
      Part p = new Part();
      p.firstRow = range[0];
      try {
        HookStats s = StatsRun.run(m, part, hook, batch, Map.of(), rows -> { });
        p.tokens = s.tokens();
        p.clips = Long.parseLong(s.provenance().get("clips"));
        p.sum = s.sum();
        p.sumSq = s.sumSquares();
        p.sumNorm = s.sumNorm();
      } catch (WorkbenchException e) {
        if (SparkCount.freshProblems(part, before).size() != part.size()) {
          throw e;
        }
      }
      p.skipped = new ArrayList<>(SparkCount.freshProblems(part, before));
      return p;
    }
  }
}
