package io.anw.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anw.pipeline.CountBenchmark;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code workbench bench} on the tiny sample model: every stage and ratio is printed, and the
 * Python way (when Debian's torch is here) counts what the workbench counts. The ViT-B default
 * runs in {@code ScriptsSmokeTest} through {@code scripts/bench-count.jsh}.
 */
class BenchCommandTest {
  @Test
  void printsEveryStageAndRatioAndAgreesWithThePythonWay() {
    String data = io.anw.audio.SampleGenerator.ensure(io.anw.audio.SampleGenerator.DEFAULT_OUT,
        "pitch_synth", s -> { }).getParent().toString();
    CliRun r = CliRun.exec("bench", "--model", "samples/models/m2d-tiny.safetensors", "--data",
        data, "--clips", "24", "--batch", "4");
    assertEquals(0, r.code(), r.err());
    for (String line : new String[] {"GEMM, linear layers x 144 rows", "decode + log-mel",
        "bare forward", "counting pass (log-mels decoded)", "count end to end (WAV files)",
        "forward / GEMM at the model's shapes", "counting pass / bare forward",
        "count end to end / counting pass", "linear layers (qkv, proj, fc1, fc2)",
        "counting reductions", "24 of 240 clips, 5 classes"}) {
      assertTrue(r.out().contains(line), line + " missing in:\n" + r.out());
    }
    String missing = CountBenchmark.pythonMissing(Path.of("/usr/bin/python3"));
    if (missing != null) {
      System.err.println("Python way not compared: " + missing);
      assertTrue(r.out().contains("Python way: skipped: " + missing), r.out());
      return;
    }
    assertTrue(r.out().contains("count end to end / Python way"), r.out());
    Matcher m = Pattern.compile("over_zero equal to the Python way's\\s+([0-9.]+) %")
        .matcher(r.out());
    assertTrue(m.find(), r.out());
    assertTrue(Double.parseDouble(m.group(1)) >= 99.9, r.out());
  }

  @Test
  void aMissingDatasetIsOneLine() {
    CliRun r = CliRun.exec("bench", "--data", "no/such/data.csv", "--no-python");
    assertEquals(1, r.code());
    assertEquals("workbench: no/such/data.csv: no such dataset", r.err().strip());
  }
}
