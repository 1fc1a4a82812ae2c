package io.anw.activation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anw.audio.Dataset;
import io.anw.model.M2dViT;
import io.anw.model.ModelFiles;
import io.anw.report.ProcessMemory;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A long counting pass does not grow: resident memory after 3000 clips (the sample clips
 * repeated) is within 5 % of that after 600 (the 1k → 10k measurement is
 * {@code scripts/long-run-memory.jsh}; this is its quick guard against a native leak per batch).
 */
class LongRunMemoryTest {
  @Test
  void residentMemoryStaysFlatOverALongPass() {
    Dataset data = Dataset.open(io.anw.audio.SampleGenerator.ensure(io.anw.audio.SampleGenerator.DEFAULT_OUT, "pitch_synth", s -> { }));
    int clips = 3000;
    Dataset repeated = data.select(IntStream.range(0, clips).map(i -> i % data.size())
        .toArray());
    long[] rss = new long[2];
    try (M2dViT model = ModelFiles.loadM2d(Path.of("samples", "models", "m2d-tiny.safetensors"))) {
      ActivationCounts counts = CountRun.run(model, repeated, CountRun.Options.defaults(),
          Map.of(), done -> {
            if (rss[0] == 0 && done >= clips / 5) {
              System.gc(); // heap garbage out of the picture: what is measured is native memory
              rss[0] = ProcessMemory.residentBytes();
            }
          });
      System.gc();
      rss[1] = ProcessMemory.residentBytes();
      assertEquals(Integer.toString(clips), counts.provenance().get("clips"));
    }
    double ratio = (double) rss[1] / rss[0];
    System.err.printf("RSS after 600 clips %.1f MB, after 3000 %.1f MB: ratio %.3f%n",
        rss[0] / 1e6, rss[1] / 1e6, ratio);
    assertTrue(ratio <= 1.05, "resident memory grew " + ratio + "x over the pass");
  }
}
