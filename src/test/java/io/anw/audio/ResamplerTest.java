package io.anw.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ResamplerTest {
  @Test
  void sineKeepsSixtyDbSnrFrom44kTo16k() {
    assertTrue(snr(44100, 16000) >= 60);
  }

  @Test
  void awkwardRatiosUseTheInterpolatedFilterAndKeepTheSnr() {
    assertTrue(snr(44100, 16001) >= 60); // L/M = 16001/44100: no precomputed phases
    assertTrue(snr(22050, 16000) >= 60);
  }

  /** SNR in dB of a 1 kHz sine resampled from {@code in} to {@code out} Hz, edges ignored. */
  private static double snr(int in, int out) {
    float[] y = Resampler.resample(Fixtures.sine(1000, in, in, 0.5), in, out);
    assertEquals(out, y.length);
    float[] ideal = Fixtures.sine(1000, out, out, 0.5);
    double signal = 0;
    double noise = 0;
    for (int i = out / 20; i < out - out / 20; i++) {
      signal += ideal[i] * ideal[i];
      noise += (y[i] - ideal[i]) * (y[i] - ideal[i]);
    }
    double snr = 10 * Math.log10(signal / noise);
    assertTrue(snr >= 60, in + " -> " + out + ": SNR " + snr + " dB");
    return snr;
  }

  @Test
  void tonesAboveTheNewNyquistDoNotAlias() {
    for (double hz : new double[] {8600, 9000, 12000, 15000, 20000}) {
      float[] x = Fixtures.sine(hz, 44100, 44100, 0.5);
      float[] y = Resampler.resample(x, 44100, 16000);
      double rms = 0;
      for (int i = 800; i < 15200; i++) {
        rms += y[i] * y[i];
      }
      rms = Math.sqrt(rms / 14400);
      double db = 20 * Math.log10(rms / (0.5 / Math.sqrt(2)));
      assertTrue(db < -60, hz + " Hz leaks at " + db + " dB");
    }
  }

  @Test
  void upsamplingKeepsTheTone() {
    float[] x = Fixtures.sine(440, 8000, 8000, 0.5);
    float[] y = Resampler.resample(x, 8000, 16000);
    assertEquals(16000, y.length);
    float[] ideal = Fixtures.sine(440, 16000, 16000, 0.5);
    double max = 0;
    for (int i = 1000; i < 15000; i++) {
      max = Math.max(max, Math.abs(y[i] - ideal[i]));
    }
    assertTrue(max < 1e-3, "max error " + max);
  }

  @Test
  void equalRatesReturnTheInput() {
    float[] x = {1, 2, 3};
    assertSame(x, Resampler.resample(x, 16000, 16000));
    assertEquals(2, Resampler.resample(x, 48000, 32000).length);
  }
}
