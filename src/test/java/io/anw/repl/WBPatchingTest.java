package io.anw.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.anw.intervention.AttributionResult;
import io.anw.intervention.LinearProbe;
import io.anw.intervention.PatchMetric;
import io.anw.intervention.PatchResult;
import io.anw.intervention.PatchTarget;
import io.anw.intervention.ProbeOptions;
import io.anw.intervention.SweepResult;
import io.anw.model.M2dViT;
import io.anw.neuron.Neuron;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The patching part of the REPL facade, on a tiny random M2D and a probe trained on it. */
class WBPatchingTest {
  @TempDir Path dir;

  @Test
  void denoiseSweepAttributionAndGroundingFromTheFacade() {
    try (M2dViT model = WB.randomM2d(2, 32, 64); NDManager m = NDManager.newBaseManager()) {
      // two "classes": quiet and loud clips; a probe on their scene embeddings
      float[][] x = new float[24][];
      int[] y = new int[24];
      for (int i = 0; i < 24; i++) {
        y[i] = i % 2;
        NDArray lms = m.randomNormal(y[i] * 1.5f, 1, new Shape(80, 32), DataType.FLOAT32);
        x[i] = WB.sceneEmbedding(model, lms);
      }
      LinearProbe probe = LinearProbe.train(x, y, List.of("quiet", "loud"),
          ProbeOptions.defaults());
      NDArray clean = m.randomNormal(1.5f, 1, new Shape(80, 32), DataType.FLOAT32);
      NDArray corrupted = WB.cropOrPad(m.randomNormal(0, 1, new Shape(80, 40),
          DataType.FLOAT32), 32);
      PatchMetric metric = WB.probeMetric(probe, 1);
      PatchResult all = WB.denoise(model, clean, corrupted, metric,
          PatchTarget.hook("blocks.0.hook_resid_pre"));
      assertEquals(1.0, all.effect(), 1e-3, all.toString());
      PatchResult none = WB.noise(model, clean, corrupted, metric,
          PatchTarget.hook("hook_final"));
      assertEquals(0.0, none.effect(), 1e-3, none.toString());
      SweepResult s = WB.patchSweep(model, clean, corrupted, metric, "blocks.*.hook_resid_pre");
      assertEquals(2 * (1 + 5 * 2), s.table().rowCount());
      assertEquals(2, WB.neuronGroupSweep(model, clean, corrupted, metric, 16).rows().size());
      AttributionResult a = WB.attributionPatching(model, clean, corrupted, metric);
      assertEquals(128, a.table().rowCount());
      assertEquals(5, a.check(5).table().rowCount());
      var g = WB.groundingCoefficient(model, List.of(new Neuron(0, 1)), clean, corrupted);
      assertEquals(1.0, g.gc(0));
      PatchMetric scalar = WB.metric(out -> (double) out.sceneEmbedding().sum().getFloat());
      assertFalse(scalar.perRow());
    }
  }

  @Test
  void aDenoisingSweepHeatmapRunsFromAScript() throws Exception {
    Path png = dir.resolve("sweep.png");
    Path script = dir.resolve("sweep.jsh");
    Files.writeString(script, """
        var model = WB.randomM2d(2, 32, 64)
        var m = NDManager.newBaseManager()
        var clean = m.randomNormal(0, 1, new Shape(80, 32), DataType.FLOAT32)
        var corrupted = m.randomNormal(0, 1, new Shape(80, 32), DataType.FLOAT32)
        var w = m.randomNormal(0, 1, new Shape(5 * 32), DataType.FLOAT32)
        PatchMetric metric = out -> out.sceneEmbedding().matMul(w)
        var sweep = WB.patchSweep(model, clean, corrupted, metric, "blocks.*.hook_resid_pre")
        WB.savePlot(sweep.heatmap(), args[0])
        var attr = WB.attributionPatching(model, clean, corrupted, metric)
        System.out.println("rows=" + sweep.table().rowCount() + " top=" + attr.top(3).rowCount())
        """);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream old = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = ScriptRunner.run(script, new String[] {png.toString()},
          new PrintStream(err, true, StandardCharsets.UTF_8));
    } finally {
      System.setOut(old);
    }
    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("rows=22 top=3"), out.toString());
    assertTrue(Files.size(png) > 1000);
  }

  @Test
  void interventionMethodsCarryHelpWithExamples() {
    for (String name : new String[] {"probeMetric", "metric", "denoise", "noise", "patchSweep",
        "neuronGroupSweep", "attributionPatching", "groundingCoefficient", "cropOrPad"}) {
      for (Method method : WB.class.getMethods()) {
        if (method.getName().equals(name)) {
          Help help = method.getAnnotation(Help.class);
          assertEquals("intervention", help.group(), name);
          assertFalse(help.example().isBlank(), name);
        }
      }
      assertTrue(Arrays.stream(WB.class.getMethods()).anyMatch(x -> x.getName().equals(name)));
    }
  }
}
