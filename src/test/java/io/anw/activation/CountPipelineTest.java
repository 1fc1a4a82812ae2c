package io.anw.activation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anw.audio.Clip;
import io.anw.audio.Dataset;
import io.anw.audio.WavFile;
import io.anw.cli.Main;
import io.anw.model.M2dViT;
import io.anw.model.ModelConfig;
import io.anw.model.ModelFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The counting pipeline from files: a tiny model saved as safetensors, a class-folder dataset
 * of WAVs, the {@code count}, {@code merge} and {@code aape} verbs, sharding and resuming.
 */
class CountPipelineTest {
  @TempDir static Path dir;
  static Path model;
  static Path data;
  static M2dViT vit;

  @BeforeAll
  static void files() {
    vit = M2dViT.random(ModelConfig.defaults().withName("tiny").withUnitFrames(32), 2, 32, 48,
        3, null);
    model = ModelFiles.saveM2d(vit, dir.resolve("tiny.safetensors"));
    data = dir.resolve("tones");
    // Two classes of tones, 3 clips each, lengths 0.3-0.5 s (so batches break on length).
    for (String cls : List.of("high", "low")) {
      for (int i = 0; i < 3; i++) {
        int n = 4800 + 1600 * i;
        float[] x = new float[n];
        double f = cls.equals("high") ? 3000 + 100 * i : 200 + 20 * i;
        for (int t = 0; t < n; t++) {
          x[t] = (float) (0.3 * Math.sin(2 * Math.PI * f * t / 16000));
        }
        WavFile.write(data.resolve(cls).resolve(cls + i + ".wav"), new Clip(x, 16000));
      }
    }
  }

  @AfterAll
  static void close() {
    vit.close();
  }

  @Test
  void savedModelLoadsWithTheSameWeights() {
    try (M2dViT loaded = ModelFiles.loadM2d(model)) {
      assertEquals(vit.dims(), loaded.dims());
      assertEquals(vit.normStats(), loaded.normStats());
      for (var e : vit.stateDict().entrySet()) {
        assertTrue(e.getValue().contentEquals(loaded.stateDict().get(e.getKey())), e.getKey());
      }
    }
  }

  @Test
  void shardsMergeToTheWholeRunAndAapeWritesItsFiles() throws Exception {
    Path all = dir.resolve("all.npz");
    assertEquals(0, Main.execute("count", "--model", model.toString(), "--data", data.toString(),
        "--out", all.toString(), "--batch", "2", "--threads", "1"));
    for (int i = 1; i <= 2; i++) {
      assertEquals(0, Main.execute("count", "--model", model.toString(), "--data",
          data.toString(), "--out", dir.resolve("s" + i + ".npz").toString(), "--shard", i + "/2",
          "--threads", "1"));
    }
    Path merged = dir.resolve("merged.npz");
    assertEquals(0, Main.execute("merge", dir.resolve("s1.npz").toString(),
        dir.resolve("s2.npz").toString(), "--out", merged.toString()));
    ActivationCounts a = CountsFile.read(all);
    ActivationCounts m = CountsFile.read(merged);
    assertEquals(a, m, "merged shards equal one run");
    assertEquals("6", m.provenance().get("clips"));
    assertEquals(List.of("high", "low"), a.classes());
    assertEquals(64, a.provenance().get(CountsProvenance.WEIGHTS_SHA256).length());
    assertEquals("1/1", m.provenance().get(CountsProvenance.SHARD), "all shards: one run");
    assertEquals(a.provenance().get(CountsProvenance.DATA_SHA256),
        m.provenance().get(CountsProvenance.DATA_SHA256));

    Path out = dir.resolve("sel");
    assertEquals(0, Main.execute("aape", all.toString(), "--out", out.toString(),
        "--top-rate", "0.1"));
    assertEquals("layer,neuron,class,aape",
        Files.readAllLines(out.resolve("neurons.csv")).get(0));
    assertTrue(Files.exists(out.resolve("plots/entropy.png")));

    // Necessity of the selected neurons vs 3 random sets, zero and mean ablation.
    for (String mode : List.of("--seed=1", "--mean")) {
      Path ablated = dir.resolve("ablate" + mode);
      assertEquals(0, Main.execute("ablate", "--model", model.toString(), "--data",
          data.toString(), "--neurons", out.resolve("neurons.csv").toString(), "--random", "3",
          mode, "--out", ablated.toString()));
      List<String> summary = Files.readAllLines(ablated.resolve("summary.csv"));
      assertTrue(summary.get(0).startsWith("neurons,random_sets,baseline,targeted"), summary.get(0));
      assertTrue(Files.exists(ablated.resolve("deactivation.png")));
    }
  }

