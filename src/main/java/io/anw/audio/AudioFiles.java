package io.anw.audio;

import io.anw.WorkbenchException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reading audio files by content (not by extension): WAV and FLAC, decoded to mono float
 * clips, optionally resampled to a target rate.
 */
public final class AudioFiles {
  /** The sample rate the models expect (Hz). */
  public static final int MODEL_RATE = 16000;

  private AudioFiles() {}

  private enum Kind { WAV, FLAC }

  /** Reads the header of a WAV or FLAC file without decoding the samples. */
  public static AudioInfo probe(Path file) {
    return kind(file) == Kind.WAV ? WavFile.probe(file) : FlacFile.probe(file);
  }

  /** Decodes a WAV or FLAC file to a mono clip at its own sample rate. */
  public static Clip read(Path file) {
    return kind(file) == Kind.WAV ? WavFile.read(file) : FlacFile.read(file);
  }

  /** Decodes a WAV or FLAC file to mono and resamples it to {@code rate} Hz. */
  public static Clip read(Path file, int rate) {
    try (AudioStream in = open(file, rate)) {
      if (in.length() > Integer.MAX_VALUE - 8) {
        throw new WorkbenchException(file + ": too long to decode in memory at once ("
            + Math.round(in.seconds()) + " s)");
      }
      return in.readClip();
    }
  }

  /**
   * Opens a WAV or FLAC file for decoding block by block (mono, the file's rate): memory stays
   * the same for a recording of any length.
   */
  public static AudioStream open(Path file) {
    return kind(file) == Kind.WAV ? WavFile.open(file) : FlacFile.open(file);
  }

  /** {@link #open(Path)} resampled to {@code rate} Hz on the fly. */
  public static AudioStream open(Path file, int rate) {
    return Resampler.stream(open(file), rate);
  }

  private static Kind kind(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new WorkbenchException(file + ": no such file");
    }
    byte[] head = new byte[12];
    int n = 0;
    try (InputStream in = Files.newInputStream(file)) {
      for (int r; n < head.length && (r = in.read(head, n, head.length - n)) > 0; ) {
        n += r;
      }
    } catch (IOException e) {
      throw new WorkbenchException(file + ": cannot read (" + e.getMessage() + ")", e);
    }
    if (n == 0) {
      throw new WorkbenchException(file + ": empty file");
    }
    if (WavFile.isWav(head)) {
      return Kind.WAV;
    }
    if (FlacFile.isFlac(head)) {
      return Kind.FLAC;
    }
    throw new WorkbenchException(file + ": not audio (neither WAV nor FLAC)");
  }
}
