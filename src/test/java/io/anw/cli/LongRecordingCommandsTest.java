package io.anw.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anw.model.M2dViT;
import io.anw.model.ModelConfig;
import io.anw.model.ModelFiles;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory independent of clip length: {@code features}, {@code embed} and {@code count} on an
 * 8-minute 44.1 kHz stereo recording in a JVM whose heap (48 MB) is smaller than the recording
 * decoded to mono floats (85 MB): they must stream it.
 */
class LongRecordingCommandsTest {
  @TempDir static Path dir;
  static Path wav;
  static Path model;

  @BeforeAll
  static void files() throws IOException {
    wav = dir.resolve("long.wav");
    int rate = 44100;
    int frames = 8 * 60 * rate;
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(wav), 1 << 20)) {
      ByteBuffer h = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
      h.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + frames * 4)
          .put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1)
          .putShort((short) 2).putInt(rate).putInt(rate * 4).putShort((short) 4)
          .putShort((short) 16).put("data".getBytes(StandardCharsets.US_ASCII))
          .putInt(frames * 4);
      out.write(h.array());
      ByteBuffer b = ByteBuffer.allocate(4 * 4096).order(ByteOrder.LITTLE_ENDIAN);
      for (int t = 0; t < frames; t++) {
        short v = (short) (8000 * Math.sin(2 * Math.PI * (200 + t % 441000 / 441.0) * t / rate));
        b.putShort(v).putShort((short) -v);
        if (!b.hasRemaining()) {
          out.write(b.array());
          b.clear();
        }
      }
      out.write(b.array(), 0, b.position());
    }
    try (M2dViT vit = M2dViT.random(ModelConfig.defaults().withName("tiny"), 2, 32, 48, 3,
        null)) {
      model = ModelFiles.saveM2d(vit, dir.resolve("tiny.safetensors"));
    }
    Files.write(dir.resolve("labels.csv"), List.of("file_name,label", "long.wav,tone"));
  }

  /** Runs the workbench in a fresh JVM with a 48 MB heap; returns stdout + stderr. */
  private static String run(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx48m",
        "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
        Main.class.getName()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "timed out");
    assertEquals(0, p.exitValue(), String.join(" ", args) + ":\n" + out);
    return out;
  }

  @Test
  void featuresEmbedAndCountStreamAnEightMinuteRecording() throws Exception {
    Path npy = dir.resolve("long.npy");
    String f = run("features", wav.toString(), "--out", npy.toString());
    assertTrue(f.contains("[80, 48001] log-mel"), f);
    assertEquals(128 + 4L * 80 * 48001, Files.size(npy));
    String e = run("embed", "--model", model.toString(), wav.toString(), "--out",
        dir.resolve("e.npy").toString());
    assertTrue(e.contains("[1, 160] scene embeddings"), e);
    String c = run("count", "--model", model.toString(), "--data",
        dir.resolve("labels.csv").toString(), "--out", dir.resolve("c.npz").toString());
    assertTrue(c.contains("tokens per class: tone="), c);
    assertTrue(c.contains("s of audio"), "progress within the file: " + c);
  }
}
