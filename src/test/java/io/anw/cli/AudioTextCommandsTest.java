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

/**
 * The verbs on the shipped audio-text model: count (captions from the text column), aape,
 * grounding; embed with a caption.
 */
class AudioTextCommandsTest {
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
    // the explorer shows each neuron's grounding coefficients beside its clips
    Path site = dir.resolve("site");
    assertEquals(0, Main.execute("explore", "--model", model, "--data", csv, "--split", "train",
        "--selection", sel.toString(), "--counts", counts.toString(), "--grounding",
        out.toString(), "--k", "2", "--quantiles", "0", "--units-per-class", "1", "--out",
        site.toString()));
    assertEquals(List.of(), io.anw.listen.SiteLinks.broken(site));
    String index = Files.readString(site.resolve("index.html"));
    assertTrue(index.contains("<th class=\"num\">GC</th>"), "a GC column");
    try (var pages = Files.list(site.resolve("units"))) {
      List<Path> all = pages.toList();
      assertTrue(all.stream().anyMatch(p -> {
        try {
          return Files.readString(p).contains("GC = Δaudio / (Δaudio + Δtext)");
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }), "a unit page with its grounding rows");
    }
  }

  @Test
  void groundingOfSaeFeatures(@TempDir Path dir) throws Exception {
    String csv = SampleGenerator.ensure(SampleGenerator.DEFAULT_OUT, SampleModels.CAPTION_TASK,
        s -> { }).toString();
    String model = SampleModels.file(SampleModels.DIR, SampleModels.AUDIO_TEXT).toString();
    Path sae = dir.resolve("sae");
    assertEquals(0, Main.execute("sae", "train", "--model", model, "--data", csv, "--hook",
        "blocks.2.mlp.hook_post", "--out", sae.toString(), "--k", "8", "--expansion", "1",
        "--tokens", "4096", "--batch-tokens", "256", "--buffer-tokens", "1024"));
    Path counts = dir.resolve("features.npz");
    assertEquals(0, Main.execute("count", "--model", model, "--data", csv, "--split", "train",
        "--sae", sae.toString(), "--out", counts.toString()));
    Path sel = dir.resolve("aape");
    assertEquals(0, Main.execute("aape", counts.toString(), "--out", sel.toString(),
        "--top-rate", "0.1"));
    Path out = dir.resolve("gc");
    assertEquals(0, Main.execute("grounding", "--model", model, "--data", csv, "--neurons",
        sel.resolve("neurons.csv").toString(), "--sae", sae.toString(), "--where",
        "condition=both", "--out", out.toString()));
    List<String> rows = Files.readAllLines(out.resolve("grounding.csv"));
    assertEquals("class,layer,neuron,delta_audio,delta_text,gc,grounding", rows.get(0));
    assertTrue(rows.size() > 1, "features grounded");
    // a feature index beyond the SAE is a one-line error
    Path bad = dir.resolve("bad.csv");
    Files.write(bad, List.of("layer,neuron,class", "0,99999," + rows.get(1).split(",")[0]));
    assertEquals(1, Main.execute("grounding", "--model", model, "--data", csv, "--neurons",
        bad.toString(), "--sae", sae.toString(), "--where", "condition=both", "--out",
        dir.resolve("gc-bad").toString()));
  }

  @Test
  void embedReadsTheCaptionGivenForEveryFile(@TempDir Path dir) throws Exception {
    Path csv = SampleGenerator.ensure(SampleGenerator.DEFAULT_OUT, SampleModels.CAPTION_TASK,
        s -> { });
    String wav = csv.getParent().resolve(Files.readAllLines(csv).get(1).split(",")[0]).toString();
    String model = SampleModels.file(SampleModels.DIR, SampleModels.AUDIO_TEXT).toString();
    Path plain = dir.resolve("plain.npy");
    Path low = dir.resolve("low.npy");
    assertEquals(0, Main.execute("embed", "--model", model, wav, "--out", plain.toString()));
    assertEquals(0, Main.execute("embed", "--model", model, wav, "--caption", "a low piano",
        "--out", low.toString()));
    float[] a = io.anw.tensor.TensorFiles.read(plain).tensors().values().iterator().next()
        .toFloatArray();
    float[] b = io.anw.tensor.TensorFiles.read(low).tensors().values().iterator().next()
        .toFloatArray();
    assertEquals(a.length, b.length);
    assertTrue(!java.util.Arrays.equals(a, b), "the caption changes the embedding");
    String audioOnly = SampleModels.file(SampleModels.DIR, SampleModels.M2D).toString();
    assertEquals(1, Main.execute("embed", "--model", audioOnly, wav, "--caption", "x", "--out",
        dir.resolve("x.npy").toString()));
  }
}
