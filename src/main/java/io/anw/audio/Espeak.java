package io.anw.audio;

import io.anw.WorkbenchException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Speech synthesis with the {@code espeak-ng} command-line program, when it is installed. */
public final class Espeak {
  private static final String PROGRAM = "espeak-ng";

  private Espeak() {}

  /** The espeak-ng executable on the {@code PATH}, if any. */
  public static Optional<Path> find() {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, PROGRAM);
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /**
   * Speaks {@code text} and returns the audio as a clip at espeak-ng's own rate (22.05 kHz).
   *
   * @param voice an espeak-ng voice with optional variant, e.g. {@code de+f3}
   * @param wordsPerMinute speaking rate, 80–450
   * @param pitch 0–99 (50 is the voice's default)
   */
  public static Clip speak(String text, String voice, int wordsPerMinute, int pitch) {
    Path exe = find().orElseThrow(() -> new WorkbenchException(PROGRAM + " is not installed"));
    Path wav = null;
    Process p = null;
    try {
      wav = Files.createTempFile("anw-espeak", ".wav");
      // Text goes in on stdin as UTF-8 (-b 1): command-line arguments would be mangled under
      // a non-UTF-8 locale.
      p = new ProcessBuilder(List.of(exe.toString(), "-b", "1", "-v", voice, "-s",
          Integer.toString(wordsPerMinute), "-p", Integer.toString(pitch), "-w", wav.toString(),
          "--stdin")).redirectErrorStream(true).start();
      try (var stdin = p.getOutputStream()) {
        stdin.write(text.getBytes(StandardCharsets.UTF_8));
      }
      String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new WorkbenchException(PROGRAM + " -v " + voice + " failed"
            + (log.isEmpty() ? "" : ": " + log.lines().findFirst().orElse("")));
      }
      return WavFile.read(wav);
    } catch (IOException e) {
      throw new WorkbenchException(PROGRAM + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkbenchException(PROGRAM + ": interrupted", e);
    } finally {
      if (p != null && p.isAlive()) {
        p.destroyForcibly();
      }
      if (wav != null) {
        try {
          Files.deleteIfExists(wav);
        } catch (IOException ignored) {
          // a leftover temporary file is harmless
        }
      }
    }
  }
}
