package io.anw.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anw.activation.ActivationCounts;
import io.anw.activation.CountRun;
import io.anw.audio.Dataset;
import io.anw.audio.DatasetOptions;
import io.anw.model.M2dViT;
import io.anw.model.ModelFiles;
import io.anw.model.TokenGroup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark counting job in local mode ({@code local[2]}: two task threads sharing one
 * executor JVM) against a single-machine {@code count} with one kernel thread: the same
 * over_zero, n and provenance, the model loaded once for the whole job, unreadable rows
 * reported in row order.
 */
class SparkCountTest {
  static final Path MODEL = Path.of("samples", "models", "m2d-tiny.safetensors");
  static Path SAMPLES;

  @TempDir static Path dir;
  static JavaSparkContext sc;
  static Path csv;

  @BeforeAll
  static void start() throws Exception {
    SAMPLES = io.anw.audio.SampleGenerator.ensure(io.anw.audio.SampleGenerator.DEFAULT_OUT,
        "pitch_synth", s -> { }).getParent();
    // 45 clips spread over the classes, and one file that is not audio
    Dataset all = Dataset.open(SAMPLES);
    StringBuilder s = new StringBuilder("file_name,label\n");
    for (int i = 0; i < 45; i++) {
      Dataset.Item it = all.items().get(i * all.size() / 45);
      s.append(it.file().toAbsolutePath()).append(',').append(it.label()).append('\n');
      if (i == 20) {
        Path bad = dir.resolve("broken.wav");
        Files.writeString(bad, "not a RIFF file");
        s.append(bad).append(',').append(it.label()).append('\n');
      }
    }
    csv = dir.resolve("data.csv");
    Files.writeString(csv, s);
    SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("SparkCountTest")
        .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1");
    sc = new JavaSparkContext(conf);
    sc.setLogLevel("WARN");
  }

  @AfterAll
  static void stop() {
    if (sc != null) {
      sc.close();
    }
  }

  @Test
  void sparkCountsEqualASingleMachineCount() {
    DatasetOptions skip = DatasetOptions.defaults().withSkipBad(true);
    SparkCount.Options opt = new SparkCount.Options(MODEL, csv, null, skip, 4, TokenGroup.ALL,
        10, 1, null);
    assertEquals(12, opt.clipsPerPartition());
    int loadsBefore = ExecutorModels.loads();
    ActivationCounts spark = SparkCount.run(sc, opt, Map.of("note", "x"));
    assertTrue(ExecutorModels.loads() - loadsBefore <= 1, "one model load for the whole job");

    io.anw.GradMode.setThreads(1);
    ActivationCounts single;
    try (M2dViT model = ModelFiles.loadM2d(MODEL)) {
      single = CountRun.run(model, Dataset.open(csv, skip),
          CountRun.Options.defaults().withBatchSize(4), Map.of("note", "x"), n -> { });
    }
    assertEquals(45, Long.parseLong(single.provenance().get("clips")));
    assertArrayEquals(single.overZeroFlat(), spark.overZeroFlat());
    assertArrayEquals(single.nPerClass(), spark.nPerClass());
    assertEquals(single.classes(), spark.classes());
    assertEquals(single.hook(), spark.hook());
    assertEquals(single.provenance(), spark.provenance());
    String skipped = spark.provenance().get(CountRun.SKIPPED);
    assertEquals(1, skipped.lines().count(), skipped);
    assertTrue(skipped.contains("broken.wav"), skipped);
  }

  @Test
  void aWhisperFolderCountsAsOnOneMachineWithItsDefaultTokens() {
    Path whisper = Path.of("samples/models/whisper-tiny");
    SparkCount.Options opt = new SparkCount.Options(whisper, SAMPLES, "test",
        DatasetOptions.defaults(), 8, null, 16, 1, null);
    ActivationCounts spark = SparkCount.run(sc, opt, Map.of());
    io.anw.GradMode.setThreads(1);
    try (io.anw.model.AudioModel model = ModelFiles.load(whisper)) {
      ActivationCounts single = CountRun.run(model, Dataset.open(SAMPLES).split("test"),
          CountRun.Options.defaults(), Map.of(), n -> { });
      assertEquals("audio", spark.provenance().get("tokens"));
      assertArrayEquals(single.overZeroFlat(), spark.overZeroFlat());
      assertArrayEquals(single.nPerClass(), spark.nPerClass());
      assertEquals(single.provenance(), spark.provenance());
    }
  }

