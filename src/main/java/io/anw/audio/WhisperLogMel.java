package io.anw.audio;

/**
 * Whisper's front end (OpenAI's {@code whisper.audio.log_mel_spectrogram}): 16 kHz samples, a
 * 400-point STFT with a periodic Hann window and hop 160 (centred, reflect-padded), the last
 * frame dropped, mel power on a Slaney filterbank from 0 to 8 kHz (80 or 128 bins),
 * {@code log10(max(power, 1e-10))}, floored at the spectrogram's maximum minus 8, then
 * {@code (x + 4) / 4}. The encoder reads 30 s: {@link #encoderInput} pads (or trims) the
 * samples to {@value #CHUNK_SAMPLES} first, as {@code pad_or_trim} does, so a short clip's
 * spectrogram is mostly padding; {@link #audioFrames} says how many frames cover audio.
 */
public final class WhisperLogMel {
  /** Sample rate, Hz. */
  public static final int SAMPLE_RATE = 16000;

  /** Samples of one encoder input (30 s). */
  public static final int CHUNK_SAMPLES = 30 * SAMPLE_RATE;

  /** Frames of one encoder input. */
  public static final int CHUNK_FRAMES = CHUNK_SAMPLES / 160;

  private final LogMel power;

  /** The front end with {@code nMels} bins (80; 128 for large-v3). */
  public WhisperLogMel(int nMels) {
    if (nMels != 80 && nMels != 128) {
      throw new io.anw.WorkbenchException("Whisper log-mels have 80 or 128 bins, not " + nMels);
    }
    this.power = new LogMel(preset(nMels));
  }

  /** The STFT and filterbank settings of Whisper's front end ({@code whisper-80}, ...). */
  public static LogMelPreset preset(int nMels) {
    return new LogMelPreset("whisper-" + nMels, SAMPLE_RATE, 400, 400, 160, nMels, 0, 8000);
  }

  /** Mel bins. */
  public int nMels() {
    return power.preset().nMels();
  }

  /**
   * The log-mel of {@code samples} (16 kHz) as {@code log_mel_spectrogram(audio)} with no
   * padding: {@code float[nMels][samples / 160]}.
   */
  public float[][] compute(float[] samples) {
    float[][] p = power.melPower(samples);
    int frames = p[0].length - 1; // Whisper drops the STFT's last frame
    float[][] out = new float[p.length][frames];
    double max = Double.NEGATIVE_INFINITY;
    for (int m = 0; m < p.length; m++) {
      for (int t = 0; t < frames; t++) {
        double v = Math.log10(Math.max(p[m][t], 1e-10));
        out[m][t] = (float) v;
        max = Math.max(max, v);
      }
    }
    double floor = max - 8.0;
    for (float[] row : out) {
      for (int t = 0; t < frames; t++) {
        row[t] = (float) ((Math.max(row[t], floor) + 4.0) / 4.0);
      }
    }
    return out;
  }

  /**
   * What the encoder reads: the samples zero-padded or trimmed to 30 s, then
   * {@link #compute}: {@code float[nMels][3000]}.
   */
  public float[][] encoderInput(float[] samples) {
    return compute(java.util.Arrays.copyOf(samples, CHUNK_SAMPLES));
  }

  /** Frames of the encoder input that cover audio: {@code ceil(samples / 160)}, at most 3000. */
  public static int audioFrames(long samples) {
    return (int) Math.min(CHUNK_FRAMES, (samples + 159) / 160);
  }
}
