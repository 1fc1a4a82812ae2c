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
 * {@link #stream} gives the same samples block by block, for recordings of any length.
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
    int nOut = (int) Math.min(Integer.MAX_VALUE - 8, outputLength(x.length, inRate, outRate));
    float[] y = new float[nOut];
    kernel(inRate, outRate).apply(x, 0, x.length, x.length, 0, nOut, y, 0);
    return y;
  }

  /** Output samples for {@code n} input samples: {@code ceil(n * outRate / inRate)}. */
  static long outputLength(long n, int inRate, int outRate) {
    return (n * outRate + inRate - 1) / inRate;
  }

  /**
   * {@code in} resampled to {@code outRate} on the fly, block by block, with exactly the samples
   * {@link #resample} gives for the whole signal; memory is a block plus the filter's reach. A
   * stream whose length is unknown is read whole first. Closing it closes {@code in}.
   */
  public static AudioStream stream(AudioStream in, int outRate) {
    int inRate = in.sampleRate();
    if (inRate == outRate) {
      return in;
    }
    long n = in.length();
    if (n < 0) {
      try (in) {
        float[] all = in.readAll();
        return AudioStream.of(resample(all, inRate, outRate), outRate, in.source());
      }
    }
    return new Streamed(in, kernel(inRate, outRate), n, outputLength(n, inRate, outRate),
        outRate);
  }

  /** The resampling of a stream of known length. */
  private static final class Streamed implements AudioStream {
    private static final int BLOCK = 1 << 15;
    private final AudioStream in;
    private final Kernel kernel;
    private final long n;
    private final long nOut;
    private final int rate;
    private float[] buf = new float[1 << 16];
    private long bufStart; // input index of buf[0]
    private int bufLen;
    private boolean inEnded;
    private long t; // next output sample

    Streamed(AudioStream in, Kernel kernel, long n, long nOut, int rate) {
      this.in = in;
      this.kernel = kernel;
      this.n = n;
      this.nOut = nOut;
      this.rate = rate;
    }

    @Override
    public int sampleRate() {
      return rate;
    }

    @Override
    public long length() {
      return nOut;
    }

    @Override
    public java.nio.file.Path source() {
      return in.source();
    }

    @Override
    public int read(float[] out, int off, int len) {
      if (t >= nOut) {
        return -1;
      }
      int count = (int) Math.min(Math.min(len, BLOCK), nOut - t);
      long lo = Math.max(0, kernel.firstInput(t));
      long hi = Math.min(n, kernel.endInput(t + count - 1));
      // drop what no later output needs, then read up to what this block needs
      int drop = (int) Math.max(0, Math.min(bufLen, lo - bufStart));
      System.arraycopy(buf, drop, buf, 0, bufLen - drop);
      bufLen -= drop;
      bufStart += drop;
      while (!inEnded && bufStart + bufLen < hi) {
        if (bufLen == buf.length) {
          buf = java.util.Arrays.copyOf(buf, buf.length * 2);
        }
        int r = in.read(buf, bufLen, buf.length - bufLen);
        if (r < 0) {
          inEnded = true;
        } else {
          bufLen += r;
        }
      }
      // a stream that ends before its header said is treated as zeros beyond its end
      long known = Math.min(n, bufStart + bufLen);
      kernel.apply(buf, bufStart, bufLen, known, t, count, out, off);
      t += count;
      return count;
    }

    @Override
    public void close() {
      in.close();
    }
  }

  /** The filter for one rate pair, applied to any stretch of the signal. */
  private interface Kernel {
    /** The first input sample output {@code t} reads (may be negative: zeros). */
    long firstInput(long t);

    /** One past the last input sample output {@code t} reads (may exceed the signal). */
    long endInput(long t);

    /**
     * Outputs {@code t0 .. t0+count} into {@code y[yOff..]}: {@code x[0..xLen)} holds input
     * samples from {@code xStart}, which covers every sample of {@code [0, n)} they read;
     * samples outside {@code [0, n)} are zeros.
     */
    void apply(float[] x, long xStart, int xLen, long n, long t0, int count, float[] y, int yOff);
  }

  private static Kernel kernel(int inRate, int outRate) {
    Polyphase bank = Polyphase.of(inRate, outRate);
    return bank != null ? bank : new Interpolated(inRate, outRate);
  }

  /** The general path: filter weights interpolated from the table for every tap. */
  private static final class Interpolated implements Kernel {
    private final int inRate;
    private final int outRate;
    private final double scale;
    private final double tableStep;
    private final int tableEnd;
    private final long reach;

    Interpolated(int inRate, int outRate) {
      this.inRate = inRate;
      this.outRate = outRate;
      scale = Math.min(1.0, outRate / (double) inRate);
      // One input sample moves the filter by `scale` zero crossings, i.e. scale*TABLE entries.
      tableStep = scale * TABLE_PER_ZERO;
      tableEnd = HALF_WINDOW.length - 1;
      reach = (long) Math.ceil(tableEnd / tableStep) + 1;
    }

    private long centre(long t) {
      return t * inRate / outRate;
    }

    @Override
    public long firstInput(long t) {
      return centre(t) - reach;
    }

    @Override
    public long endInput(long t) {
      return centre(t) + 2 + reach;
    }

    @Override
    public void apply(float[] x, long xStart, int xLen, long n, long t0, int count, float[] y,
        int yOff) {
      for (int k = 0; k < count; k++) {
        long t = t0 + k;
        long num = t * inRate;
        long c = num / outRate;
        double frac = (num % outRate) / (double) outRate; // position between x[c] and x[c+1]
        double acc = 0;
        // Left wing: x[c], x[c-1], ... at distances frac, frac+1, ...
        double pos = frac * tableStep;
        for (long i = c; i >= 0 && pos < tableEnd; i--, pos += tableStep) {
          acc += (i < n ? x[(int) (i - xStart)] : 0f) * weight(pos);
        }
        // Right wing: x[c+1], x[c+2], ... at distances 1-frac, 2-frac, ...
        pos = (1 - frac) * tableStep;
        for (long i = c + 1; i < n && pos < tableEnd; i++, pos += tableStep) {
          acc += x[(int) (i - xStart)] * weight(pos);
        }
        y[yOff + k] = (float) (acc * scale);
      }
    }
  }

  /**
   * The same filter precomputed for each of the {@code L} phases of a rational ratio
   * {@code L/M} (rates divided by their gcd), so every output is one dot product. Used when the
   * table stays small; cached per rate pair.
   */
  private static final class Polyphase implements Kernel {
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

    @Override
    public long firstInput(long t) {
      return t * down / up - half + 1;
    }

    @Override
    public long endInput(long t) {
      return firstInput(t) + 2L * half;
    }

    @Override
    public void apply(float[] x, long xStart, int xLen, long n, long t0, int count, float[] y,
        int yOff) {
      int taps = 2 * half;
      for (int k = 0; k < count; k++) {
        long num = (t0 + k) * down;
        long c = num / up;
        float[] w = weights[(int) (num % up)];
        long first = c - half + 1;
        int lo = (int) Math.max(0, -first);
        int hi = (int) Math.min(taps, n - first);
        int at = (int) (first - xStart);
        double acc = 0;
        for (int j = lo; j < hi; j++) {
          acc += w[j] * x[at + j];
        }
        y[yOff + k] = (float) acc;
      }
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