  @Test
  void anSaesFeaturesCountAsOnOneMachine() {
    Path saeDir = dir.resolve("sae");
    try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
      m.getEngine().setRandomSeed(7);
      io.anw.sae.SaeConfig cfg = new io.anw.sae.SaeConfig(io.anw.sae.SaeArchitecture.STANDARD,
          128, 256, "blocks.2.hook_resid_post", 0, false, Map.of());
      try (io.anw.sae.SparseAutoencoder sae = io.anw.sae.SparseAutoencoder.of(cfg,
          m.randomNormal(new ai.djl.ndarray.types.Shape(128, 256)).mul(0.1f),
          m.zeros(new ai.djl.ndarray.types.Shape(256)),
          m.randomNormal(new ai.djl.ndarray.types.Shape(256, 128)).mul(0.1f),
          m.zeros(new ai.djl.ndarray.types.Shape(128)), null)) {
        io.anw.sae.SaeFiles.save(sae, saeDir);
      }
    }
    SparkCount.Options opt = new SparkCount.Options(MODEL, SAMPLES, "test",
        DatasetOptions.defaults(), 8, TokenGroup.AUDIO, 16, 1, saeDir);
    ActivationCounts spark = SparkCount.run(sc, opt, Map.of());
    assertEquals("blocks.2.hook_resid_post.hook_sae_acts_post", spark.hook());
    assertEquals(256, spark.neurons());
    io.anw.GradMode.setThreads(1);
    try (M2dViT model = ModelFiles.loadM2d(MODEL);
        io.anw.sae.SparseAutoencoder sae = io.anw.sae.SaeFiles.load(saeDir)) {
      ActivationCounts single = CountRun.run(model, Dataset.open(SAMPLES).split("test"),
          CountRun.Options.defaults().withTokens(TokenGroup.AUDIO)
              .withUnits(io.anw.sae.SaeSplice.units(sae)), Map.of(), n -> { });
      assertArrayEquals(single.overZeroFlat(), spark.overZeroFlat());
      assertTrue(java.util.Arrays.stream(single.overZeroFlat()).sum() > 0, "features fire");
      assertEquals(single.provenance(), spark.provenance());
    }
  }

  @Test
  void sparkStatsEqualASingleMachineRun() {
    String hook = "blocks.2.hook_resid_post";
    SparkCount.Options opt = new SparkCount.Options(MODEL, SAMPLES, "train",
        DatasetOptions.defaults(), 8, TokenGroup.ALL, 40, 1, null);
    io.anw.activation.HookStats spark = SparkStats.run(sc, opt, hook, Map.of());
    io.anw.GradMode.setThreads(1);
    try (M2dViT model = ModelFiles.loadM2d(MODEL)) {
      Dataset train = Dataset.open(SAMPLES).split("train");
      io.anw.activation.HookStats single = io.anw.activation.StatsRun.run(model, train, hook, 8,
          Map.of(), n -> { });
      assertEquals(single.tokens(), spark.tokens());
      assertEquals(single.provenance(), spark.provenance());
      for (int i = 0; i < single.width(); i++) {
        assertEquals(single.sum()[i], spark.sum()[i], 1e-12 * (1 + Math.abs(single.sum()[i])));
        assertEquals(single.sumSquares()[i], spark.sumSquares()[i],
            1e-12 * single.sumSquares()[i]);
      }
      assertEquals(single.sumNorm(), spark.sumNorm(), 1e-12 * single.sumNorm());
    }
  }

  @Test
  void anUnreadableFileStopsTheJobWithOneLineNamingIt() {
    SparkCount.Options opt = new SparkCount.Options(MODEL, csv, null, DatasetOptions.defaults(),
        4, TokenGroup.ALL, 10, 1, null);
    io.anw.WorkbenchException e = org.junit.jupiter.api.Assertions.assertThrows(
        io.anw.WorkbenchException.class, () -> SparkCount.run(sc, opt, Map.of()));
    assertTrue(e.getMessage().contains("broken.wav"), e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
  }

  @Test
  void partitionsAreWholeBatchesAndASplitIsCountedAlone() {
    SparkCount.Options opt = SparkCount.Options.of(MODEL, SAMPLES).withPartitionClips(100);
    assertEquals(104, opt.clipsPerPartition());
    List<String> splits = Dataset.open(SAMPLES).splits();
    assertTrue(splits.contains("test"), splits.toString());
    SparkCount.Options test = new SparkCount.Options(MODEL, SAMPLES, "test",
        DatasetOptions.defaults(), 8, TokenGroup.ALL, 16, 1, null);
    ActivationCounts spark = SparkCount.run(sc, test, Map.of());
    io.anw.GradMode.setThreads(1);
    try (M2dViT model = ModelFiles.loadM2d(MODEL)) {
      ActivationCounts single = CountRun.run(model, Dataset.open(SAMPLES).split("test"),
          CountRun.Options.defaults(), Map.of(), n -> { });
      assertArrayEquals(single.overZeroFlat(), spark.overZeroFlat());
      assertEquals(single.provenance(), spark.provenance());
    }
  }
}
