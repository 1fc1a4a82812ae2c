package io.anw.audio;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A mono audio clip: float samples in [-1, 1] at a sample rate (Hz), with an optional label,
 * the file it came from and free-form metadata (e.g. extra CSV columns).
 *
 * <p>Immutable by convention: methods that change the audio return a new clip; the samples array
 * is shared, not copied, so callers must not modify it.
 */
public final class Clip implements io.anw.report.RichOutput.Rich {
  private final float[] samples;
  private final int sampleRate;
  private final String label;
  private final Path source;
  private final Map<String, String> metadata;

  /**
   * A clip.
   *
   * @param samples mono samples, nominally in [-1, 1]
   * @param sampleRate samples per second (Hz), positive
   * @param label class label, or null when unlabelled
   * @param source file the audio was read from, or null
   * @param metadata extra attributes (copied, order kept; null means none)
   */
  public Clip(float[] samples, int sampleRate, String label, Path source,
      Map<String, String> metadata) {
    if (sampleRate <= 0) {
      throw new IllegalArgumentException("sample rate must be positive: " + sampleRate);
    }
    this.samples = Objects.requireNonNull(samples, "samples");
    this.sampleRate = sampleRate;
    this.label = label;
    this.source = source;
    this.metadata = metadata == null || metadata.isEmpty() ? Map.of()
        : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
  }

  /** An unlabelled clip without source or metadata. */
  public Clip(float[] samples, int sampleRate) {
    this(samples, sampleRate, null, null, Map.of());
  }

  /** The mono samples (shared, do not modify). */
  public float[] samples() {
    return samples;
  }

  /** Sample rate in Hz. */
  public int sampleRate() {
    return sampleRate;
  }

  /** Number of samples. */
  public int length() {
    return samples.length;
  }

  /** Duration in seconds. */
  public double seconds() {
    return samples.length / (double) sampleRate;
  }

  /** The class label, or null. */
  public String label() {
    return label;
  }

  /** The file this clip was read from, or null. */
  public Path source() {
    return source;
  }

  /** Extra attributes in their given order (unmodifiable). */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** This clip with other samples at another rate; label, source and metadata kept. */
  public Clip withSamples(float[] newSamples, int newRate) {
    return new Clip(newSamples, newRate, label, source, metadata);
  }

  /** This clip with another label and metadata; audio and source kept. */
  public Clip withLabel(String newLabel, Map<String, String> newMetadata) {
    return new Clip(samples, sampleRate, newLabel, source, newMetadata);
  }

  /** This clip resampled to {@code rate} Hz with the band-limited {@link Resampler}. */
  public Clip resample(int rate) {
    return rate == sampleRate ? this : withSamples(Resampler.resample(samples, sampleRate, rate), rate);
  }

  /**
   * This clip cut or zero-padded to exactly {@code n} samples, as EVAR does: longer clips keep
   * their first {@code n} samples, shorter ones get zeros appended.
   */
  public Clip fixLength(int n) {
    if (n <= 0) {
      throw new IllegalArgumentException("clip length must be positive: " + n);
    }
    return n == samples.length ? this : withSamples(Arrays.copyOf(samples, n), sampleRate);
  }

  /** Root-mean-square level of the samples (0 for silence). */
  public double rms() {
    double s = 0;
    for (float v : samples) {
      s += (double) v * v;
    }
    return samples.length == 0 ? 0 : Math.sqrt(s / samples.length);
  }

  @Override
  public String toString() {
    return String.format("Clip[%s%.3f s @ %d Hz%s]", label == null ? "" : label + ", ",
        seconds(), sampleRate, source == null ? "" : ", " + source.getFileName());
  }

  /**
   * In a notebook: an HTML audio player with the clip embedded as a 16-bit WAV (base64), and a
   * one-line description as plain text.
   */
  @Override
  public java.util.Map<String, String> mimeBundle() {
    String wav = java.util.Base64.getEncoder().encodeToString(WavFile.bytes(this));
    String text = toString();
    return java.util.Map.of(
        "text/html", "<figure class=\"clip\"><audio controls preload=\"none\" "
            + "src=\"data:audio/wav;base64," + wav + "\"></audio><figcaption>"
            + io.anw.report.RichOutput.escape(text) + "</figcaption></figure>",
        "text/plain", text);
  }
}
