package io.anw.listen;

import io.anw.audio.Clip;
import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Short excerpts of a clip to listen to what drives a unit. The excerpt is the token's time span
 * with {@code context} seconds either side, faded in and out; the focused version emphasises
 * the token's time–frequency region: the excerpt band-passed to the token's mel band (raised-
 * cosine edges a sixth of an octave wide) inside its time span (20 ms ramps), over the whole
 * excerpt attenuated by {@value #REST_DB} dB, at the excerpt's peak level.
 */
public final class Snippets {
  /** Level of everything outside the token's region in the focused version (dB). */
  public static final double REST_DB = -20;
  /** Fade in and out at the excerpt's ends (s). */
  public static final double FADE_S = 0.02;
  /** Context either side of the token's span by default (s). */
  public static final double CONTEXT_S = 0.5;
  /** The longest excerpt of a token without a time span (a caption token): the clip's start. */
  public static final double NO_SPAN_S = 3;

  private Snippets() {}

  /** The excerpt window in samples: {@code [from, to)}. */
  static int[] window(Clip clip, TokenPlace place, double contextS) {
    int rate = clip.sampleRate();
    if (!place.inAudio()) {
      return new int[] {0, (int) Math.min(clip.length(), Math.round(NO_SPAN_S * rate))};
    }
    // times are whole samples up to float rounding: the epsilon keeps floor/ceil from
    // stepping a sample out (a window of a recording gives the same samples as the whole)
    int from = (int) Math.max(0, Math.floor((place.startS() - contextS) * rate + 1e-6));
    int to = (int) Math.min(clip.length(), Math.ceil((place.endS() + contextS) * rate - 1e-6));
    if (to <= from) {
      to = Math.min(clip.length(), from + 1);
    }
    return new int[] {from, to};
  }

  /** The token's span with {@code contextS} seconds either side (cut at the clip's ends), faded. */
  public static Clip excerpt(Clip clip, TokenPlace place, double contextS) {
    int[] w = window(clip, place, contextS);
    float[] s = java.util.Arrays.copyOfRange(clip.samples(), w[0], w[1]);
    fade(s, clip.sampleRate());
    return clip.withSamples(s, clip.sampleRate());
  }

  /**
   * The excerpt with the token's band inside its span emphasised and the rest
   * {@value #REST_DB} dB down; for CLS (whole band) only the time span is emphasised.
   */
  public static Clip focused(Clip clip, TokenPlace place, double contextS) {
    int[] w = window(clip, place, contextS);
    int rate = clip.sampleRate();
    int n = w[1] - w[0];
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = clip.samples()[w[0] + i];
    }
    double[] band = place.inAudio() ? bandPass(x, rate, place.freqLoHz(), place.freqHiHz())
        : x.clone();
    double rest = Math.pow(10, REST_DB / 20);
    float[] y = new float[n];
    double peakIn = 0;
    double peakOut = 0;
    for (int i = 0; i < n; i++) {
      double t = (w[0] + i) / (double) rate;
      double g = place.inAudio() ? timeGain(t, place.startS(), place.endS()) : 1;
      double v = g * band[i] + rest * x[i];
      y[i] = (float) v;
      peakIn = Math.max(peakIn, Math.abs(x[i]));
      peakOut = Math.max(peakOut, Math.abs(v));
    }
    if (peakOut > 0) {
      float scale = (float) (peakIn / peakOut);
      for (int i = 0; i < n; i++) {
        y[i] *= scale;
      }
    }
    fade(y, rate);
    return clip.withSamples(y, rate);
  }

  /** 1 inside {@code [a, b]}, raised-cosine ramps of 20 ms outside it, 0 beyond. */
  static double timeGain(double t, double a, double b) {
    double ramp = 0.02;
    if (t >= a && t <= b) {
      return 1;
    }
    double d = t < a ? a - t : t - b;
    return d >= ramp ? 0 : 0.5 * (1 + Math.cos(Math.PI * d / ramp));
  }

  /** {@code x} filtered to {@code [lo, hi]} Hz in the frequency domain (zero-phase). */
  static double[] bandPass(double[] x, int rate, double lo, double hi) {
    int n = 1;
    while (n < x.length) {
      n <<= 1;
    }
    n = Math.max(2, n);
    double[] a = new double[n];
    System.arraycopy(x, 0, a, 0, x.length);
    DoubleFFT_1D fft = new DoubleFFT_1D(n);
    fft.realForward(a);
    for (int k = 0; k <= n / 2; k++) {
      double g = bandGain(k * (double) rate / n, lo, hi);
      if (k == 0) {
        a[0] *= g;
      } else if (k == n / 2) {
        a[1] *= g;
      } else {
        a[2 * k] *= g;
        a[2 * k + 1] *= g;
      }
    }
    fft.realInverse(a, true);
    return java.util.Arrays.copyOf(a, x.length);
  }

  /** 1 in {@code [lo, hi]}, raised-cosine edges a sixth of an octave wide, 0 beyond. */
  static double bandGain(double f, double lo, double hi) {
    if (f >= lo && f <= hi) {
      return 1;
    }
    double edge = Math.log(2) / 6;
    double d = f < lo ? (f <= 0 ? Double.POSITIVE_INFINITY : Math.log(lo / f))
        : Math.log(f / hi);
    return d >= edge ? 0 : 0.5 * (1 + Math.cos(Math.PI * d / edge));
  }

  private static void fade(float[] s, int rate) {
    int f = (int) Math.min(s.length / 2, Math.round(FADE_S * rate));
    for (int i = 0; i < f; i++) {
      float g = 0.5f * (1 - (float) Math.cos(Math.PI * i / f));
      s[i] *= g;
      s[s.length - 1 - i] *= g;
    }
  }
}
