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
 * Whisper's log-mel front end against float64 PyTorch goldens of the published algorithm
 * ({@code src/test/python/make_whisper_fixtures.py}) on real WAVs, 80 and 128 bins, with and
 * without the 30 s padding of the encoder input.
 */
class WhisperLogMelTest {
  @Test
  void matchesTheReferenceOnRealWavs() throws IOException {
    JsonElement manifest = JsonParser.parseString(Files.readString(
        Fixtures.path("whisper.json")));
    int cases = 0;
    for (JsonElement e : manifest.getAsJsonArray()) {
      JsonObject c = e.getAsJsonObject();
      Clip clip = AudioFiles.read(Fixtures.path(c.get("wav").getAsString()));
      int bins = c.get("bins").getAsInt();
      WhisperLogMel front = new WhisperLogMel(bins);
      float[][] mel = front.compute(clip.samples());
      int frames = c.getAsJsonArray("shape").get(1).getAsInt();
      assertEquals(bins, mel.length);
      assertEquals(frames, mel[0].length);
      assertEquals(clip.length() / 160, frames);
      String what = c.get("wav").getAsString() + " " + bins;
      assertClose(mel, Fixtures.f32(c.get("golden").getAsString()), frames, frames, what);

      float[][] input = front.encoderInput(clip.samples());
      assertEquals(WhisperLogMel.CHUNK_FRAMES, input[0].length);
      int head = c.get("padded_frames").getAsInt();
      assertClose(input, Fixtures.f32(c.get("padded").getAsString()), head, head,
          what + " padded");
      float tail = c.get("padded_tail").getAsFloat();
      for (float[] row : input) {
        for (int t = 400; t < row.length; t++) {
          assertEquals(tail, row[t], 1e-4, what + " padding frame " + t);
        }
      }
      assertEquals((clip.length() + 159) / 160, WhisperLogMel.audioFrames(clip.length()));
      cases++;
    }
    assertEquals(4, cases);
    assertEquals(3000, WhisperLogMel.audioFrames(40L * 16000));
  }

  @Test
  void onlyWhispersBinCountsAreAccepted() {
    io.anw.WorkbenchException e = assertThrows(io.anw.WorkbenchException.class,
        () -> new WhisperLogMel(64));
    assertEquals("Whisper log-mels have 80 or 128 bins, not 64", e.getMessage());
  }

  private static void assertClose(float[][] mel, float[] golden, int frames, int stride,
      String what) {
    double max = 0;
    for (int m = 0; m < mel.length; m++) {
      for (int f = 0; f < frames; f++) {
        max = Math.max(max, Math.abs(mel[m][f] - golden[m * stride + f]));
      }
    }
    assertTrue(max < 1e-4, what + ": max |diff| " + max);
  }
}
