package io.anw.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * Kaldi fbank against torchaudio's {@code compliance.kaldi.fbank} (float64, AST's options and
 * Kaldi's default Povey window; {@code src/test/python/make_kaldi_fixtures.py}) on real WAVs.
 */
class KaldiFbankTest {
  @Test
  void matchesTorchaudioOnRealWavs() throws IOException {
    JsonElement manifest = JsonParser.parseString(Files.readString(Fixtures.path("kaldi.json")));
    int cases = 0;
    for (JsonElement e : manifest.getAsJsonArray()) {
      JsonObject c = e.getAsJsonObject();
      Clip clip = AudioFiles.read(Fixtures.path(c.get("wav").getAsString()));
      int bins = c.get("bins").getAsInt();
      KaldiFbank front = new KaldiFbank(16000, bins,
          KaldiFbank.Window.parse(c.get("window").getAsString()));
      float[][] fb = front.compute(clip.samples());
      int frames = c.getAsJsonArray("shape").get(0).getAsInt();
      assertEquals(frames, front.frames(clip.length()));
      assertEquals(bins, fb.length);
      assertEquals(frames, fb[0].length);
      float[] golden = Fixtures.f32(c.get("golden").getAsString()); // [frames, bins]
      double max = 0;
      for (int t = 0; t < frames; t++) {
        for (int m = 0; m < bins; m++) {
          max = Math.max(max, Math.abs(fb[m][t] - golden[t * bins + m]));
        }
      }
      assertTrue(max < 1e-3, c + ": max |diff| " + max);
      cases++;
    }
    assertEquals(4, cases);
  }

  @Test
  void astsFrontEndAndItsLimits() {
    KaldiFbank ast = KaldiFbank.ast();
    assertEquals(128, ast.bins());
    assertEquals(998, ast.frames(160000), "10 s at 16 kHz");
    assertEquals(0, ast.frames(399));
    io.anw.WorkbenchException e = assertThrows(io.anw.WorkbenchException.class,
        () -> ast.compute(new float[100]));
    assertEquals("Kaldi fbank: 100 samples is less than one 25 ms frame", e.getMessage());
    assertEquals(1127.0 * Math.log(1 + 1000 / 700.0), KaldiFbank.mel(1000), 1e-12);
  }
}
