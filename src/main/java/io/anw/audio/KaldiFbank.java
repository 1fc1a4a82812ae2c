package io.anw.audio;

import java.util.Locale;
import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Kaldi's log mel filterbank ({@code compute-fbank-feats}, as {@code
 * torchaudio.compliance.kaldi.fbank} computes it), the front end of AST: frames of 25 ms every
 * 10 ms with the edges snipped ({@code 1 + (n - 400) / 160} frames at 16 kHz), each frame's DC
 * removed, pre-emphasis 0.97 (the first sample against itself), a symmetric Hann ("hanning") or
 * Povey window, zero-padded to the next power of two, power spectrum, triangular filters on
 * Kaldi's mel scale {@code 1127 ln(1 + f / 700)} between 20 Hz and Nyquist, {@code log(max(x,
 * float32 eps))}; no dither, no energy. Output {@code float[bins][frames]} like {@link LogMel}
 * (torchaudio's is {@code [frames, bins]}). Arithmetic is double precision.
 */
public final class KaldiFbank {
  /** The window of each frame. */
  public enum Window {
    /** {@code 0.5 - 0.5 cos(2 pi n / (N - 1))} (AST). */
    HANNING,
    /** Kaldi's default: the Hann window to the power 0.85. */
    POVEY;

    /** {@code hanning} or {@code povey}. */
    public static Window parse(String s) {
      return switch (s.toLowerCase(Locale.ROOT)) {
        case "hanning" -> HANNING;
        case "povey" -> POVEY;
        default -> throw new io.anw.WorkbenchException("window " + s + ": hanning or povey");
      };
    }
  }

  private static final double EPS = Math.ulp(1.0f);
  private static final double PREEMPHASIS = 0.97;
  /** The lowest filter edge (Hz), {@code low_freq} as torchaudio sets it. */
  public static final double LOW_HZ = 20;

  private final int rate;
  private final int frameLength;
  private final int shift;
  private final int nFft;
  private final double[] window;
  private final double[][] banks; // [bins][nFft / 2 + 1]

  /**
   * The front end at {@code rate} Hz with {@code bins} filters and the given window (AST: 16 kHz,
   * 128 bins, Hanning).
   */
  public KaldiFbank(int rate, int bins, Window window) {
    this.rate = rate;
    this.frameLength = (int) (rate * 0.025);
    this.shift = (int) (rate * 0.010);
    int n = 1;
    while (n < frameLength) {
      n <<= 1;
    }
    this.nFft = n;
    this.window = window(window, frameLength);
    this.banks = melBanks(bins, nFft, rate);
  }

  /** AST's front end: 16 kHz, 128 bins, Hanning window. */
  public static KaldiFbank ast() {
    return new KaldiFbank(16000, 128, Window.HANNING);
  }

  /** Filters. */
  public int bins() {
    return banks.length;
  }

  /** Frames of {@code samples} samples: {@code 1 + (samples - 400) / 160} (0 if shorter). */
  public int frames(long samples) {
    return samples < frameLength ? 0 : (int) (1 + (samples - frameLength) / shift);
  }

  /**
   * The log filterbank of {@code samples} (at this front end's rate): {@code float[bins][frames]}.
   *
   * @throws io.anw.WorkbenchException when the samples are shorter than one frame (25 ms)
   */
  public float[][] compute(float[] samples) {
    int frames = frames(samples.length);
    if (frames == 0) {
      throw new io.anw.WorkbenchException("Kaldi fbank: " + samples.length + " samples is less"
          + " than one 25 ms frame");
    }
    DoubleFFT_1D fft = new DoubleFFT_1D(nFft);
    double[] buf = new double[nFft];
    double[] power = new double[nFft / 2 + 1];
    float[][] out = new float[banks.length][frames];
    for (int t = 0; t < frames; t++) {
      int start = t * shift;
      double mean = 0;
      for (int i = 0; i < frameLength; i++) {
        mean += samples[start + i];
      }
      mean /= frameLength;
      java.util.Arrays.fill(buf, 0);
      double previous = samples[start] - mean;
      for (int i = 0; i < frameLength; i++) {
        double x = samples[start + i] - mean;
        buf[i] = (x - PREEMPHASIS * previous) * window[i];
        previous = x;
      }
      fft.realForward(buf);
      power[0] = buf[0] * buf[0];
      power[nFft / 2] = buf[1] * buf[1];
      for (int k = 1; k < nFft / 2; k++) {
        power[k] = buf[2 * k] * buf[2 * k] + buf[2 * k + 1] * buf[2 * k + 1];
      }
      for (int m = 0; m < banks.length; m++) {
        double sum = 0;
        double[] w = banks[m];
        for (int k = 0; k < w.length; k++) {
          sum += w[k] * power[k];
        }
        out[m][t] = (float) Math.log(Math.max(sum, EPS));
      }
    }
    return out;
  }

  /** Kaldi's mel scale, {@code 1127 ln(1 + hz / 700)}. */
  public static double mel(double hz) {
    return 1127.0 * Math.log(1.0 + hz / 700.0);
  }

  private static double[] window(Window kind, int n) {
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      double hann = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / (n - 1));
      w[i] = kind == Window.HANNING ? hann : Math.pow(hann, 0.85);
    }
    return w;
  }

  /** Triangles in mel between 20 Hz and Nyquist, over the FFT bins (the Nyquist bin's weight 0). */
  private static double[][] melBanks(int bins, int nFft, int rate) {
    double lowMel = mel(LOW_HZ);
    double highMel = mel(rate / 2.0);
    double delta = (highMel - lowMel) / (bins + 1);
    double binHz = (double) rate / nFft;
    double[][] w = new double[bins][nFft / 2 + 1];
    for (int b = 0; b < bins; b++) {
      double left = lowMel + b * delta;
      double centre = left + delta;
      double right = centre + delta;
      for (int k = 0; k < nFft / 2; k++) {
        double m = mel(binHz * k);
        double up = (m - left) / (centre - left);
        double down = (right - m) / (right - centre);
        w[b][k] = Math.max(0, Math.min(up, down));
      }
    }
    return w;
  }
}
