package io.anw.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anw.audio.AudioFiles;
import io.anw.audio.Clip;
import io.anw.audio.Dataset;
import io.anw.audio.LogMel;
import io.anw.audio.WavFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AudioCommandsTest {
  @TempDir Path tmp;

  /** Exit code, stdout and stderr of one command line. */
  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int code = Main.execute(args);
      return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  private Path tone(String name, int rate) {
    float[] x = new float[rate];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (0.3 * Math.sin(2 * Math.PI * 440 * i / rate));
    }
    Path f = tmp.resolve(name);
    WavFile.write(f, new Clip(x, rate));
    return f;
  }

  @Test
  void featuresWritesFloat32NpyOfTheLogMel() throws IOException {
    Path wav = tone("a.wav", 22050);
    Path npy = tmp.resolve("out/a.npy");
    Run r = run("features", wav.toString(), "--out", npy.toString());
    assertEquals(0, r.code(), r.err());
    byte[] bytes = Files.readAllBytes(npy);
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int headerLen = b.getShort(8);
    String header = new String(bytes, 10, headerLen, StandardCharsets.US_ASCII);
    assertTrue(header.contains("'descr': '<f4'") && header.contains("'shape': (80, 101)"), header);
    assertEquals(0, (10 + headerLen) % 64);
    float[][] expected = LogMel.of("m2d-16k").compute(AudioFiles.read(wav));
    b.position(10 + headerLen);
    for (int m = 0; m < 80; m++) {
      for (int f = 0; f < 101; f++) {
        assertEquals(expected[m][f], b.getFloat());
      }
    }
    Run r32 = run("features", wav.toString(), "--out", tmp.resolve("b.npy").toString(),
        "--preset", "m2d-32k");
    assertEquals(0, r32.code(), r32.err());
  }

  @Test
  void brokenAudioIsOneLineAndWritesNothing() throws IOException {
    Path bad = tmp.resolve("bad.wav");
    Files.writeString(bad, "RIFF....WAVEjunk");
    Path npy = tmp.resolve("bad.npy");
    Run r = run("features", bad.toString(), "--out", npy.toString());
    assertEquals(1, r.code());
    assertEquals("workbench: " + bad + ": no fmt chunk\n", r.err());
    assertFalse(Files.exists(npy));
    assertEquals(1, Files.list(tmp).count());

    Run preset = run("features", tone("t.wav", 16000).toString(), "--out", npy.toString(),
        "--preset", "m2d-8k");
    assertEquals(1, preset.code());
    assertTrue(preset.err().startsWith("workbench: unknown log-mel preset 'm2d-8k'"), preset.err());
    assertFalse(Files.exists(npy));
  }

  @Test
  void datasetVerbPrintsSummaryAndSkipsBadRows() throws IOException {
    tone("x.wav", 16000);
    Files.writeString(tmp.resolve("l.csv"), "file_name,label\nx.wav,tone\nnope.wav,tone\n");
    Run strict = run("dataset", tmp.resolve("l.csv").toString());
    assertEquals(1, strict.code());
    assertEquals("workbench: l.csv row 3 (nope.wav): no such file\n", strict.err());
    Run skip = run("dataset", tmp.resolve("l.csv").toString(), "--skip-bad");
    assertEquals(0, skip.code(), skip.err());
    assertTrue(skip.out().contains("tone") && skip.out().contains("skipped l.csv row 3 (nope.wav)"),
        skip.out());
  }

  @Test
  void samplesMakeWritesTasks() {
    Path out = tmp.resolve("samples");
    Run r = run("samples", "make", "--out", out.toString(), "--seed", "3", "--clips", "12");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("pitch_synth") && r.out().contains("texture"), r.out());
    Dataset ds = Dataset.open(out.resolve("texture"));
    assertEquals(12, ds.size());
  }
}
