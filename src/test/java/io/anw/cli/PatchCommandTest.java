package io.anw.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import io.anw.audio.Clip;
import io.anw.audio.WavFile;
import io.anw.model.VitDims;
import io.anw.tensor.Tensor;
import io.anw.tensor.TensorFiles;
import io.anw.tensor.TensorTree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code workbench patch}: a sweep between two WAVs on a tiny random checkpoint. */
class PatchCommandTest {
  @TempDir Path tmp;

  @Test
  void writesASweepTableAndHeatmap() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("m2d_tiny-80x32p16x16-test"));
    Path ckpt = dir.resolve("weights.safetensors");
    Random r = new Random(3);
    TensorTree.Builder tree = TensorTree.builder(ckpt.toString(), "safetensors");
    for (Map.Entry<String, Shape> e : new VitDims(2, 64, 1, 128, 80, 16, 16, 32, 2)
        .expectedShapes().entrySet()) {
      long[] shape = e.getValue().getShape();
      float[] v = new float[(int) e.getValue().size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = e.getKey().contains("norm") && e.getKey().endsWith("weight") ? 1f
            : 0.02f * (float) r.nextGaussian();
      }
      tree.tensor(e.getKey(), Tensor.ofFloats(v, shape));
    }
    TensorFiles.write(ckpt, tree.build());
    Path clean = tmp.resolve("clean.wav");
    Path corrupted = tmp.resolve("corrupted.wav");
    WavFile.write(clean, new Clip(tone(440, 6000), 16000));
    WavFile.write(corrupted, new Clip(tone(1200, 7000), 16000));
    Path out = tmp.resolve("out");
    assertEquals(0, Main.execute("patch", "--model", ckpt.toString(), clean.toString(),
        corrupted.toString(), "--out", out.toString()));
    List<String> csv = Files.readAllLines(out.resolve("patch-sweep.csv"));
    assertTrue(csv.get(0).startsWith("hook,layer,chunk,position,token,metric,effect"),
        csv.get(0));
    assertTrue(csv.size() > 2 * 11, "rows: " + csv.size());
    assertTrue(Files.size(out.resolve("patch-sweep.png")) > 1000);
    assertEquals(0, Main.execute("patch", "--model", ckpt.toString(), clean.toString(),
        corrupted.toString(), "--groups", "32", "--noise", "--out", out.toString()));
    assertEquals(1 + 2 * 4, Files.readAllLines(out.resolve("patch-sweep.csv")).size());
  }

  private static float[] tone(double hz, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (0.3 * Math.sin(2 * Math.PI * hz * i / 16000));
    }
    return x;
  }
}
