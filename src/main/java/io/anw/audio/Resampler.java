package io.anw.audio;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Band-limited sample-rate conversion by Kaiser-windowed sinc interpolation (the
 * {@code kaiser_best} design of resampy: 64 zero crossings, roll-off 0.9476, beta 14.77).
 *
 * <p>The anti-aliasing cut-off sits at {@code rolloff * min(inRate, outRate) / 2}, so tones
 * above the new Nyquist frequency are suppressed (stop band below -80 dB) instead of folding
 * into the band. The filter is tabulated {@value #TABLE_PER_ZERO} times per zero crossing and
 * linearly interpolated, which handles any rate ratio; for the usual ratios (e.g. 44.1k→16k,
 * L/M = 160/441) the weights of every phase are precomputed once. Output length is
 * {@code ceil(n * outRate / inRate)}; the signal is treated as zero outside its ends.
 */
public final class Resampler {
  private static final int ZEROS = 64;
  private static final double ROLLOFF = 0.9475937167399596;
  private static final double BETA = 14.769656459379492;
  private static final int TABLE_PER_ZERO = 512;

  /** The right half of the windowed sinc, sampled at {@code 1/TABLE_PER_ZERO} zero crossings. */
  private static final double[] HALF_WINDOW = halfWindow();
  /** Differences between successive table entries, for linear interpolation. */
  private static final double[] HALF_DELTA = deltas(HALF_WINDOW);

  private Resampler() {}

  /**
   * Resamples {@code x} from {@code inRate} to {@code outRate} Hz.
   *
   * @return a new array of {@code ceil(x.length * outRate / inRate)} samples ({@code x} itself
   *     is returned when the rates are equal)
   */
  public static float[] resample(float[] x, int inRate, int outRate) {
    if (inRate <= 0 || outRate <= 0) {
      throw new IllegalArgumentException("sample rates must be positive: " + inRate + " -> " + outRate);
    }
    if (inRate == outRate) {
      return x;
    }
    int nOut = (int) Math.min(Integer.MAX_VALUE - 8,
        ((long) x.length * outRate + inRate - 1) / inRate);
    Polyphase bank = Polyphase.of(inRate, outRate);
    return bank != null ? bank.apply(x, nOut) : interpolated(x, inRate, outRate, nOut);
  }

  /** The general path: filter weights interpolated from the table for every tap. */
  private static float[] interpolated(float[] x, int inRate, int outRate, int nOut) {
    float[] y = new float[nOut];
    double scale = Math.min(1.0, outRate / (double) inRate);
    // One input sample moves the filter by `scale` zero crossings, i.e. scale*TABLE entries.
    double tableStep = scale * TABLE_PER_ZERO;
    int tableEnd = HALF_WINDOW.length - 1;
    for (int t = 0; t < nOut; t++) {
      long num = (long) t * inRate;
      int n = (int) (num / outRate);
      double frac = (num % outRate) / (double) outRate; // position between x[n] and x[n+1]
      double acc = 0;
      // Left wing: x[n], x[n-1], ... at distances frac, frac+1, ...
      double pos = frac * tableStep;
      for (int i = n; i >= 0 && pos < tableEnd; i--, pos += tableStep) {
        acc += x[i] * weight(pos);
      }
      // Right wing: x[n+1], x[n+2], ... at distances 1-frac, 2-frac, ...
      pos = (1 - frac) * tableStep;
      for (int i = n + 1; i < x.length && pos < tableEnd; i++, pos += tableStep) {
        acc += x[i] * weight(pos);
      }
      y[t] = (float) (acc * scale);
    }
    return y;
  }

  /**
   * The same filter precomputed for each of the {@code L} phases of a rational ratio
   * {@code L/M} (rates divided by their gcd), so every output is one dot product. Used when the
   * table stays small; cached per rate pair.
   */
  private static final class Polyphase {
    private static final long MAX_ENTRIES = 1 << 21;
    private static final Map<Long, Polyphase> CACHE = new ConcurrentHashMap<>();

    private final int up; // L
    private final int down; // M
    private final int half; // taps x[n-half+1 .. n+half] around the output position
    private final float[][] weights; // [phase][2*half]

    private Polyphase(int inRate, int outRate) {
      int g = gcd(inRate, outRate);
      up = outRate / g;
      down = inRate / g;
      double scale = Math.min(1.0, outRate / (double) inRate);
      double tableStep = scale * TABLE_PER_ZERO;
      int tableEnd = HALF_WINDOW.length - 1;
      half = (int) Math.ceil(ZEROS / scale) + 1;
      weights = new float[up][2 * half];
      for (int p = 0; p < up; p++) {
        double frac = p / (double) up;
        for (int j = 0; j < 2 * half; j++) {
          double d = j < half ? frac + (half - 1 - j) : (j - half) + 1 - frac;
          double pos = d * tableStep;
          weights[p][j] = pos < tableEnd ? (float) (weight(pos) * scale) : 0f;
        }
      }
    }

    /** The bank for a rate pair, or null when its table would be too large. */
    static Polyphase of(int inRate, int outRate) {
      int g = gcd(inRate, outRate);
      double scale = Math.min(1.0, outRate / (double) inRate);
      long entries = (long) (outRate / g) * 2 * ((long) Math.ceil(ZEROS / scale) + 1);
      if (entries > MAX_ENTRIES) {
        return null;
      }
      return CACHE.computeIfAbsent(((long) inRate << 32) | outRate, k -> new Polyphase(inRate, outRate));
    }

    float[] apply(float[] x, int nOut) {
      float[] y = new float[nOut];
      int taps = 2 * half;
      for (int t = 0; t < nOut; t++) {
        long num = (long) t * down;
        int n = (int) (num / up);
        float[] w = weights[(int) (num % up)];
        int first = n - half + 1;
        double acc = 0;
        if (first >= 0 && first + taps <= x.length) {
          for (int j = 0; j < taps; j++) {
            acc += w[j] * x[first + j];
          }
        } else {
          int lo = Math.max(0, -first);
          int hi = Math.min(taps, x.length - first);
          for (int j = lo; j < hi; j++) {
            acc += w[j] * x[first + j];
          }
        }
        y[t] = (float) acc;
      }
      return y;
    }

    private static int gcd(int a, int b) {
      return b == 0 ? a : gcd(b, a % b);
    }
  }

  private static double weight(double pos) {
    int i = (int) pos;
    return HALF_WINDOW[i] + (pos - i) * HALF_DELTA[i];
  }

  private static double[] halfWindow() {
    int n = ZEROS * TABLE_PER_ZERO;
    double[] w = new double[n + 1];
    double i0Beta = besselI0(BETA);
    for (int i = 0; i <= n; i++) {
      double u = i / (double) TABLE_PER_ZERO; // in zero crossings
      double r = i / (double) n;
      double kaiser = besselI0(BETA * Math.sqrt(Math.max(0, 1 - r * r))) / i0Beta;
      w[i] = ROLLOFF * sinc(ROLLOFF * u) * kaiser;
    }
    return w;
  }

  private static double[] deltas(double[] w) {
    double[] d = new double[w.length];
    for (int i = 0; i + 1 < w.length; i++) {
      d[i] = w[i + 1] - w[i];
    }
    return d;
  }

  private static double sinc(double x) {
    return x == 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
  }

  /** Modified Bessel function of the first kind, order 0, by its power series. */
  static double besselI0(double x) {
    double sum = 1;
    double term = 1;
    double q = x * x / 4;
    for (int k = 1; k < 200 && term > 1e-17 * sum; k++) {
      term *= q / ((double) k * k);
      sum += term;
    }
    return sum;
  }
}
