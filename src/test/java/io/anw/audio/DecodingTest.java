package io.anw.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.anw.WorkbenchException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecodingTest {
  @TempDir Path tmp;

  @Test
  void everyWavVariantDecodesToTheExpectedMonoSignal() throws IOException {
    int checked = 0;
    for (JsonElement e : Fixtures.manifest().getAsJsonArray("wav")) {
      JsonObject c = e.getAsJsonObject();
      Path wav = Fixtures.path(c.get("wav").getAsString());
      float[] expected = Fixtures.f32(c.get("expected").getAsString());
      AudioInfo info = AudioFiles.probe(wav);
      assertEquals(c.get("channels").getAsInt(), info.channels(), wav.toString());
      assertEquals(c.get("bits").getAsInt(), info.bitsPerSample(), wav.toString());
      assertEquals(expected.length, info.frames(), wav.toString());
      Clip clip = AudioFiles.read(wav);
      assertEquals(c.get("rate").getAsInt(), clip.sampleRate());
      assertMaxDiff(expected, clip.samples(), 1e-6, wav.toString());
      checked++;
    }
    assertEquals(9, checked);
  }

  @Test
  void flacDecodesLosslessly() throws IOException {
    for (JsonElement e : Fixtures.manifest().getAsJsonArray("flac")) {
      JsonObject c = e.getAsJsonObject();
      Path flac = Fixtures.path(c.get("file").getAsString());
      float[] expected = Fixtures.f32(c.get("expected").getAsString());
      assertEquals(expected.length, AudioFiles.probe(flac).frames());
      Clip clip = AudioFiles.read(flac);
      assertEquals(8000, clip.sampleRate());
      assertMaxDiff(expected, clip.samples(), 1e-6, flac.toString());
    }
  }

  @Test
  void writtenWavReadsBack() {
    float[] x = Fixtures.sine(440, 16000, 1600, 0.5);
    Path f = tmp.resolve("a.wav");
    WavFile.write(f, new Clip(x, 16000));
    Clip back = AudioFiles.read(f, 16000);
    assertMaxDiff(x, back.samples(), 1.0 / 32768, "round trip");
    assertEquals(f, back.source());
  }

  @Test
  void truncatedWavIsAOneLineError() throws IOException {
    byte[] full = Files.readAllBytes(Fixtures.path("wav-pcm16.wav"));
    Path f = tmp.resolve("cut.wav");
    Files.write(f, Arrays.copyOf(full, full.length - 100));
    assertError(f, "truncated data");
  }

  @Test
  void zeroSampleWavIsAnError() throws IOException {
    Path f = tmp.resolve("empty.wav");
    WavFile.write(f, new Clip(new float[0], 16000));
    assertError(f, "zero samples");
  }

  @Test
  void nonAudioIsAnError() throws IOException {
    Path f = tmp.resolve("notes.wav");
    Files.writeString(f, "this is not a wave file at all");
    assertError(f, "not audio");
    Path empty = tmp.resolve("nothing.flac");
    Files.write(empty, new byte[0]);
    assertError(empty, "empty file");
    assertError(tmp.resolve("missing.wav"), "no such file");
  }

  @Test
  void unsupportedEncodingIsNamed() throws IOException {
    byte[] b = Files.readAllBytes(Fixtures.path("wav-pcm16.wav"));
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putShort(20, (short) 2); // MS ADPCM
    Path f = tmp.resolve("adpcm.wav");
    Files.write(f, b);
    assertError(f, "unsupported WAV encoding 0x0002");
  }

  @Test
  void truncatedFlacIsAnError() throws IOException {
    byte[] full = Files.readAllBytes(Fixtures.path("flac-16.flac"));
    Path f = tmp.resolve("cut.flac");
    Files.write(f, Arrays.copyOf(full, full.length - 700));
    assertError(f, "truncated data");
    Files.write(f, Arrays.copyOf(full, 30));
    assertError(f, "truncated data");
  }

  @Test
  void corruptFlacFramesAndChecksumsAreErrors() throws IOException {
    byte[] full = Files.readAllBytes(Fixtures.path("flac-16.flac"));
    byte[] frames = full.clone();
    for (int i = frames.length - 600; i < frames.length - 500; i++) {
      frames[i] ^= 0x5a;
    }
    Path f = tmp.resolve("bad.flac");
    Files.write(f, frames);
    assertError(f, "corrupt FLAC data");
    byte[] sum = full.clone();
    sum[30] ^= 1; // inside STREAMINFO's MD5 of the samples
    Files.write(f, sum);
    assertError(f, "MD5");
  }

  private static void assertError(Path f, String problem) {
    WorkbenchException ex = assertThrows(WorkbenchException.class, () -> AudioFiles.read(f));
    assertTrue(ex.getMessage().startsWith(f.toString()) && ex.getMessage().contains(problem),
        ex.getMessage());
    assertFalse(ex.getMessage().contains("\n"));
  }

  static void assertMaxDiff(float[] expected, float[] actual, double tol, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    double max = 0;
    for (int i = 0; i < expected.length; i++) {
      max = Math.max(max, Math.abs(expected[i] - actual[i]));
    }
    assertTrue(max <= tol, what + ": max |diff| " + max + " > " + tol);
  }
}
