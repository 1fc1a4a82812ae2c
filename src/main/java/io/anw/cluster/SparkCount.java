package io.anw.cluster;

import io.anw.GradMode;
import io.anw.WorkbenchException;
import io.anw.activation.ActivationCounts;
import io.anw.activation.CountRun;
import io.anw.audio.Dataset;
import io.anw.audio.DatasetOptions;
import io.anw.model.AudioModel;
import io.anw.model.TokenGroup;
import io.anw.model.UnitSpace;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;

/**
 * {@code count} as an Apache Spark job. The driver reads the dataset list (CSV or class folders
 * on storage every executor sees), cuts its rows into partitions of consecutive clips (a whole
 * number of batches each, so the batches are those of a single-machine run), and each task
 * counts its partition with {@link CountRun} on the executor's one copy of the model
 * ({@link ExecutorModels}). Partition counts are summed by Spark's {@code treeAggregate}; the
 * driver labels the sum with {@link CountRun#provenance} and {@link CountRun#finish}, so the
 * counts file equals {@code count}'s: bit for bit with one kernel thread per task.
 */
public final class SparkCount {
  /** Clips per partition when nothing else is said. */
  public static final int DEFAULT_PARTITION_CLIPS = 256;

  /**
   * What to count and how.
   *
   * @param model checkpoint, on storage every executor sees
   * @param data dataset (CSV or class folders), on storage every executor sees
   * @param split count only this split (null: all rows)
   * @param dataset how the dataset is opened (skip bad rows, sample rate, ...)
   * @param batch clips per forward pass
   * @param tokens the tokens counted in every chunk
   * @param partitionClips clips per partition, rounded up to a multiple of {@code batch}
   * @param threadsPerTask PyTorch kernel threads per task (1: bit-for-bit equal to
   *     {@code count --threads 1}; executors run one task per core)
   * @param sae folder of a sparse autoencoder whose features are counted instead of the MLP
   *     neurons (null: neurons), on storage every executor sees
   */
  public record Options(Path model, Path data, String split, DatasetOptions dataset, int batch,
      TokenGroup tokens, int partitionClips, int threadsPerTask, Path sae) {
    /** Checks the sizes. */
    public Options {
      if (batch < 1 || partitionClips < 1 || threadsPerTask < 1) {
        throw new WorkbenchException("spark-count: --batch, --partition-clips and "
            + "--threads-per-task must be at least 1");
      }
    }

    /** Defaults for {@code model} and {@code data}: every row, batch 8, 256 clips, 1 thread. */
    public static Options of(Path model, Path data) {
      return new Options(model, data, null, DatasetOptions.defaults(),
          io.anw.model.Batcher.DEFAULT_BATCH, TokenGroup.ALL, DEFAULT_PARTITION_CLIPS, 1, null);
    }

    /** These options with partitions of about {@code clips} clips. */
    public Options withPartitionClips(int clips) {
      return new Options(model, data, split, dataset, batch, tokens, clips, threadsPerTask, sae);
    }

    /** These options counting the features of the SAE in {@code dir} (null: neurons). */
    public Options withSae(Path dir) {
      return new Options(model, data, split, dataset, batch, tokens, partitionClips,
          threadsPerTask, dir);
    }

    /** The clips of a partition: {@link #partitionClips} rounded up to whole batches. */
    public int clipsPerPartition() {
      return (partitionClips + batch - 1) / batch * batch;
    }
  }

  private SparkCount() {}

  /**
   * Runs the job on a new Spark context ({@code master}, e.g. {@code local[2]}; null: the one
   * {@code spark-submit} set, else {@code local[*]}), stopped afterwards.
   *
   * @param extra provenance entries to add, as {@code count}'s {@code provenance} argument
   */
  public static ActivationCounts run(Options opt, String master, Map<String, String> extra) {
    try (JavaSparkContext sc = context("workbench spark-count", master)) {
      return run(sc, opt, extra);
    }
  }

  /**
   * A Spark context for a workbench job: {@code master} (null: the one {@code spark-submit}
   * set, else {@code local[*]}), no web UI unless configured, Spark's logs at warnings.
   */
  static JavaSparkContext context(String appName, String master) {
    SparkConf conf = new SparkConf().setAppName(appName);
    if (master != null) {
      conf.setMaster(master);
    } else if (!conf.contains("spark.master")) {
      conf.setMaster("local[*]");
    }
    conf.setIfMissing("spark.ui.enabled", "false");
    quietSparkLogs();
    JavaSparkContext sc = new JavaSparkContext(conf);
    sc.setLogLevel("WARN");
    return sc;
  }

  /** Runs the job on an existing Spark context. */
  public static ActivationCounts run(JavaSparkContext sc, Options opt,
      Map<String, String> extra) {
    Dataset whole = open(opt);
    List<String> openProblems = lines(whole.problems());
    CountRun.Options counting = countOptions(opt);
    AudioModel model = ExecutorModels.get(opt.model());
    Map<String, String> prov = CountRun.provenance(model, whole, counting, extra);
    UnitSpace units = counting.unitsOf(model);
    JavaRDD<int[]> rdd = partitions(sc, opt, whole);
    PartialCounts total;
    try {
      total = rdd.map(new CountPartition(opt))
          .treeAggregate(PartialCounts.empty(), PartialCounts::plus, PartialCounts::plus, 2);
    } catch (Exception e) { // Spark's job failures are checked exceptions thrown unchecked
      throw failure(e);
    }
    if (total.clips() == 0) {
      throw new WorkbenchException(whole.name() + ": no clip could be read ("
          + whole.size() + " rows skipped)");
    }
    List<String> skipped = new ArrayList<>(openProblems);
    skipped.addAll(total.skipped());
    ActivationCounts sum = new ActivationCounts(units.layers(), units.units(), whole.classes(),
        total.overZero(), total.n(), units.hook(), Map.of());
    return CountRun.finish(sum, prov, total.clips(), skipped);
  }

