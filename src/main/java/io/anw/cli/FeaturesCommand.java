package io.anw.cli;

import io.anw.audio.AudioFiles;
import io.anw.audio.Clip;
import io.anw.audio.LogMel;
import io.anw.audio.LogMelPreset;
import io.anw.tensor.Tensor;
import io.anw.tensor.TensorFiles;
import io.anw.tensor.TensorTree;
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
    Clip clip = AudioFiles.read(audio, front.preset().sampleRate());
    float[][] mel = front.compute(clip.samples());
    writeNpy(out, mel);
    System.out.printf("%s: [%d, %d] log-mel (%s) from %.2f s of %s%n", out, mel.length,
        mel[0].length, front.preset().name(), clip.seconds(), audio.getFileName());
    return 0;
  }

  /** Writes a 2-D float32 C-order .npy, atomically. */
  static void writeNpy(Path file, float[][] a) {
    int rows = a.length;
    int cols = rows == 0 ? 0 : a[0].length;
    float[] flat = new float[rows * cols];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(a[r], 0, flat, r * cols, cols);
    }
    TensorFiles.write(file, TensorTree.builder(file.toString(), "npy")
        .tensor("features", Tensor.ofFloats(flat, rows, cols)).build());
  }
}
