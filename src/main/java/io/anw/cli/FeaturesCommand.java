package io.anw.cli;

import io.anw.WorkbenchException;
import io.anw.audio.AudioFiles;
import io.anw.audio.Clip;
import io.anw.audio.LogMel;
import io.anw.audio.LogMelPreset;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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

  // TODO(merge): use io.anw.tensor npy writer
  /** Writes a 2-D float32 C-order .npy (format 1.0) via a temporary file renamed into place. */
  static void writeNpy(Path file, float[][] a) {
    int rows = a.length;
    int cols = rows == 0 ? 0 : a[0].length;
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + rows + ", " + cols + "), }";
    int unpadded = 10 + dict.length() + 1;
    String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
    ByteBuffer b = ByteBuffer.allocate(10 + header.length() + 4 * rows * cols)
        .order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0)
        .putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
    for (float[] row : a) {
      for (float v : row) {
        b.putFloat(v);
      }
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Files.write(tmp, b.array());
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // best effort
      }
      throw new WorkbenchException(file + ": cannot write (" + e.getMessage() + ")", e);
    }
  }
}
