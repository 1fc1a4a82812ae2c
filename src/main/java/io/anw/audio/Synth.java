package io.anw.audio;

import java.util.Random;

/**
 * Small signal generators for the sample data: band-limited wavetable oscillators (additive
 * synthesis), a resonant low-pass filter (subtractive synthesis), envelopes and level helpers.
 * All signals are mono float arrays at a given sample rate (Hz).
 */
public final class Synth {
  private static final int TABLE = 4096;

  private Synth() {}

  /**
   * A single cycle made of harmonics {@code 1..amps.length} with the given amplitudes and phases
   * (radians), {@value #TABLE} samples long, for {@link #oscillate}.
   */
  public static float[] wavetable(double[] amps, double[] phases) {
    float[] t = new float[TABLE + 1];
    for (int i = 0; i < TABLE; i++) {
      double x = 2 * Math.PI * i / TABLE;
      double v = 0;
      for (int k = 0; k < amps.length; k++) {
        if (amps[k] != 0) {
          v += amps[k] * Math.sin((k + 1) * x + phases[k]);
        }
      }
      t[i] = (float) v;
    }
    t[TABLE] = t[0];
    return t;
  }

  /** How many harmonics of {@code f0} fit below 95% of the Nyquist frequency of {@code rate}. */
  public static int harmonicsBelowNyquist(double f0, int rate) {
    return Math.max(1, (int) Math.floor(0.95 * rate / 2 / f0));
  }

  /**
   * Plays a wavetable at {@code f0} Hz with sinusoidal vibrato.
   *
   * @param vibratoDepth relative frequency deviation, e.g. 0.005
   * @param vibratoHz vibrato rate (Hz)
   */
  public static float[] oscillate(float[] table, double f0, int rate, int n, double vibratoDepth,
      double vibratoHz) {
    float[] y = new float[n];
    double phase = 0;
    for (int i = 0; i < n; i++) {
      double pos = phase * TABLE;
      int j = (int) pos;
      y[i] = (float) (table[j] + (pos - j) * (table[j + 1] - table[j]));
      double f = f0 * (1 + vibratoDepth * Math.sin(2 * Math.PI * vibratoHz * i / rate));
      phase += f / rate;
      phase -= Math.floor(phase);
    }
    return y;
  }

  /**
   * A two-pole resonant low-pass (Chamberlin state-variable filter) applied in place, with the
   * cut-off moving exponentially from {@code startHz} to {@code endHz}.
   *
   * @param q resonance, 0.5 (soft) to about 8 (ringing)
   */
  public static float[] lowpass(float[] x, int rate, double startHz, double endHz, double q) {
    double low = 0;
    double band = 0;
    double damp = 1 / q;
    double ratio = Math.pow(endHz / startHz, 1.0 / Math.max(1, x.length - 1));
    double fc = startHz;
    for (int i = 0; i < x.length; i++) {
      double f = 2 * Math.sin(Math.PI * Math.min(fc, rate / 6.0) / rate);
      low += f * band;
      double high = x[i] - low - damp * band;
      band += f * high;
      x[i] = (float) low;
      fc *= ratio;
    }
    return x;
  }

  /**
   * Multiplies {@code x} in place by an ADSR envelope: linear attack and decay, sustain level,
   * note held for {@code holdSeconds} from the start, then an exponential-ish linear release.
   */
  public static float[] adsr(float[] x, int rate, double attack, double decay, double sustain,
      double holdSeconds, double release) {
    for (int i = 0; i < x.length; i++) {
      double t = i / (double) rate;
      double e;
      if (t < attack) {
        e = t / attack;
      } else if (t < attack + decay) {
        e = 1 - (1 - sustain) * (t - attack) / decay;
      } else {
        e = sustain;
      }
      if (t > holdSeconds) {
        e *= Math.max(0, 1 - (t - holdSeconds) / release);
      }
      x[i] *= (float) e;
    }
    return x;
  }

  /** Short linear fades in and out ({@code seconds} each), in place, so clips start and end at zero. */
  public static float[] fade(float[] x, int rate, double seconds) {
    int n = Math.min(x.length / 2, (int) (seconds * rate));
    for (int i = 0; i < n; i++) {
      float g = i / (float) n;
      x[i] *= g;
      x[x.length - 1 - i] *= g;
    }
    return x;
  }

  /**
   * Scales {@code x} in place to an RMS level of {@code dbfs} decibels re full scale, then
   * limits the peak to 0.99.
   */
  public static float[] level(float[] x, double dbfs) {
    double s = 0;
    double peak = 0;
    for (float v : x) {
      s += (double) v * v;
      peak = Math.max(peak, Math.abs(v));
    }
    double rms = Math.sqrt(s / Math.max(1, x.length));
    if (rms == 0) {
      return x;
    }
    double g = Math.pow(10, dbfs / 20) / rms;
    g = Math.min(g, 0.99 / peak);
    for (int i = 0; i < x.length; i++) {
      x[i] *= (float) g;
    }
    return x;
  }

  /** Gaussian white noise of {@code n} samples with unit variance. */
  public static float[] whiteNoise(Random rng, int n) {
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      y[i] = (float) rng.nextGaussian();
    }
    return y;
  }

  /** Pink (1/f) noise: white noise through Paul Kellet's refined pinking filter. */
  public static float[] pinkNoise(Random rng, int n) {
    float[] y = new float[n];
    double b0 = 0;
    double b1 = 0;
    double b2 = 0;
    double b3 = 0;
    double b4 = 0;
    double b5 = 0;
    double b6 = 0;
    for (int i = 0; i < n; i++) {
      double w = rng.nextGaussian();
      b0 = 0.99886 * b0 + w * 0.0555179;
      b1 = 0.99332 * b1 + w * 0.0750759;
      b2 = 0.96900 * b2 + w * 0.1538520;
      b3 = 0.86650 * b3 + w * 0.3104856;
      b4 = 0.55000 * b4 + w * 0.5329522;
      b5 = -0.7616 * b5 - w * 0.0168980;
      y[i] = (float) (b0 + b1 + b2 + b3 + b4 + b5 + b6 + w * 0.5362);
      b6 = w * 0.115926;
    }
    return y;
  }

  /** Brown (1/f²) noise: leaky integration of white noise, with the DC offset removed. */
  public static float[] brownNoise(Random rng, int n) {
    float[] y = new float[n];
    double v = 0;
    double mean = 0;
    for (int i = 0; i < n; i++) {
      v = 0.997 * v + rng.nextGaussian();
      y[i] = (float) v;
      mean += v;
    }
    mean /= n;
    for (int i = 0; i < n; i++) {
      y[i] -= (float) mean;
    }
    return y;
  }

  /** Frequency in Hz of MIDI key {@code key} (A4 = 69 = 440 Hz). */
  public static double midiToHz(int key) {
    return 440 * Math.pow(2, (key - 69) / 12.0);
  }
}
