package io.anw.listen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anw.audio.LogMelPreset;
import io.anw.audio.MelFilterbank;
import io.anw.intervention.TokenLayout;
import io.anw.model.VitDims;
import org.junit.jupiter.api.Test;

/** Time spans and mel bands of tokens against the token layout and the front end's settings. */
class PatchGeometryTest {
  final VitDims dims = VitDims.m2d(12, 768, 12, 3072, 608); // M2D ViT-B: 38 time patches
  final PatchGeometry geo = new PatchGeometry(dims, LogMelPreset.M2D_16K);

  @Test
  void patchSpansFollowTheTokenLayout() {
    int tp = 38;
    for (int f = 0; f < 5; f++) {
      for (int t = 0; t < tp; t += 7) {
        int token = TokenLayout.token(f, t, tp);
        TokenPlace p = geo.place(2, token, tp, 100);
        assertEquals(TokenLayout.label(token, tp), p.label());
        double start = (2 * 608 + t * 16) * 0.01; // 10 ms hop
        assertEquals(start, p.startS(), 1e-9);
        assertEquals(start + 0.16, p.endS(), 1e-9);
        assertEquals(geo.band(f)[0], p.freqLoHz(), 1e-9);
      }
    }
    // the clip's end cuts the last patch (padding frames hold no audio)
    TokenPlace last = geo.place(0, TokenLayout.token(0, 3, 4), 4, 0.55);
    assertEquals(0.48, last.startS(), 1e-9);
    assertEquals(0.55, last.endS(), 1e-9);
    TokenPlace cls = geo.place(1, 0, 38, 100);
    assertEquals("CLS", cls.label());
    assertEquals(6.08, cls.startS(), 1e-9);
    assertEquals(12.16, cls.endS(), 1e-9);
    assertEquals(50, cls.freqLoHz(), 1e-9);
    assertEquals(8000, cls.freqHiHz(), 1e-9);
    TokenPlace word = geo.place(0, 1 + 5 * 4 + 2, 4, 1);
    assertEquals("w2", word.label());
    assertTrue(!word.inAudio());
  }

  @Test
  void bandsTileTheFilterbankRangeOnTheMelScale() {
    double lo = MelFilterbank.hzToMel(50);
    double hi = MelFilterbank.hzToMel(8000);
    double step = (hi - lo) / 81; // 80 bins, centres at mel points 1..80
    assertEquals(50, geo.band(0)[0], 1e-9);
    assertEquals(8000, geo.band(4)[1], 1e-9);
    for (int f = 0; f < 5; f++) {
      double[] b = geo.band(f);
      assertTrue(b[1] > b[0]);
      if (f > 0) {
        assertEquals(geo.band(f - 1)[1], b[0], 1e-9, "no gap, no overlap");
        // the edge lies between the centres of the last bin of patch f-1 and the first of f
        double lastCentre = MelFilterbank.melToHz(lo + step * (16 * f));
        double firstCentre = MelFilterbank.melToHz(lo + step * (16 * f + 1));
        assertTrue(b[0] > lastCentre && b[0] < firstCentre, "edge " + b[0]);
      }
    }
  }
}
