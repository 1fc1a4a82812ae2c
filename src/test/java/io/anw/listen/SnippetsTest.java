package io.anw.listen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anw.audio.Clip;
import org.junit.jupiter.api.Test;

/** Excerpts have the token's span plus context at the clip's rate; focusing keeps the band. */
class SnippetsTest {
  static Clip twoTones(int rate, double seconds) {
    float[] x = new float[(int) (rate * seconds)];
    for (int t = 0; t < x.length; t++) {
      x[t] = (float) (0.3 * Math.sin(2 * Math.PI * 300 * t / rate)
          + 0.3 * Math.sin(2 * Math.PI * 3000 * t / rate));
    }
    return new Clip(x, rate);
  }

  static double energyAt(float[] x, int rate, double hz) {
    double re = 0;
    double im = 0;
    for (int t = 0; t < x.length; t++) {
      re += x[t] * Math.cos(2 * Math.PI * hz * t / rate);
      im += x[t] * Math.sin(2 * Math.PI * hz * t / rate);
    }
    return re * re + im * im;
  }

  @Test
  void excerptsHaveTheSpanWithContextAtTheClipsRate() {
    Clip clip = twoTones(16000, 3);
    TokenPlace p = new TokenPlace(0, 7, "f1.t5", 1.2, 1.36, 2000, 4000);
    Clip e = Snippets.excerpt(clip, p, 0.5);
    assertEquals(16000, e.sampleRate());
    assertEquals(Math.round((0.16 + 1.0) * 16000), e.length(), 1);
    assertEquals(0, e.samples()[0], 1e-6, "faded in");
    Clip f = Snippets.focused(clip, p, 0.5);
    assertEquals(e.length(), f.length());
    assertEquals(16000, f.sampleRate());
    // at the clip's start the context is cut, not padded
    Clip start = Snippets.excerpt(clip, new TokenPlace(0, 1, "f0.t0", 0, 0.16, 50, 600), 0.5);
    assertEquals(Math.round(0.66 * 16000), start.length(), 1);
  }

  @Test
  void focusingKeepsTheTokensBandAndAttenuatesTheRest() {
    Clip clip = twoTones(16000, 2);
    TokenPlace p = new TokenPlace(0, 7, "f3", 0.8, 1.2, 2000, 4000);
    Clip e = Snippets.excerpt(clip, p, 0.3);
    Clip f = Snippets.focused(clip, p, 0.3);
    double keptRatio = energyAt(f.samples(), 16000, 3000) / energyAt(f.samples(), 16000, 300);
    double plainRatio = energyAt(e.samples(), 16000, 3000) / energyAt(e.samples(), 16000, 300);
    assertTrue(plainRatio > 0.5 && plainRatio < 2, "both tones in the excerpt: " + plainRatio);
    assertTrue(keptRatio > 20, "the band dominates the focused version: " + keptRatio);
    float peakE = 0;
    float peakF = 0;
    for (int i = 0; i < e.length(); i++) {
      peakE = Math.max(peakE, Math.abs(e.samples()[i]));
      peakF = Math.max(peakF, Math.abs(f.samples()[i]));
    }
    assertEquals(peakE, peakF, 0.05 * peakE, "same peak level");
  }
}
