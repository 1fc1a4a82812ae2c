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
    if (clip.length() == 0) {
      throw new IllegalArgumentException("no samples");
    }
    try (Frames f = frames(AudioStream.of(clip))) {
      return f.next(f.total());
    }
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
    Frames f = frames(AudioStream.of(samples, preset.sampleRate()));
    return f.next(f.total());
  }

  /**
   * Mel power (before the logarithm) of samples at the preset's sample rate, for front ends that
   * compress it otherwise (Whisper's log10 with a dynamic-range floor).
   *
   * @return {@code float[nMels][1 + samples.length / hop]}
   */
  public float[][] melPower(float[] samples) {
    if (samples.length == 0) {
      throw new IllegalArgumentException("no samples");
    }
    Frames f = frames(AudioStream.of(samples, preset.sampleRate()));
    return f.next(f.total(), false);
  }

  /**
   * The log-mel frames of a stream, computed block by block: the same values
   * {@link #compute(float[])} gives for the whole signal, in memory that does not grow with its
   * length. The stream is resampled to the preset's rate on the fly when needed; one of unknown
   * length is read whole first.
   */
  public Frames frames(AudioStream in) {
    AudioStream at = Resampler.stream(in, preset.sampleRate());
    if (at.length() < 0) {
      float[] all = at.readAll();
      at.close();
      at = AudioStream.of(all, preset.sampleRate(), in.source());
    }
    if (at.length() == 0) {
      at.close();
      throw new io.anw.WorkbenchException((in.source() == null ? "audio" : in.source().toString())
          + ": zero samples");
    }
    if (at.length() > (long) (Integer.MAX_VALUE - 1) * preset.hop()) {
      at.close();
      throw new io.anw.WorkbenchException(in.source() + ": too long (" + at.length()
          + " samples)");
    }
    return new Frames(at);
  }

  /** Log-mel frames of one stream, handed out in blocks (see {@link LogMel#frames}). */
  public final class Frames implements AutoCloseable {
    private final AudioStream in;
    private final long n;
    private final int total;
    private final DoubleFFT_1D fft = new DoubleFFT_1D(preset.nFft());
    private final double[] fftBuf = new double[preset.nFft()];
    private final double[] power = new double[preset.nFft() / 2 + 1];
    private float[] buf = new float[1 << 16];
    private long bufStart; // sample index of buf[0]
    private int bufLen;
    private int next; // next frame

    private Frames(AudioStream in) {
      this.in = in;
      this.n = in.length();
      this.total = preset.frames((int) Math.min(n, Integer.MAX_VALUE));
    }

    /** All frames of the stream: {@code 1 + samples / hop}. */
    public int total() {
      return total;
    }

    /** Frames handed out so far. */
    public int done() {
      return next;
    }

    /** Seconds of audio the frames cover ({@code samples / rate}). */
    public double seconds() {
      return n / (double) preset.sampleRate();
    }

    /**
     * The next at most {@code max} frames, {@code float[nMels][k]}, or null when all were given.
     *
     * @throws io.anw.WorkbenchException naming the file when its data are broken
     */
    public float[][] next(int max) {
      return next(max, true);
    }

    /** The next frames, as log-mels or ({@code log} false) as mel power. */
    private float[][] next(int max, boolean log) {
      if (next >= total) {
        return null;
      }
      int k = Math.min(Math.max(1, max), total - next);
      int nFft = preset.nFft();
      int hop = preset.hop();
      int pad = nFft / 2;
      // samples the frames read: reflect padding at the ends reaches back up to nFft samples
      long lo = Math.max(0, (long) next * hop - pad - nFft);
      long hi = Math.min(n, (long) (next + k - 1) * hop + nFft + 1); // (reflect reads up to pad)
      fill(lo, hi);
      float[][] out = new float[preset.nMels()][k];
      for (int j = 0; j < k; j++) {
        long start = (long) (next + j) * hop - pad;
        for (int i = 0; i < nFft; i++) {
          fftBuf[i] = buf[(int) (reflect(start + i, n) - bufStart)] * window[i];
        }
        fft.realForward(fftBuf);
        powerSpectrum(fftBuf, power, nFft);
        for (int m = 0; m < weights.length; m++) {
          double[] w = weights[m];
          int k0 = firstBin[m];
          double sum = 0;
          for (int q = 0; q < w.length; q++) {
            sum += w[q] * power[k0 + q];
          }
          out[m][j] = (float) (log ? Math.log(sum + EPS) : sum);
        }
      }
      next += k;
      return out;
    }

    /** Keeps samples {@code [lo, hi)} (and what follows) in the buffer, reading as needed. */
    private void fill(long lo, long hi) {
      int drop = (int) Math.max(0, Math.min(bufLen, lo - bufStart));
      System.arraycopy(buf, drop, buf, 0, bufLen - drop);
      bufLen -= drop;
      bufStart += drop;
      while (bufStart + bufLen < hi) {
        if (bufLen == buf.length) {
          buf = Arrays.copyOf(buf, buf.length * 2);
        }
        int r = in.read(buf, bufLen, buf.length - bufLen);
        if (r < 0) {
          throw new io.anw.WorkbenchException((in.source() == null ? "audio"
              : in.source().toString()) + ": truncated data (ends at sample "
              + (bufStart + bufLen) + " of " + n + ")");
        }
        bufLen += r;
      }
    }

    @Override
    public void close() {
      in.close();
    }
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
  static long reflect(long i, long n) {
    if (n == 1) {
      return 0;
    }
    long period = 2 * (n - 1);
    long j = Math.floorMod(i, period);
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
