package io.anw.audio;

/**
 * What an audio file's header says, read without decoding the samples.
 *
 * @param format short description, e.g. {@code "WAV PCM 16-bit"} or {@code "FLAC 24-bit"}
 * @param sampleRate samples per second per channel (Hz)
 * @param channels channel count (decoding mixes them to mono)
 * @param bitsPerSample bits per stored sample
 * @param frames samples per channel
 */
public record AudioInfo(String format, int sampleRate, int channels, int bitsPerSample,
    long frames) {
  /** The lowest sample rate read (Hz): a header below it is taken as broken. */
  public static final int MIN_RATE = 1000;

  /** The highest sample rate read (Hz). */
  public static final int MAX_RATE = 384000;

  /**
   * Throws, naming the file and the time, at the first NaN or infinite sample of
   * {@code x[off .. off+n)}, whose first sample is sample {@code first} of the file.
   */
  static void requireFinite(float[] x, int off, int n, long first, int rate, java.nio.file.Path file) {
    for (int i = 0; i < n; i++) {
      if (!Float.isFinite(x[off + i])) {
        throw new io.anw.WorkbenchException(String.format(java.util.Locale.ROOT,
            "%s: sample %d (%.3f s) is %s; audio must be finite numbers", file, first + i,
            (first + i) / (double) rate, Float.isNaN(x[off + i]) ? "NaN" : "infinite"));
      }
    }
  }

  /** Duration in seconds. */
  public double seconds() {
    return frames / (double) sampleRate;
  }
}
