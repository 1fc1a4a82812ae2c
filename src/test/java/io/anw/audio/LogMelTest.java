package io.anw.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.anw.WorkbenchException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class LogMelTest {
  @Test
  void matchesTheTorchGoldenLogMels() throws IOException {
    int cases = 0;
    for (JsonElement e : Fixtures.manifest().getAsJsonArray("logmel")) {
      JsonObject c = e.getAsJsonObject();
      Clip clip = AudioFiles.read(Fixtures.path(c.get("wav").getAsString()));
      LogMel front = LogMel.of(c.get("preset").getAsString());
      float[][] mel = front.compute(clip);
      int mels = c.getAsJsonArray("shape").get(0).getAsInt();
      int frames = c.getAsJsonArray("shape").get(1).getAsInt();
      assertEquals(mels, mel.length);
      assertEquals(frames, mel[0].length);
      assertEquals(front.preset().frames(clip.length()), frames);
      float[] golden = Fixtures.f32(c.get("golden").getAsString());
      double max = 0;
      for (int m = 0; m < mels; m++) {
        for (int f = 0; f < frames; f++) {
          max = Math.max(max, Math.abs(mel[m][f] - golden[m * frames + f]));
        }
      }
      assertTrue(max < 1e-3, c.get("wav").getAsString() + ": max |diff| " + max);
      cases++;
    }
    assertEquals(3, cases);
  }

  @Test
  void filterbankFollowsLibrosaSlaneyScale() {
    assertEquals(15.0, MelFilterbank.hzToMel(1000), 1e-12);
    assertEquals(1000.0, MelFilterbank.melToHz(15.0), 1e-9);
    assertEquals(3000.0, MelFilterbank.melToHz(MelFilterbank.hzToMel(3000)), 1e-9);
    double[][] w = MelFilterbank.slaney(16000, 400, 80, 50, 8000);
    assertEquals(80, w.length);
    assertEquals(201, w[0].length);
    for (double[] band : w) {
      double sum = 0;
      for (double v : band) {
        assertTrue(v >= 0);
        sum += v;
      }
      assertTrue(sum > 0, "every band has a non-zero weight");
    }
  }

  @Test
  void shortClipsAndNormalisation() {
    LogMel front = new LogMel(LogMelPreset.M2D_16K);
    float[][] mel = front.compute(new float[100]); // shorter than the reflect padding
    assertEquals(1, mel[0].length);
    assertEquals((float) Math.log(LogMel.EPS), mel[3][0], 1e-6);
    float[][] norm = LogMel.normalise(new float[][] {{1, 3}}, 2, 0.5);
    assertEquals(-2f, norm[0][0]);
    assertEquals(2f, norm[0][1]);
  }

  @Test
  void presetsByName() {
    assertEquals(LogMelPreset.M2D_32K, LogMelPreset.of("m2d-32k"));
    assertEquals(101, LogMelPreset.M2D_16K.frames(16000));
    WorkbenchException ex = assertThrows(WorkbenchException.class, () -> LogMelPreset.of("x"));
    assertTrue(ex.getMessage().contains("m2d-16k"));
  }
}
