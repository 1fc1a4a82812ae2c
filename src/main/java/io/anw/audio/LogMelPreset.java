package io.anw.audio;

import io.anw.WorkbenchException;
import java.util.List;

/**
 * The settings of a log-mel front end, as a model's runtime defines them.
 *
 * <p>All presets use a periodic Hann window, {@code center=True} reflect padding, the power
 * spectrum, a Slaney-scale mel filterbank with Slaney area normalisation (librosa defaults) and
 * {@code log(mel + eps)} with eps the float32 machine epsilon.
 *
 * @param name preset name, e.g. {@code m2d-16k}
 * @param sampleRate input sample rate (Hz)
 * @param nFft FFT size (samples)
 * @param winLength window length (samples, at most {@code nFft}; centred in the FFT frame)
 * @param hop hop between frames (samples)
 * @param nMels number of mel bands
 * @param fmin lowest filterbank frequency (Hz)
 * @param fmax highest filterbank frequency (Hz)
 */
public record LogMelPreset(String name, int sampleRate, int nFft, int winLength, int hop,
    int nMels, double fmin, double fmax) {

  /** Checks the settings: even FFT size, window no longer than it, positive sizes. */
  public LogMelPreset {
    if (nFft <= 0 || nFft % 2 != 0 || winLength <= 0 || winLength > nFft || hop <= 0 || nMels <= 0
        || !(fmin >= 0 && fmin < fmax && fmax <= sampleRate / 2.0)) {
      throw new IllegalArgumentException("inconsistent log-mel preset " + name);
    }
  }

  /** M2D at 16 kHz: 25 ms window, 10 ms hop, 80 mels over 50–8000 Hz. */
  public static final LogMelPreset M2D_16K =
      new LogMelPreset("m2d-16k", 16000, 400, 400, 160, 80, 50, 8000);

  /** M2D at 32 kHz: 25 ms window, 10 ms hop, 80 mels over 50–16000 Hz. */
  public static final LogMelPreset M2D_32K =
      new LogMelPreset("m2d-32k", 32000, 800, 800, 320, 80, 50, 16000);

  /** The predefined presets. */
  public static List<LogMelPreset> all() {
    return List.of(M2D_16K, M2D_32K);
  }

  /** The preset called {@code name}; throws {@link WorkbenchException} for unknown names. */
  public static LogMelPreset of(String name) {
    return all().stream().filter(p -> p.name.equalsIgnoreCase(name)).findFirst()
        .orElseThrow(() -> new WorkbenchException("unknown log-mel preset '" + name
            + "' (known: " + String.join(", ", all().stream().map(LogMelPreset::name).toList()) + ")"));
  }

  /** Number of frames for {@code samples} input samples: {@code 1 + samples / hop}. */
  public int frames(int samples) {
    return 1 + samples / hop;
  }
}
