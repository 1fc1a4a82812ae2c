package io.anw.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anw.GcPressure;
import io.anw.RealSizeModels;
import io.anw.audio.Clip;
import io.anw.audio.WavFile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REPL facade at real size, as a user's script runs it: a float32 M2D ViT-B {@code .pth}
 * and an audio-text ViT-B of the same width (random weights), counting, a probe, deactivation
 * (zero), a patch, a position sweep, a neuron-group sweep, attribution patching and
 * grounding coefficients, all under garbage-collector pressure. Every number must be finite.
 */
class WBRealSizeTest {
  @TempDir Path dir;

  /** Tones and captions: 4 classes (register x instrument word), 12 clips of 0.8-2.5 s. */
  private Path captioned() throws Exception {
    Path data = Files.createDirectories(dir.resolve("captioned"));
    List<String> rows = new ArrayList<>(List.of("file_name,label,split,text"));
    String[] words = {"low piano", "high piano", "low voice", "high voice"};
    for (int i = 0; i < 16; i++) {
      String w = words[i % 4];
      double f = (w.startsWith("low") ? 150 : 1800) * (1 + 0.05 * i);
      int n = (int) ((0.8 + 0.1 * i) * 16000);
      float[] x = new float[n];
      for (int t = 0; t < n; t++) {
        double v = Math.sin(2 * Math.PI * f * t / 16000);
        x[t] = (float) (0.3 * (w.endsWith("voice") ? Math.signum(v) * 0.5 : v));
      }
      String name = "c" + i + ".wav";
      WavFile.write(data.resolve(name), new Clip(x, 16000));
      rows.add(name + "," + w.replace(' ', '_') + "," + (i < 8 ? "train" : "test") + ",a " + w);
    }
    Files.write(data.resolve("labels.csv"), rows);
    return data.resolve("labels.csv");
  }

  static final String SCRIPT = """
      var model = WB.model(args[0])
      var data = WB.dataset(args[1])
      var train = data.split("train")
      var test = data.split("test")
      var counts = WB.count(model, train)
      var sel = WB.aape(counts)
      var probe = WB.probe(model, train)
      var neurons = List.of(new Neuron(0, 7), new Neuron(5, 300), new Neuron(11, 3000))
      var zero = WB.deactivate(model, neurons, test, probe)
      var nd = NDManager.newBaseManager()
      var clean = WB.cropOrPad(model.normalize(TorchArrays.of(nd, WB.logmel(WB.audio(args[2])))), 96)
      var corrupted = WB.cropOrPad(model.normalize(TorchArrays.of(nd, WB.logmel(WB.audio(args[3])))), 96)
      var metric = WB.probeMetric(probe, 0)
      var whole = WB.denoise(model, clean, corrupted, metric, PatchTarget.hook("blocks.0.hook_resid_pre"))
      var sweep = WB.patchSweep(model, clean, corrupted, metric, "blocks.6.hook_resid_pre")
      var groups = WB.neuronGroupSweep(model, clean, corrupted, metric, 1024)
      var attr = WB.attributionPatching(model, clean, corrupted, metric)
      var top = attr.check(3)
      var at = WB.model(args[4])
      var captioned = WB.dataset(args[5])
      var gcSel = WB.aape(WB.count(at, captioned.split("train")), new SelectionParams(SelectionMethod.LAPE, 0.5, 0.01, 0.5))
      var gc = WB.grounding(at, gcSel, captioned.split("test"))
      double[] numbers = {zero.baseline().accuracy(), zero.randomMean(), whole.effect(), sweep.table().doubleColumn("effect").sum(), groups.table().doubleColumn("effect").sum(), attr.table().doubleColumn("attribution").sum(), top.table().doubleColumn("patched").sum()}
      for (double v : numbers) { if (!Double.isFinite(v)) throw new IllegalStateException("not finite: " + Arrays.toString(numbers)); }
      System.out.println("counted=" + counts.provenance().get("clips") + " sweep=" + sweep.table().rowCount() + " groups=" + groups.table().rowCount() + " attr=" + attr.table().rowCount() + " gc=" + gc.size() + " effect=" + String.format("%.3f", whole.effect()))
      """;

  @Test
  void theFacadeRunsAViTBUnderGcPressure() throws Exception {
    Path csv = dir.resolve("clips.csv");
    List<String> rows = new ArrayList<>(List.of("file_name,label,split"));
    for (int i = 0; i < 12; i++) {
      boolean low = i % 2 == 0;
      // train clips 0.9-4.1 s (up to two chunks); test clips short, as 21 deactivation passes
      // run over them
      int n = (int) ((i < 8 ? 0.9 + 0.45 * i : 0.8 + 0.1 * (i - 8)) * 16000);
      float[] x = new float[n];
      for (int t = 0; t < n; t++) {
        x[t] = (float) (0.3 * Math.sin(2 * Math.PI * (low ? 200 : 2500) * (1 + 0.03 * i) * t
            / 16000));
      }
      WavFile.write(dir.resolve("t" + i + ".wav"), new Clip(x, 16000));
      rows.add("t" + i + ".wav," + (low ? "low" : "high") + "," + (i < 8 ? "train" : "test"));
    }
    Files.write(csv, rows);
    Path script = dir.resolve("real.jsh");
    Files.writeString(script, SCRIPT);
    String[] args = {RealSizeModels.m2dPth().toString(), csv.toString(),
        dir.resolve("t0.wav").toString(), dir.resolve("t1.wav").toString(),
        RealSizeModels.audioTextSafetensors().toString(), captioned().toString()};
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream old = System.out;
    int code;
    try (GcPressure gc = GcPressure.start()) {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      code = ScriptRunner.run(script, args, new PrintStream(err, true, StandardCharsets.UTF_8));
    } finally {
      System.setOut(old);
    }
    String printed = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, err.toString(StandardCharsets.UTF_8) + printed);
    // 96 frames: 6 time patches x 5 frequency bands + CLS = 31 positions; 12 layers x 3 groups
    assertTrue(printed.contains("counted=8 sweep=31 groups=36 attr=36864"), printed);
  }
}
