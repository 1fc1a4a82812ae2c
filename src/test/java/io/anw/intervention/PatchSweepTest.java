package io.anw.intervention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.anw.GradMode;
import io.anw.model.LinearToyModel;
import io.anw.model.M2dViT;
import io.anw.model.ModelConfig;
import io.anw.report.Plots;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/** Sweeps: cells agree with single patching runs; effects stay in [0, 1] on the linear toy. */
class PatchSweepTest {
  @TempDir
  Path tmp;

  @Test
  void layerByPositionSweepMatchesSinglePatchesAndPlots() throws Exception {
    GradMode.disableOnCurrentThread();
    try (NDManager m = NDManager.newBaseManager();
        M2dViT model = M2dViT.random(ModelConfig.defaults().withUnitFrames(32), 2, 32, 64, 5, m)) {
      NDArray clean = m.randomNormal(0, 1, new Shape(1, 80, 32), DataType.FLOAT32);
      NDArray corrupted = m.randomNormal(0, 1, new Shape(1, 80, 32), DataType.FLOAT32);
      NDArray w = m.randomNormal(0, 1, new Shape(5 * 32), DataType.FLOAT32);
      PatchMetric metric = out -> out.sceneEmbedding().matMul(w);
      SweepResult s = PatchSweep.positions(model, PatchDirection.DENOISE, clean, corrupted,
          metric, "blocks.*.hook_resid_pre");
      int tokens = 1 + 5 * 2;
      assertEquals(List.of("L0", "L1"), s.rows());
      assertEquals(tokens, s.columns().size());
      assertEquals("CLS", s.columns().get(0));
      assertEquals("f0.t1", s.columns().get(2));
      Table t = s.table();
      assertEquals(2 * tokens, t.rowCount());
      for (int[] cell : new int[][] {{0, 0}, {0, 4}, {1, 7}}) {
        PatchResult one = Patching.denoise(model, clean, corrupted, metric,
            PatchTarget.positions("blocks." + cell[0] + ".hook_resid_pre", cell[1]));
        assertEquals(one.patched(), s.metric()[cell[0]][cell[1]], 1e-4, "cell " + cell[0]);
        assertEquals(one.effect(), s.effects()[cell[0]][cell[1]], 1e-3);
      }
      // in layer 0, only the patched token is clean: the effects are partial
      double sum = 0;
      for (double e : s.effects()[0]) {
        sum += e;
      }
      assertTrue(Math.abs(sum) > 1e-3);
      Path png = Plots.savePng(s.heatmap(), tmp.resolve("sweep.png"));
      assertTrue(Files.size(png) > 1000);
      var grid = s.gridHeatmap(1, 0);
      assertTrue(grid.getTitle().contains("L1 chunk 0"), grid.getTitle());
      assertTrue(Files.size(Plots.savePng(grid, tmp.resolve("grid.png"))) > 1000);

      SweepResult g = PatchSweep.neuronGroups(model, PatchDirection.NOISE, clean, corrupted,
          metric, 24);
      assertEquals(List.of("0-23", "24-47", "48-63"), g.columns());
      org.junit.jupiter.api.Assertions.assertThrows(io.anw.WorkbenchException.class,
          () -> g.gridHeatmap(0, 0));
      PatchResult one = Patching.noise(model, clean, corrupted, metric,
          PatchTarget.units("blocks.1.mlp.hook_post", java.util.stream.IntStream.rangeClosed(48,
              63).toArray()));
      assertEquals(one.patched(), g.metric()[1][2], 1e-4);
      assertTrue(Files.size(Plots.savePng(g.heatmap(), tmp.resolve("groups.png"))) > 1000);
      io.anw.WorkbenchException mixed = org.junit.jupiter.api.Assertions.assertThrows(
          io.anw.WorkbenchException.class, () -> PatchSweep.positions(model,
              PatchDirection.DENOISE, clean, corrupted, metric, "blocks.0.**"));
      assertTrue(mixed.getMessage().contains("different shapes"), mixed.getMessage());
    }
  }

  @Test
  void sweepEffectsOfTheLinearToyLieInZeroOneAndAddUp() {
    try (LinearToyModel toy = new LinearToyModel(2, 3, 8, 12, 3, 4);
        NDManager m = NDManager.newBaseManager()) {
      NDArray corr = m.randomUniform(0f, 1f, new Shape(2, 2, 3));
      NDArray clean = corr.add(m.randomUniform(0.1f, 1f, new Shape(2, 2, 3)));
      PatchMetric sum = out -> out.sceneEmbedding().sum(new int[] {1});
      for (PatchDirection d : PatchDirection.values()) {
        SweepResult s = PatchSweep.positions(toy, d, clean, corr, sum, "blocks.*.hook_resid_pre");
        assertEquals(3, s.rows().size());
        assertEquals(7, s.columns().size());
        double[][] e = s.effects();
        for (double[] row : e) {
          double total = 0;
          for (double v : row) {
            assertTrue(v >= -1e-6 && v <= 1 + 1e-6, d + " " + v);
            total += d == PatchDirection.DENOISE ? v : 1 - v;
          }
          // linear: the one-position changes add up to patching all positions (effect 1 when
          // denoising, 0 when noising)
          assertEquals(1.0, total, 1e-4, d.toString());
        }
        SweepResult g = PatchSweep.neuronGroups(toy, d, clean, corr, sum, 5);
        for (double[] row : g.effects()) {
          for (double v : row) {
            assertTrue(v >= -1e-6 && v <= 1 + 1e-6, d + " group " + v);
          }
        }
      }
    }
  }
}
