package io.anw.listen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anw.GradMode;
import io.anw.audio.Clip;
import io.anw.audio.Dataset;
import io.anw.audio.LogMel;
import io.anw.audio.WavFile;
import io.anw.model.Hooks;
import io.anw.model.M2dViT;
import io.anw.model.ModelConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A long recording is seen through a window of whole chunks around the entry: its log-mel,
 * samples and activations are the recording's own, and the excerpt is the one the whole
 * recording gives.
 */
class ClipWindowTest {
  @TempDir Path dir;

  @Test
  void aWindowOfALongRecordingEqualsTheWholeRecordingThere() throws Exception {
    GradMode.setThreads(1);
    Random rnd = new Random(4);
    float[] x = new float[30 * 16000];
    for (int t = 0; t < x.length; t++) {
      x[t] = (float) (0.3 * Math.sin(2 * Math.PI * (200 + 3 * (t / 16000)) * t / 16000.0)
          + 0.02 * rnd.nextGaussian());
    }
    WavFile.write(dir.resolve("long.wav"), new Clip(x, 16000));
    Clip whole = WavFile.read(dir.resolve("long.wav")); // as decoded: 16-bit samples
    Files.write(dir.resolve("labels.csv"), List.of("file_name,label", "long.wav,a"));
    Dataset data = Dataset.open(dir.resolve("labels.csv"));
    // unit 32 frames (0.32 s): the 30 s recording has 94 chunks
    try (M2dViT vit = M2dViT.random(ModelConfig.defaults().withName("tiny").withUnitFrames(32),
        2, 32, 48, 3, null)) {
      int chunk = 50;
      ClipWindow w = ClipWindow.around(vit, data, data.items().get(0), chunk);
      assertFalse(w.whole());
      assertTrue(w.firstChunk() > 0 && w.firstChunk() < chunk);
      assertEquals(w.firstChunk() * 0.32, w.offsetS(), 1e-9);
      assertTrue(w.audio().seconds() > 9 && w.audio().seconds() < 12, "about 10 s shown");
      // samples and log-mel frames are the recording's own
      int first = (int) Math.round(w.offsetS() * 16000);
      assertArrayEquals(java.util.Arrays.copyOfRange(whole.samples(), first,
          first + w.audio().length()),
          w.audio().samples());
      float[][] all = new LogMel(vit.preset()).compute(whole);
      int f0 = w.firstChunk() * 32;
      for (int m = 0; m < all.length; m += 7) {
        for (int f = 0; f < w.picture()[0].length; f++) {
          assertEquals(all[m][f0 + f], w.picture()[m][f], 1e-4, "mel " + m + " frame " + f);
        }
      }
      // the activations of the window's chunks are those of the whole recording
      TopUnit unit = new TopUnit("blocks.1.mlp.hook_post", 1, 5, "neuron");
      float[][] everywhere = ActivationMaps.of(vit, Hooks.none(), whole, null, List.of(unit))
          .get(unit);
      float[][] windowed = ActivationMaps.of(vit, Hooks.none(), LogMel.normalise(w.picture(),
          vit.normStats().mean(), vit.normStats().std()), null, List.of(unit)).get(unit);
      int t0 = w.firstChunk() * 2; // 2 time patches per chunk
      for (int f = 0; f < windowed.length; f++) {
        for (int t = 0; t < windowed[f].length; t++) {
          assertEquals(everywhere[f][t0 + t], windowed[f][t], 1e-4, "patch f" + f + " t" + t);
        }
      }
      // an entry there: the excerpt equals the whole recording's
      PatchGeometry geo = PatchGeometry.of(vit);
      TokenPlace place = geo.place(chunk, 1 + 2 * 2 + 1, 2, 30);
      TopEntry e = new TopEntry(unit, 0, 1, 0, data.items().get(0).file(), "long.wav", "a",
          1.0, place);
      Listening l = ClipViews.of(vit, Hooks.none(), data, List.of(e), Map.of(unit, 1.0), 0.5)
          .get(0);
      assertArrayEquals(Snippets.excerpt(whole, place, 0.5).samples(), l.excerpt().samples());
      assertTrue(l.picture().getWidth() > 300);
    }
  }
}
