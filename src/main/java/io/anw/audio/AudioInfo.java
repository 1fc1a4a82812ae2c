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

  /** Duration in seconds. */
  public double seconds() {
    return frames / (double) sampleRate;
  }
}
