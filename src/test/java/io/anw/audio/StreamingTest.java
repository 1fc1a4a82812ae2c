package io.anw.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anw.WorkbenchException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decoding, resampling and log-mels block by block give exactly (bit for bit) what the
 * whole-signal functions give, for any block size; broken headers and non-finite samples are
 * refused before or while reading, naming the file.
 */
class StreamingTest {
  @TempDir Path dir;

  private static float[] noise(int n, long seed) {
    Random r = new Random(seed);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (0.3 * r.nextGaussian() + 0.2 * Math.sin(i * 0.01));
    }
    return x;
  }

  /** Reads a stream with awkward block sizes. */
  private static float[] drain(AudioStream s, int block) {
    float[] out = new float[0];
    float[] buf = new float[block];
    int size = 0;
    for (int r = s.read(buf, 0, block); r >= 0; r = s.read(buf, 0, block)) {
      out = Arrays.copyOf(out, size + r);
      System.arraycopy(buf, 0, out, size, r);
      size += r;
      block = block % 997 + 1 + (block * 7) % 500; // vary the request size
      if (buf.length < block) {
        buf = new float[block];
      }
    }
    return out;
  }

  @Test
  void streamedResamplingEqualsTheWholeSignal() {
    for (int[] rates : new int[][] {{44100, 16000}, {48000, 16000}, {22050, 16000},
        {8000, 16000}, {16001, 16000}, {32000, 16000}}) {
      float[] x = noise(rates[0] * 3 + 17, rates[0]);
      float[] whole = Resampler.resample(x, rates[0], rates[1]);
      AudioStream s = Resampler.stream(AudioStream.of(x, rates[0]), rates[1]);
      assertEquals(whole.length, s.length(), Arrays.toString(rates));
      assertArrayEquals(whole, drain(s, 333), Arrays.toString(rates));
    }
  }

  @Test
  void streamedLogMelsEqualTheWholeSignalInAnyBlocks() {
    LogMel front = new LogMel(LogMelPreset.M2D_16K);
    for (int n : new int[] {1, 150, 399, 400, 401, 16000, 48_123}) {
      float[] x = noise(n, n);
      float[][] whole = front.compute(x);
      for (int block : new int[] {1, 7, 1000}) {
        LogMel.Frames f = front.frames(AudioStream.of(x, 16000));
        assertEquals(whole[0].length, f.total());
        int at = 0;
        for (float[][] b = f.next(block); b != null; b = f.next(block)) {
          for (int m = 0; m < whole.length; m++) {
            for (int j = 0; j < b[m].length; j++) {
              assertEquals(Float.floatToIntBits(whole[m][at + j]), Float.floatToIntBits(b[m][j]),
                  "n=" + n + " block=" + block + " mel " + m + " frame " + (at + j));
            }
          }
          at += b[0].length;
        }
        assertEquals(f.total(), at);
      }
    }
  }

  @Test
  void aWavFileStreamsToTheSameLogMelAsWholeDecoding() throws IOException {
    Path wav = dir.resolve("stereo.wav");
    Files.write(wav, wav(noise(44100 * 2 + 5, 1), 44100, 2, 3));
    LogMel front = new LogMel(LogMelPreset.M2D_16K);
    float[][] whole = front.compute(AudioFiles.read(wav).resample(16000).samples());
    try (LogMel.Frames f = front.frames(AudioFiles.open(wav))) {
      float[][] got = f.next(37);
      float[][] rest = f.next(f.total());
      for (int m = 0; m < 80; m++) {
        float[] row = Arrays.copyOf(got[m], got[m].length + rest[m].length);
        System.arraycopy(rest[m], 0, row, got[m].length, rest[m].length);
        assertArrayEquals(whole[m], row, "mel " + m);
      }
    }
  }

  @Test
  void fixedLengthReadsOnlyWhatItKeepsAndPadsShortStreams() {
    float[] x = noise(1000, 3);
    assertArrayEquals(Arrays.copyOf(x, 400),
        AudioStream.fixedLength(AudioStream.of(x, 16000), 400).readAll());
    assertArrayEquals(Arrays.copyOf(x, 1500),
        AudioStream.fixedLength(AudioStream.of(x, 16000), 1500).readAll());
  }

  @Test
  void aOneHertzHeaderIsRefusedBeforeAnyWork() throws IOException {
    Path wav = dir.resolve("one-hertz.wav");
    byte[] b = wav(noise(16000, 4), 16000, 1, 2);
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(24, 1).putInt(28, 2);
    Files.write(wav, b);
    long t0 = System.nanoTime();
    WorkbenchException e = assertThrows(WorkbenchException.class, () -> AudioFiles.probe(wav));
    assertEquals(wav + ": header says 1 Hz; sample rates from 1000 to 384000 Hz are read",
        e.getMessage());
    assertThrows(WorkbenchException.class, () -> AudioFiles.read(wav, 16000));
    assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
  }

  @Test
  void nonFiniteSamplesAreRefusedWithTheTimeTheyOccurAt() throws IOException {
    float[] x = noise(32000, 5);
    x[24000] = Float.NaN;
    Path wav = dir.resolve("nan.wav");
    Files.write(wav, floatWav(x, 16000));
    WorkbenchException e = assertThrows(WorkbenchException.class, () -> AudioFiles.read(wav));
    assertEquals(wav + ": sample 24000 (1.500 s) is NaN; audio must be finite numbers",
        e.getMessage());
    x[24000] = Float.POSITIVE_INFINITY;
    Files.write(wav, floatWav(x, 16000));
    assertTrue(assertThrows(WorkbenchException.class, () -> AudioFiles.read(wav, 16000))
        .getMessage().endsWith("is infinite; audio must be finite numbers"));
  }

  /** A PCM WAV of {@code channels} copies of {@code x} at {@code bytes} per sample. */
  static byte[] wav(float[] x, int rate, int channels, int bytes) {
    int block = channels * bytes;
    ByteBuffer b = ByteBuffer.allocate(44 + x.length * block).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + x.length * block)
        .put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1)
        .putShort((short) channels).putInt(rate).putInt(rate * block).putShort((short) block)
        .putShort((short) (8 * bytes)).put("data".getBytes(StandardCharsets.US_ASCII))
        .putInt(x.length * block);
    for (float v : x) {
      long q = Math.round(Math.max(-1, Math.min(1, v)) * ((1L << (8 * bytes - 1)) - 1));
      for (int c = 0; c < channels; c++) {
        for (int k = 0; k < bytes; k++) {
          b.put((byte) (q >> (8 * k)));
        }
      }
    }
    return b.array();
  }

  /** A mono float32 WAV of {@code x}. */
  static byte[] floatWav(float[] x, int rate) {
    ByteBuffer b = ByteBuffer.allocate(44 + 4 * x.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + 4 * x.length)
        .put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 3)
        .putShort((short) 1).putInt(rate).putInt(4 * rate).putShort((short) 4)
        .putShort((short) 32).put("data".getBytes(StandardCharsets.US_ASCII))
        .putInt(4 * x.length);
    for (float v : x) {
      b.putFloat(v);
    }
    return b.array();
  }
}
