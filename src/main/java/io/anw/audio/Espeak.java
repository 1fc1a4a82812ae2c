package io.anw.audio;

import io.anw.WorkbenchException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Speech synthesis with the {@code espeak-ng} command-line program, when it is installed. */
public final class Espeak {
  private static final String PROGRAM = "espeak-ng";
  private static final int BREAK_MS = 1500;
  private static final float SILENCE = 0.002f;

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
    return run(text, false, voice, wordsPerMinute, pitch);
  }

  /**
   * Speaks several sentences with one espeak-ng process (much cheaper than one each) and
   * returns one clip per sentence: they are separated by {@value #BREAK_MS} ms SSML breaks,
   * whose near-silence is where the audio is cut.
   *
   * @throws WorkbenchException when the audio does not split into as many parts as sentences
   */
  public static List<Clip> speakAll(List<String> sentences, String voice, int wordsPerMinute,
      int pitch) {
    StringBuilder ssml = new StringBuilder("<speak>");
    for (int i = 0; i < sentences.size(); i++) {
      if (i > 0) {
        ssml.append("<break time=\"").append(BREAK_MS).append("ms\"/>");
      }
      ssml.append(sentences.get(i).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"));
    }
    Clip all = run(ssml.append("</speak>").toString(), true, voice, wordsPerMinute, pitch);
    List<Clip> parts = splitAtSilence(all, BREAK_MS / 1000.0 * 0.7);
    if (parts.size() != sentences.size()) {
      throw new WorkbenchException(PROGRAM + " -v " + voice + ": " + sentences.size()
          + " sentences came out as " + parts.size() + " parts");
    }
    return parts;
  }

  /**
   * The stretches of {@code clip} between runs of near-silence (below {@value #SILENCE}, about
   * -54 dBFS; some variants breathe through pauses) at least {@code seconds} long.
   */
  static List<Clip> splitAtSilence(Clip clip, double seconds) {
    float[] x = clip.samples();
    int minRun = (int) (seconds * clip.sampleRate());
    List<Clip> parts = new ArrayList<>();
    int start = -1; // first non-zero sample of the current part
    int lastSound = -1;
    int zeros = 0;
    for (int i = 0; i <= x.length; i++) {
      boolean end = i == x.length;
      if (!end && Math.abs(x[i]) >= SILENCE) {
        if (start < 0) {
          start = i;
        }
        lastSound = i;
        zeros = 0;
      } else if (start >= 0 && (end || ++zeros >= minRun)) {
        parts.add(clip.withSamples(Arrays.copyOfRange(x, start, lastSound + 1), clip.sampleRate()));
        start = -1;
      }
    }
    return parts;
  }

  private static Clip run(String text, boolean ssml, String voice, int wordsPerMinute, int pitch) {
    Path exe = find().orElseThrow(() -> new WorkbenchException(PROGRAM + " is not installed"));
    Path wav = null;
    Process p = null;
    try {
      wav = Files.createTempFile("anw-espeak", ".wav");
      // Text goes in on stdin as UTF-8 (-b 1): command-line arguments would be mangled under
      // a non-UTF-8 locale.
      List<String> cmd = new ArrayList<>(List.of(exe.toString(), "-b", "1", "-v", voice, "-s",
          Integer.toString(wordsPerMinute), "-p", Integer.toString(pitch), "-w", wav.toString()));
      if (ssml) {
        cmd.add("-m");
      }
      cmd.add("--stdin");
      p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
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
