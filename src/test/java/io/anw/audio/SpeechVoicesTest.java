package io.anw.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The richer speech of the realistic sample data: more speakers and sentences, same labels. */
class SpeechVoicesTest {
  private static long speakers(List<Clip> clips) {
    return clips.stream().map(c -> c.metadata().get("voice") + "/" + c.metadata().get("pitch")
        + "/" + c.metadata().get("words_per_minute")).distinct().count();
  }

  @Test
  void moreVoicesGiveMoreSpeakersAndSentencesWithTheSameClasses() {
    Assumptions.assumeTrue(Espeak.find().isPresent(),
        "speech test skipped: espeak-ng is not installed (apt-get install espeak-ng)");
    List<Clip> basic = SpeechTask.languageAndGender(SpeechTask.Voices.BASIC).get(0).make(5, 24);
    List<Clip> more = SpeechTask.languageAndGender(SpeechTask.Voices.MORE).get(0).make(5, 24);
    assertEquals(basic.size(), more.size());
    assertEquals(120, more.size());
    assertTrue(speakers(more) > speakers(basic), speakers(more) + " vs " + speakers(basic));
    assertTrue(more.stream().anyMatch(c -> Integer.parseInt(c.metadata().get("sentence")) >= 6),
        "the added sentences are spoken");
    for (Clip c : more) {
      double e = 0;
      for (float v : c.samples()) {
        e += v * (double) v;
      }
      assertTrue(Math.sqrt(e / c.samples().length) > 0.01, "audible: " + c.metadata());
    }
    assertEquals(List.of("de", "en", "es", "fr", "it"),
        more.stream().map(Clip::label).distinct().sorted().toList());
  }
}
