package io.anw.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.anw.activation.ActivationCounts;
import io.anw.activation.CountsFile;
import io.anw.audio.Clip;
import io.anw.audio.Dataset;
import io.anw.audio.WavFile;
import io.anw.cli.Main;
import io.anw.intervention.PatchDirection;
import io.anw.model.M2dViT;
import io.anw.model.ModelConfig;
import io.anw.model.ModelFiles;
import io.anw.neuron.NeuronCsv;
import io.anw.neuron.NeuronSelection;
import io.anw.neuron.SelectionFiles;
import io.anw.report.CsvFiles;
import io.anw.repl.WB;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each CLI verb and its {@code WB} twin give the same numbers and the same provenance for the
 * same inputs and options: count, aape, ablate (zero and mean), patch and grounding. The
 * verbs' CSVs are compared with the facade's tables written the same way, byte for byte.
 */
class VerbsAndFacadeTest {
  @TempDir static Path dir;
  static Path model;
  static Path audioText;
  static Path data;
  static Path captioned;

  @BeforeAll
  static void files() throws Exception {
    io.anw.GradMode.setThreads(1);
    try (M2dViT vit = M2dViT.random(ModelConfig.defaults().withName("tiny").withUnitFrames(32),
        2, 32, 48, 5, null)) {
      model = ModelFiles.saveM2d(vit, dir.resolve("tiny.safetensors"));
    }
    audioText = Path.of("samples/models/audio-text-tiny.safetensors");
    data = write("tones", List.of("low", "mid", "high"), false);
    captioned = write("captioned", List.of("low_piano", "high_piano", "low_voice", "high_voice"),
        true);
  }

  private static Path write(String name, List<String> classes, boolean captions)
      throws Exception {
    Path d = Files.createDirectories(dir.resolve(name));
    List<String> rows = new ArrayList<>(List.of("file_name,label,split"
        + (captions ? ",text" : "")));
    for (int i = 0; i < 8 * classes.size(); i++) {
      String c = classes.get(i % classes.size());
      double f = (c.startsWith("low") ? 180 : c.startsWith("mid") ? 700 : 2400) * (1 + 0.04 * i);
      int n = 6000 + 1000 * (i % 3);
      float[] x = new float[n];
      for (int t = 0; t < n; t++) {
        double v = Math.sin(2 * Math.PI * f * t / 16000);
        x[t] = (float) (0.3 * (c.endsWith("voice") ? Math.signum(v) * 0.6 : v));
      }
      WavFile.write(d.resolve(i + ".wav"), new Clip(x, 16000));
      rows.add(i + ".wav," + c + "," + (i % 4 == 3 ? "test" : "train")
          + (captions ? ",a " + c.replace('_', ' ') : ""));
    }
    Files.write(d.resolve("labels.csv"), rows);
    return d.resolve("labels.csv");
  }

  private static void run(String... args) {
    assertEquals(0, Main.execute(args), String.join(" ", args));
  }

  private static void assertSameFile(Path a, Path b) throws Exception {
    assertEquals(Files.readString(a), Files.readString(b), a + " vs " + b);
  }

  @Test
  void countAapeAndAblateGiveTheSameNumbersFromBoth() throws Exception {
    Path counts = dir.resolve("c.npz");
    run("count", "--model", model.toString(), "--data", data.toString(), "--out",
        counts.toString());
    ActivationCounts cli = CountsFile.read(counts);
    try (M2dViT m = (M2dViT) WB.model(model.toString())) {
      ActivationCounts repl = WB.count(m, WB.dataset(data.toString()));
      assertEquals(cli, repl);
      assertEquals(cli.provenance(), repl.provenance(), "identical provenance");

      Path sel = dir.resolve("sel");
      run("aape", counts.toString(), "--out", sel.toString(), "--top-rate", "0.2",
          "--activation-bar", "0.3");
      NeuronSelection s = WB.aape(repl, io.anw.neuron.SelectionMethod.AAPE.defaults()
          .withTopRate(0.2).withActivationBar(0.3));
      Path mine = dir.resolve("sel-repl");
      SelectionFiles.write(s, mine);
      assertSameFile(sel.resolve("neurons.csv"), mine.resolve("neurons.csv"));

      var neurons = NeuronCsv.read(sel.resolve("neurons.csv"), null);
      org.junit.jupiter.api.Assertions.assertTrue(neurons.size() >= 3, "neurons: " + neurons);
      Dataset ds = WB.dataset(data.toString());
      for (AblationMode mode : AblationMode.values()) {
        Path out = dir.resolve("ablate-" + mode);
        List<String> args = new ArrayList<>(List.of("ablate", "--model", model.toString(),
            "--data", data.toString(), "--neurons", sel.resolve("neurons.csv").toString(),
            "--random", "4", "--out", out.toString()));
        if (mode == AblationMode.MEAN) {
          args.add("--mean");
        }
        run(args.toArray(String[]::new));
        var r = WB.deactivate(m, neurons, ds, Ablation.Options.defaults().withRandomSets(4)
            .withMode(mode));
        assertSameFile(out.resolve("summary.csv"), CsvFiles.write(r.summary(),
            dir.resolve("summary-" + mode + ".csv")));
        assertSameFile(out.resolve("per_class.csv"), CsvFiles.write(r.perClass(),
            dir.resolve("per_class-" + mode + ".csv")));
      }
    }
  }

  @Test
  void patchGivesTheSameSweepFromBoth() throws Exception {
    Path a = data.resolveSibling("0.wav");
    Path b = data.resolveSibling("2.wav");
    Path out = dir.resolve("patch");
    run("patch", "--model", model.toString(), a.toString(), b.toString(), "--noise", "--out",
        out.toString());
    try (M2dViT m = (M2dViT) WB.model(model.toString())) {
      var s = WB.patch(m, a.toString(), b.toString(), FilePatching.Options.defaults()
          .withDirection(PatchDirection.NOISE));
      assertSameFile(out.resolve("patch-sweep.csv"), CsvFiles.write(s.table(),
          dir.resolve("sweep.csv")));
    }
  }

  @Test
  void groundingGivesTheSameCoefficientsFromBoth() throws Exception {
    Path counts = dir.resolve("gc.npz");
    run("count", "--model", audioText.toString(), "--data", captioned.toString(), "--split",
        "train", "--out", counts.toString());
    Path sel = dir.resolve("gsel");
    run("aape", counts.toString(), "--out", sel.toString(), "--method", "lape");
    Path out = dir.resolve("grounding");
    run("grounding", "--model", audioText.toString(), "--data", captioned.toString(),
        "--neurons", sel.resolve("neurons.csv").toString(), "--out", out.toString());
    try (M2dViT m = (M2dViT) WB.model(audioText.toString())) {
      Dataset ds = WB.dataset(captioned.toString());
      var sets = WB.neuronsCsv(sel.resolve("neurons.csv").toString());
      var r = WB.grounding(m, sets.byClass(), ds, Grounding.Options.defaults());
      assertSameFile(out.resolve("grounding.csv"), CsvFiles.write(r.table(),
          dir.resolve("grounding.csv")));
    }
  }
}
