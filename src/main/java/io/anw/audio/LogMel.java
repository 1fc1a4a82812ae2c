package io.anw.audio;

import java.util.Arrays;
import org.jtransforms.fft.DoubleFFT_1D;

/**
 * A log-mel front end: {@code log(melFilterbank · |STFT|² + eps)} computed exactly as M2D's
 * runtime does (see {@link LogMelPreset}), with JTransforms for the FFT.
 *
 * <p>Output layout is {@code float[nMels][frames]} with {@code frames = 1 + samples / hop}.
 * Arithmetic is double precision; instances are immutable and thread-safe.
 */
public final class LogMel {
  /** float32 machine epsilon, added before the logarithm ({@code torch.finfo().eps}). */
  public static final double EPS = Math.ulp(1.0f);

  private final LogMelPreset preset;
  private final double[] window; // nFft long, the window centred, zeros around it
  private final double[][] weights; // per band, the non-zero filter weights
  private final int[] firstBin; // per band, the FFT bin of weights[m][0]

  /** A front end for {@code preset}. */
  public LogMel(LogMelPreset preset) {
    this.preset = preset;
    this.window = centredHann(preset.winLength(), preset.nFft());
    double[][] full = MelFilterbank.slaney(preset.sampleRate(), preset.nFft(), preset.nMels(),
        preset.fmin(), preset.fmax());
    weights = new double[full.length][];
    firstBin = new int[full.length];
    for (int m = 0; m < full.length; m++) {
      int a = 0;
      int b = full[m].length;
      while (a < b && full[m][a] == 0) {
        a++;
      }
      while (b > a && full[m][b - 1] == 0) {
        b--;
      }
      firstBin[m] = a;
      weights[m] = Arrays.copyOfRange(full[m], a, b);
    }
  }

  /** The front end for the named preset (e.g. {@code m2d-16k}). */
  public static LogMel of(String preset) {
    return new LogMel(LogMelPreset.of(preset));
  }

  /** The preset this front end computes. */
  public LogMelPreset preset() {
    return preset;
  }

  /** Log-mels of a clip, resampling it to the preset's rate first when needed. */
  public float[][] compute(Clip clip) {
    return compute(clip.resample(preset.sampleRate()).samples());
  }

  /**
   * Log-mels of samples at the preset's sample rate.
   *
   * @return {@code float[nMels][1 + samples.length / hop]}
   */
  public float[][] compute(float[] samples) {
    if (samples.length == 0) {
      throw new IllegalArgumentException("no samples");
    }
    int nFft = preset.nFft();
    int hop = preset.hop();
    int pad = nFft / 2;
    int frames = preset.frames(samples.length);
    float[][] out = new float[preset.nMels()][frames];
    DoubleFFT_1D fft = new DoubleFFT_1D(nFft);
    double[] buf = new double[nFft];
    double[] power = new double[nFft / 2 + 1];
    for (int f = 0; f < frames; f++) {
      int start = f * hop - pad;
      for (int i = 0; i < nFft; i++) {
        buf[i] = samples[reflect(start + i, samples.length)] * window[i];
      }
      fft.realForward(buf);
      powerSpectrum(buf, power, nFft);
      for (int m = 0; m < weights.length; m++) {
        double[] w = weights[m];
        int k0 = firstBin[m];
        double sum = 0;
        for (int j = 0; j < w.length; j++) {
          sum += w[j] * power[k0 + j];
        }
        out[m][f] = (float) Math.log(sum + EPS);
      }
    }
    return out;
  }

  /**
   * Normalises log-mels in place by a model's {@code norm_stats}: {@code (x - mean) / std}.
   *
   * @return {@code logmel}, for chaining
   */
  public static float[][] normalise(float[][] logmel, double mean, double std) {
    if (!(std > 0)) {
      throw new IllegalArgumentException("std must be positive: " + std);
    }
    for (float[] row : logmel) {
      for (int i = 0; i < row.length; i++) {
        row[i] = (float) ((row[i] - mean) / std);
      }
    }
    return logmel;
  }

  /** Unpacks JTransforms' real-FFT layout (even n) into |X[k]|², k = 0..n/2. */
  private static void powerSpectrum(double[] a, double[] power, int n) {
    power[0] = a[0] * a[0];
    power[n / 2] = a[1] * a[1];
    for (int k = 1; k < n / 2; k++) {
      power[k] = a[2 * k] * a[2 * k] + a[2 * k + 1] * a[2 * k + 1];
    }
  }

  /** Index {@code i} mirrored into {@code [0, n)} without repeating the edge sample (reflect). */
  static int reflect(int i, int n) {
    if (n == 1) {
      return 0;
    }
    int period = 2 * (n - 1);
    int j = Math.floorMod(i, period);
    return j < n ? j : period - j;
  }

  /** Periodic Hann window of {@code win} samples, centred in {@code nFft} (as torch.stft pads it). */
  private static double[] centredHann(int win, int nFft) {
    double[] w = new double[nFft];
    int offset = (nFft - win) / 2;
    for (int i = 0; i < win; i++) {
      w[offset + i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / win);
    }
    return w;
  }
}
