package io.anw.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class EspeakTest {
  @Test
  void splitsAtLongNearSilenceOnly() {
    int rate = 1000;
    float[] x = new float[3000];
    java.util.Arrays.fill(x, 100, 400, 0.5f); // part 1 with a short pause inside
    java.util.Arrays.fill(x, 200, 300, 0f);
    for (int i = 400; i < 1600; i++) {
      x[i] = (i % 2 == 0 ? 1 : -1) * 0.001f; // breathy pause, below the silence level
    }
    java.util.Arrays.fill(x, 1600, 2000, 0.25f); // part 2
    List<Clip> parts = Espeak.splitAtSilence(new Clip(x, rate), 1.0);
    assertEquals(2, parts.size());
    assertEquals(300, parts.get(0).length());
    assertEquals(400, parts.get(1).length());
  }

  @Test
  void oneProcessSpeaksSeveralSentences() {
    assumeTrue(Espeak.find().isPresent(), "espeak-ng is not installed (apt-get install espeak-ng)");
    List<Clip> parts = Espeak.speakAll(List.of("Bonjour tout le monde.", "Il fait beau, non ?"),
        "fr+f3", 160, 50);
    assertEquals(2, parts.size());
    for (Clip c : parts) {
      assertEquals(22050, c.sampleRate());
      assertTrue(c.seconds() > 0.5 && c.seconds() < 3, c.toString());
    }
  }
}