  /**
   * The dataset's rows as an RDD of {@code [from, to)} ranges, one per partition, each a whole
   * number of batches.
   */
  static JavaRDD<int[]> partitions(JavaSparkContext sc, Options opt, Dataset whole) {
    List<int[]> ranges = new ArrayList<>();
    int step = opt.clipsPerPartition();
    for (int from = 0; from < whole.size(); from += step) {
      ranges.add(new int[] {from, Math.min(whole.size(), from + step)});
    }
    if (ranges.isEmpty()) {
      throw new WorkbenchException(opt.data() + ": no rows to read");
    }
    return sc.parallelize(ranges, ranges.size());
  }

  /** The rows {@code [from, to)} of {@code whole}. */
  static Dataset part(Dataset whole, int[] range) {
    int[] rows = new int[range[1] - range[0]];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = range[0] + i;
    }
    return whole.select(rows);
  }

  /** The problems {@code part} met after its dataset's first {@code before} (those of opening). */
  static List<String> freshProblems(Dataset part, int before) {
    List<String> all = lines(part.problems());
    return all.subList(Math.min(before, all.size()), all.size());
  }

  /** A failed job as one line: the task's own error (e.g. an unreadable file), if it says one. */
  static RuntimeException failure(Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof WorkbenchException w) {
        return new WorkbenchException(w.getMessage(), e);
      }
    }
    if (!(e instanceof org.apache.spark.SparkException)) {
      return e instanceof RuntimeException r ? r : new IllegalStateException(e);
    }
    String first = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
    return new WorkbenchException("spark-count: the Spark job failed: " + first, e);
  }

  private static CountRun.Options countOptions(Options opt) {
    CountRun.Options c = CountRun.Options.defaults().withBatchSize(opt.batch())
        .withTokens(opt.tokens());
    return opt.sae() == null ? c
        : c.withUnits(io.anw.sae.SaeSplice.units(ExecutorModels.sae(opt.sae())));
  }

  static Dataset open(Options opt) {
    Dataset whole = Dataset.open(opt.data(), opt.dataset());
    return opt.split() == null ? whole : whole.split(opt.split());
  }

  static List<String> lines(List<Dataset.Problem> problems) {
    return problems.stream().map(p -> p.toString().replace('\n', ' ')).toList();
  }

  /** Spark's INFO lines (through slf4j-simple) down to warnings, unless the user set a level. */
  private static void quietSparkLogs() {
    Map<String, String> levels = Map.of("org.apache.spark", "warn", "org.sparkproject", "warn",
        "org.apache.hadoop", "warn",
        // "hostname resolves to a loopback address" and "no native-hadoop library": noise on a
        // laptop or CI machine in local mode, nothing a user has to act on
        "org.apache.spark.util.Utils", "error", "org.apache.hadoop.util.NativeCodeLoader", "error");
    levels.forEach((logger, level) -> {
      String key = "org.slf4j.simpleLogger.log." + logger;
      if (System.getProperty(key) == null) {
        System.setProperty(key, level);
      }
    });
  }

  /**
   * One task: counts the rows {@code [from, to)} on this executor's model. Serialised to the
   * executors with plain values (paths as text).
   */
  static final class CountPartition implements Function<int[], PartialCounts>, Serializable {
    private static final long serialVersionUID = 1L;
    private final String model;
    private final String data;
    private final String split;
    private final DatasetOptions dataset;
    private final int batch;
    private final String tokens;
    private final int partitionClips;
    private final int threads;
    private final String sae;

    CountPartition(Options opt) {
      this.model = opt.model().toString();
      this.data = opt.data().toString();
      this.split = opt.split();
      this.dataset = opt.dataset();
      this.batch = opt.batch();
      this.tokens = opt.tokens() == null ? "" : opt.tokens().name();
      this.partitionClips = opt.partitionClips();
      this.threads = opt.threadsPerTask();
      this.sae = opt.sae() == null ? null : opt.sae().toString();
    }

    @Override
    public PartialCounts call(int[] range) {
      GradMode.setThreads(threads);
      GradMode.disableOnCurrentThread();
      Options opt = new Options(Path.of(model), Path.of(data), split, dataset, batch,
          tokens.isEmpty() ? null : TokenGroup.valueOf(tokens), partitionClips, threads, sae == null ? null : Path.of(sae));
      Dataset whole = open(opt);
      int before = whole.problems().size();
      Dataset part = part(whole, range);
      AudioModel m = ExecutorModels.get(opt.model());
      try {
        ActivationCounts c = CountRun.run(m, part, countOptions(opt), Map.of(),
            (done, seconds) -> { });
        return PartialCounts.of(c, range[0], freshProblems(part, before));
      } catch (WorkbenchException e) {
        List<String> skipped = freshProblems(part, before);
        if (skipped.size() == part.size()) { // not one clip of the partition could be read
          return PartialCounts.skippedOnly(range[0], skipped);
        }
        throw e;
      }
    }
  }
}
