package io.anw.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anw.audio.SampleGenerator;
import io.anw.train.SampleModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The grounding verb end to end on the shipped audio-text model: count, aape, grounding. */
class GroundingCommandTest {
  @Test
  void countAapeAndGroundingFromFiles(@TempDir Path dir) throws Exception {
    String csv = SampleGenerator.ensure(SampleGenerator.DEFAULT_OUT, SampleModels.CAPTION_TASK,
        s -> { }).toString();
    String model = SampleModels.file(SampleModels.DIR, SampleModels.AUDIO_TEXT).toString();
    Path counts = dir.resolve("counts.npz");
    assertEquals(0, Main.execute("count", "--model", model, "--data", csv, "--split", "train",
        "--out", counts.toString()));
    Path sel = dir.resolve("aape");
    assertEquals(0, Main.execute("aape", counts.toString(), "--out", sel.toString(),
        "--top-rate", "0.1"));
    Path out = dir.resolve("gc");
    assertEquals(0, Main.execute("grounding", "--model", model, "--data", csv, "--neurons",
        sel.resolve("neurons.csv").toString(), "--where", "condition=both", "--out",
        out.toString()));
    assertEquals("class,layer,neuron,delta_audio,delta_text,gc,grounding",
        Files.readAllLines(out.resolve("grounding.csv")).get(0));
    List<String> labels = Files.readAllLines(out.resolve("labels.csv"));
    assertEquals("grounding,neurons,share", labels.get(0));
    int audio = Integer.parseInt(labels.get(1).split(",")[1]);
    int text = Integer.parseInt(labels.get(3).split(",")[1]);
    assertTrue(labels.get(1).startsWith("audio,") && labels.get(3).startsWith("text,"));
    assertTrue(audio > 0 && text > 0, labels.toString());
    for (String f : List.of("per-class.csv", "per-layer.csv", "per-neuron.csv", "histogram.png",
        "histogram.svg")) {
      assertTrue(Files.isRegularFile(out.resolve(f)), f);
    }
    assertEquals(1, Main.execute("grounding", "--model", model, "--data", csv, "--neurons",
        sel.resolve("neurons.csv").toString(), "--where", "condition", "--out", out.toString()));
  }
}
