package io.anw.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ResamplerTest {
  @Test
  void sineKeepsSixtyDbSnrFrom44kTo16k() {
    float[] x = Fixtures.sine(1000, 44100, 44100, 0.5);
    float[] y = Resampler.resample(x, 44100, 16000);
    assertEquals(16000, y.length);
    float[] ideal = Fixtures.sine(1000, 16000, 16000, 0.5);
    // Ignore the edges, where the signal starts and stops abruptly.
    double signal = 0;
    double noise = 0;
    for (int i = 800; i < 15200; i++) {
      signal += ideal[i] * ideal[i];
      noise += (y[i] - ideal[i]) * (y[i] - ideal[i]);
    }
    double snr = 10 * Math.log10(signal / noise);
    assertTrue(snr >= 60, "SNR " + snr + " dB");
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