  @Test
  void anInterruptedRunResumesToTheSameCounts() {
    io.anw.GradMode.setThreads(1); // identical float results run to run, even under load
    Dataset ds = Dataset.open(data);
    Map<String, String> prov = Map.of("model_sha256", "abc", "shard", "1/1");
    ActivationCounts whole = CountRun.run(vit, ds, CountRun.Options.defaults().withBatchSize(2),
        prov, n -> { });
    Path partial = dir.resolve("partial.npz");
    CountRun.Options opt = CountRun.Options.defaults().withBatchSize(1).withCheckpoint(partial, 2);
    assertThrows(IllegalStateException.class, () -> CountRun.run(vit, ds, opt, prov, n -> {
      if (n >= 4) {
        throw new IllegalStateException("interrupted");
      }
    }));
    assertTrue(Files.exists(partial), "a checkpoint was saved before the interruption");
    long saved = Long.parseLong(CountsFile.read(partial).provenance().get("clips"));
    assertTrue(saved >= 2 && saved < 6, "saved " + saved);
    ActivationCounts resumed = CountRun.run(vit, ds, opt, prov, n -> { });
    assertEquals(whole, resumed);
    assertEquals("6", resumed.provenance().get("clips"));
    // A checkpoint of another run (other tokens, another model) is refused, not mixed in.
    assertThrows(IllegalStateException.class, () -> CountRun.run(vit, ds, opt, prov, n -> {
      if (n >= 4) {
        throw new IllegalStateException("interrupted");
      }
    }));
    io.anw.WorkbenchException e = assertThrows(io.anw.WorkbenchException.class,
        () -> CountRun.run(vit, ds, opt.withTokens(io.anw.model.TokenGroup.CLS), prov, n -> { }));
    assertTrue(e.getMessage().contains("partial counts of another run (tokens differs)"),
        e.getMessage());
    try (M2dViT other = M2dViT.random(ModelConfig.defaults().withName("tiny").withUnitFrames(32),
        2, 32, 48, 4, null)) {
      e = assertThrows(io.anw.WorkbenchException.class,
          () -> CountRun.run(other, ds, opt, prov, n -> { }));
      assertTrue(e.getMessage().contains("weights_sha256 differs"), e.getMessage());
    }
  }

  @Test
  void mergeRefusesRepeatedShardsAndCountsOfAnotherRun() {
    io.anw.GradMode.setThreads(1);
    Dataset ds = Dataset.open(data);
    CountRun.Options o = CountRun.Options.defaults();
    ActivationCounts s1 = CountRun.run(vit, ds, o.withShard(1, 2), Map.of(), n -> { });
    ActivationCounts s2 = CountRun.run(vit, ds, o.withShard(2, 2), Map.of(), n -> { });
    ActivationCounts all = CountRun.run(vit, ds, o, Map.of(), n -> { });
    io.anw.WorkbenchException twice = assertThrows(io.anw.WorkbenchException.class,
        () -> CountsMerge.merge(List.of(new CountsMerge.Named("a.npz", s1),
            new CountsMerge.Named("b.npz", s2), new CountsMerge.Named("c.npz", s1))));
    assertEquals("a.npz and c.npz both hold shard 1/2; each shard may be merged once",
        twice.getMessage());
    io.anw.WorkbenchException mixed = assertThrows(io.anw.WorkbenchException.class,
        () -> CountsMerge.merge(List.of(new CountsMerge.Named("a.npz", s1),
            new CountsMerge.Named("full.npz", all))));
    assertTrue(mixed.getMessage().startsWith("a.npz and full.npz are shards of different"),
        mixed.getMessage());
    try (M2dViT other = M2dViT.random(ModelConfig.defaults().withName("tiny").withUnitFrames(32),
        2, 32, 48, 4, null)) {
      ActivationCounts o2 = CountRun.run(other, ds, o.withShard(2, 2), Map.of(), n -> { });
      io.anw.WorkbenchException models = assertThrows(io.anw.WorkbenchException.class,
          () -> CountsMerge.merge(List.of(new CountsMerge.Named("a.npz", s1),
              new CountsMerge.Named("other.npz", o2))));
      assertTrue(models.getMessage().startsWith("a.npz and other.npz are not counts of one run:"
          + " weights_sha256"), models.getMessage());
    }
    ActivationCounts merged = CountsMerge.merge(List.of(new CountsMerge.Named("b.npz", s2),
        new CountsMerge.Named("a.npz", s1)));
    assertEquals(all, merged);
  }
}
