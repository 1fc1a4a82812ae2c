package io.anw.cli;

import io.anw.audio.AudioFiles;
import io.anw.audio.LogMel;
import io.anw.audio.LogMelPreset;
import io.anw.tensor.NpyStreamWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code workbench features AUDIO --out OUT.npy [--preset m2d-16k]}: log-mels of one file. */
@Command(name = "features", mixinStandardHelpOptions = true,
    description = "Write the log-mel spectrogram of an audio file (WAV/FLAC; mixed to mono, "
        + "resampled to the preset's rate) as float32 .npy [n_mels, frames], before normalisation.")
public final class FeaturesCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "AUDIO", description = "A WAV or FLAC file.")
  Path audio;

  @Option(names = "--out", required = true, paramLabel = "OUT.npy", description = "Output .npy file.")
  Path out;

  @Option(names = "--preset", defaultValue = "m2d-16k", paramLabel = "NAME",
      description = "Front-end preset: m2d-16k (default) or m2d-32k.")
  String preset;

  @Override
  public Integer call() {
    LogMel front = new LogMel(LogMelPreset.of(preset));
    int mels = front.preset().nMels();
    // streamed: a recording of any length is decoded, resampled and transformed a block at a
    // time, each block written at its place in the [mels, frames] array
    try (LogMel.Frames frames = front.frames(AudioFiles.open(audio));
        Progress progress = Progress.start("features", frames.seconds(), "s of audio")) {
      int total = frames.total();
      NpyStreamWriter.write(out, new long[] {mels, total}, w -> {
        for (float[][] x = frames.next(BLOCK); x != null; x = frames.next(BLOCK)) {
          int first = frames.done() - x[0].length;
          for (int m = 0; m < mels; m++) {
            w.put((long) m * total + first, x[m], 0, x[m].length);
          }
          progress.at(frames.done() * frames.seconds() / total);
        }
      });
      progress.close();
      System.out.printf("%s: [%d, %d] log-mel (%s) from %.2f s of %s%n", out, mels, total,
          front.preset().name(), frames.seconds(), audio.getFileName());
    }
    return 0;
  }

  /** Frames per block (40.96 s at a 10 ms hop). */
  private static final int BLOCK = 4096;
}
