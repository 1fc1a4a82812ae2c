package io.anw.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anw.activation.ActivationCounts;
import io.anw.activation.CountsFile;
import io.anw.audio.Clip;
import io.anw.audio.SampleGenerator;
import io.anw.audio.WavFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The method's chain {@code count -> aape -> ablate} and {@code patch} on the shipped sample
 * folders of the other families (HuBERT, wav2vec 2.0 in the stable layout, Whisper, AST), from
 * the command line: tokens per clip as each family lays them out (padding left out by default),
 * provenance naming the front end and the tokens, a deactivation report, the top clips of the
 * selected neurons with their places and snippets, the explorer site, and a patching sweep over
 * the tokens that cover audio.
 */
class OtherFamiliesVerbsTest {
  @TempDir Path tmp;

  /** 6 clips of 1 s per octave of pitch_synth, 4 train + 2 test each (absolute paths). */
  private Path data() throws Exception {
    Path csv = SampleGenerator.ensure(SampleGenerator.DEFAULT_OUT, "pitch_synth", s -> { });
    List<String> lines = Files.readAllLines(csv);
    Map<String, Integer> seen = new java.util.HashMap<>();
    List<String> out = new ArrayList<>(List.of("file_name,label,split"));
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      int k = seen.merge(f[1], 1, Integer::sum);
      if (k <= 6) {
        out.add(csv.getParent().resolve(f[0]).toAbsolutePath() + "," + f[1] + ","
            + (k <= 4 ? "train" : "test"));
      }
    }
    Path sub = tmp.resolve("labels.csv");
    Files.write(sub, out);
    return sub;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"hubert-tiny, all, 49", "wav2vec2-tiny, all, 49", "whisper-tiny, audio, 50",
      "ast-tiny, audio, 120"})
  void countAapeAblateTopExploreAndPatchRunOnEachFamily(String name, String tokens, int perClip)
      throws Exception {
    Path model = Path.of("samples/models").resolve(name);
    Path data = data();
    Path counts = tmp.resolve("counts.npz");
    CliRun c = CliRun.exec("count", "--model", model.toString(), "--data", data.toString(),
        "--out", counts.toString());
    assertEquals(0, c.code(), c.err());
    ActivationCounts n = CountsFile.read(counts);
    assertEquals(2, n.layers());
    assertEquals(256, n.neurons());
    assertEquals(tokens, n.provenance().get("tokens"));
    assertEquals(30, Integer.parseInt(n.provenance().get("clips")));
    for (long perClass : n.nPerClass()) {
      assertEquals(6L * perClip, perClass, "tokens of a class: 6 clips x " + perClip);
    }
    assertTrue(n.provenance().get("preset").matches("waveform-16k|whisper-log-mel-80"
        + "|kaldi-fbank-128x1024"), n.provenance().get("preset"));
    assertEquals(64, n.provenance().get("weights_sha256").length());

    Path sel = tmp.resolve("aape");
    CliRun a = CliRun.exec("aape", counts.toString(), "--out", sel.toString(), "--top-rate",
        "0.2", "--activation-bar", "0.3");
    assertEquals(0, a.code(), a.err());
    List<String> neurons = Files.readAllLines(sel.resolve("neurons.csv"));
    assertTrue(neurons.size() > 1, "class-specific neurons of " + name + ": " + neurons);

    Path abl = tmp.resolve("ablate");
    CliRun d = CliRun.exec("ablate", "--model", model.toString(), "--data", data.toString(),
        "--neurons", sel.resolve("neurons.csv").toString(), "--random", "2", "--out",
        abl.toString());
    assertEquals(0, d.code(), d.err());
    List<String> summary = Files.readAllLines(abl.resolve("summary.csv"));
    assertTrue(summary.size() >= 2 && summary.get(0).contains("targeted"), summary.toString());

    // what drives the class-specific neurons: top clips at the tokens that cover audio, with
    // their places, excerpts and pictures; and the explorer site of the selection
    Path top = tmp.resolve("top");
    CliRun t = CliRun.exec("top", "--model", model.toString(), "--data", data.toString(),
        "--neurons", sel.resolve("neurons.csv").toString(), "--k", "3", "--quantiles", "2",
        "--per-quantile", "1", "--sample", "6", "--snippets", "--out", top.toString());
    assertEquals(0, t.code(), t.err());
    tech.tablesaw.api.Table ranks = tech.tablesaw.api.Table.read().csv(top.resolve("top.csv")
        .toString());
    tech.tablesaw.api.Table chosen = tech.tablesaw.api.Table.read().csv(sel.resolve(
        "neurons.csv").toString());
    long distinct = chosen.stream().map(r -> r.getInt("layer") + ":" + r.getInt("neuron"))
        .distinct().count();
    assertEquals(3 * distinct, ranks.rowCount(), "3 clips per selected neuron");
    for (int r = 0; r < ranks.rowCount(); r++) {
      int token = ranks.intColumn("token").get(r);
      double start = ranks.numberColumn("start_s").getDouble(r);
      double end = ranks.numberColumn("end_s").getDouble(r);
      switch (name) {
        case "whisper-tiny" -> assertTrue(token < 50, "a token of the 1 s clip: " + token);
        case "ast-tiny" -> assertTrue(token >= 2 && (token - 2) % 101 < 100, "an audio patch");
        default -> assertTrue(token < 49, "a frame of the 1 s clip: " + token);
      }
      assertTrue(start >= 0 && end > start && end <= 1.0 + 1e-9, start + "-" + end);
    }
    Path first = top.resolve("snippets").resolve("L" + ranks.intColumn("layer").get(0) + ".N"
        + ranks.intColumn("neuron").get(0));
    for (String f : List.of("top-01.png", "top-01-excerpt.wav", "top-01-focused.wav",
        "q1-01.png")) {
      assertTrue(Files.size(first.resolve(f)) > 1000, first.resolve(f).toString());
    }
    Path site = tmp.resolve("site");
    CliRun x = CliRun.exec("explore", "--model", model.toString(), "--data", data.toString(),
        "--selection", sel.toString(), "--k", "2", "--out", site.toString());
    assertEquals(0, x.code(), x.err());
    assertTrue(Files.readString(site.resolve("index.html")).contains(name), "the model named");

    // half-second clips: the sweep patches each token that covers audio, at two hook points
    Path clean = tmp.resolve("clean.wav");
    Path corrupted = tmp.resolve("corrupted.wav");
    WavFile.write(clean, new Clip(tone(220, 8000), 16000));
    WavFile.write(corrupted, new Clip(tone(1760, 8000), 16000));
    Path patch = tmp.resolve("patch");
    CliRun p = CliRun.exec("patch", "--model", model.toString(), clean.toString(),
        corrupted.toString(), "--out", patch.toString());
    assertEquals(0, p.code(), p.err());
    List<String> rows = Files.readAllLines(patch.resolve("patch-sweep.csv"));
    int positions = switch (name) {
      case "whisper-tiny" -> 25; // 50 frames of 10 ms, conv stride 2
      case "ast-tiny" -> 2 + 12 * 5; // CLS, DIST, 12 frequency rows x 5 time patches (48 frames)
      default -> 24; // 8000 samples, frames every 320 after a 400-sample field
    };
    assertEquals(1 + 2 * positions, rows.size(), rows.subList(0, 3).toString());
    assertTrue(Files.size(patch.resolve("patch-sweep.png")) > 1000);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"whisper-tiny, 1500", "ast-tiny, 1214"})
  void paddingIsCountedOnlyWhenAskedFor(String name, int perClip) throws Exception {
    Path counts = tmp.resolve("all.npz");
    CliRun c = CliRun.exec("count", "--model", "samples/models/" + name, "--data",
        data().toString(), "--split", "test", "--tokens", "all", "--out", counts.toString());
    assertEquals(0, c.code(), c.err());
    ActivationCounts n = CountsFile.read(counts);
    assertEquals("all", n.provenance().get("tokens"));
    for (long perClass : n.nPerClass()) {
      assertEquals(2L * perClip, perClass);
    }
  }

  private static float[] tone(double hz, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (0.5 * Math.sin(2 * Math.PI * hz * i / 16000));
    }
    return x;
  }
}
