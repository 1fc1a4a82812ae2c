package io.anw.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anw.activation.HookStats;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sae stats} and {@code spark-stats} (local mode) write the same statistics, and
 * {@code sae train --stats} starts from them (recorded in cfg.json), refusing statistics of
 * another hook point.
 */
class SaeStatsCommandTest {
  static final String MODEL = "samples/models/m2d-tiny.safetensors";
  static final String DATA = io.anw.audio.SampleGenerator.ensure(
      io.anw.audio.SampleGenerator.DEFAULT_OUT, "pitch_synth", s -> { }).getParent().toString();
  static final String HOOK = "blocks.1.hook_resid_post";

  @TempDir Path dir;

  @Test
  void statsOnOneMachineAndOnSparkAgreeAndTrainingStartsFromThem() throws Exception {
    Path one = dir.resolve("stats.npz");
    CliRun r = CliRun.exec("sae", "stats", "--model", MODEL, "--data", DATA, "--hook", HOOK,
        "--split", "all", "--out", one.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("HookStats " + HOOK + ": 8,640 tokens x 128"), r.out());
    HookStats single = HookStats.read(one);
    assertEquals(240 * 36, single.tokens());

    Path spark = dir.resolve("spark-stats.npz");
    r = CliRun.exec("spark-stats", "--model", MODEL, "--data", DATA, "--hook", HOOK, "--split",
        "all", "--master", "local[2]", "--partition-clips", "64", "--out", spark.toString());
    assertEquals(0, r.code(), r.err());
    HookStats distributed = HookStats.read(spark);
    assertEquals(single.tokens(), distributed.tokens());
    assertEquals(single.provenance(), distributed.provenance());
    // the kernels ran with 2 threads here and 1 per Spark task: float32 activations may
    // differ in their last bits, never more
    for (int i = 0; i < single.width(); i++) {
      assertEquals(single.sum()[i], distributed.sum()[i],
          1e-5 * (1 + Math.abs(single.sum()[i])));
    }
    assertEquals(single.meanNorm(), distributed.meanNorm(), 1e-6 * single.meanNorm());

    Path sae = dir.resolve("sae");
    r = CliRun.exec("sae", "train", "--model", MODEL, "--data", DATA, "--hook", HOOK, "--split",
        "all", "--stats", one.toString(), "--tokens", "2048", "--batch-tokens", "256",
        "--buffer-tokens", "1024", "--expansion", "2", "--k", "4", "--out", sae.toString());
    assertEquals(0, r.code(), r.err());
    String cfg = Files.readString(sae.resolve("cfg.json"));
    assertTrue(cfg.contains("8640 tokens of pitch_synth"), cfg);

    r = CliRun.exec("sae", "train", "--model", MODEL, "--data", DATA, "--hook",
        "blocks.0.hook_resid_post", "--split", "all", "--stats", one.toString(), "--tokens",
        "2048", "--batch-tokens", "256", "--out", dir.resolve("sae2").toString());
    assertEquals(1, r.code());
    assertEquals("workbench: --stats are of " + HOOK + " [128], not of blocks.0.hook_resid_post"
        + " [128]", r.err().strip().lines().reduce((a, b) -> b).orElse(""));
  }
}
