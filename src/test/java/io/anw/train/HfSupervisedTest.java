package io.anw.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anw.GradMode;
import io.anw.audio.Clip;
import io.anw.audio.Dataset;
import io.anw.audio.SampleGenerator;
import io.anw.model.HfAudioModel;
import io.anw.tensor.TensorFiles;
import io.anw.tensor.TensorTree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Brief supervised training of a Hugging Face-family folder through the hooked model's own
 * forward code: the loss falls, the fixed positions stay, and the written folder keeps the
 * source's layout (wrapper prefix, head, configs) and reloads to the trained model exactly.
 */
class HfSupervisedTest {
  @TempDir Path tmp;

  /** 8 one-second clips per octave of pitch_synth's train split (absolute paths). */
  private Dataset data() throws Exception {
    Path csv = SampleGenerator.ensure(SampleGenerator.DEFAULT_OUT, "pitch_synth", s -> { });
    List<String> lines = Files.readAllLines(csv);
    List<String> out = new ArrayList<>(List.of("file_name,label"));
    Map<String, Integer> seen = new HashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      if (seen.merge(f[1], 1, Integer::sum) <= 8) {
        out.add(csv.getParent().resolve(f[0]).toAbsolutePath() + "," + f[1]);
      }
    }
    Files.write(tmp.resolve("labels.csv"), out);
    return Dataset.open(tmp.resolve("labels.csv"));
  }

  @Test
  void trainingLowersTheLossAndTheWrittenFolderIsTheTrainedModel() throws Exception {
    GradMode.setThreads(2);
    Path source = Path.of("samples/models/hubert-tiny"); // HubertForCTC: prefix and lm_head
    Dataset data = data();
    Clip probe = data.load(0);
    String ffn = "encoder.layers.0.feed_forward.intermediate_dense.weight";
    String positions = "encoder.pos_conv_embed.conv.weight_v";
    try (HfAudioModel m = HfAudioModel.load(source)) {
      float[] ffnBefore = m.parameters().get(ffn).toFloatArray();
      float[] posBefore = m.parameters().get(positions).toFloatArray();
      Trainers.Settings s = new Trainers.Settings(30, 8, 2e-3, 3, 0.01, 1, 10);
      List<String> log = new ArrayList<>();
      TrainingRun run = HfSupervised.train("hubert-test", m, data, s, log::add);
      assertEquals(3, log.size(), "a line every 10 steps");
      assertTrue(run.finalLoss() < run.initialLoss() - 0.1, run.report());
      assertEquals(40, run.clips());
      assertFalse(java.util.Arrays.equals(ffnBefore, m.parameters().get(ffn).toFloatArray()),
          "the FFN trained");
      assertArrayEquals(posBefore, m.parameters().get(positions).toFloatArray(),
          "the convolutional positions stay as loaded");
      float[][] trained = m.encode(probe);

      Path dir = HfSampleFolders.writeTrained(m, run, tmp.resolve("hubert-sl-test"));
      assertEquals(Files.readString(source.resolve("config.json")),
          Files.readString(dir.resolve("config.json")));
      TensorTree before = TensorFiles.read(source.resolve("model.safetensors"));
      TensorTree after = TensorFiles.read(dir.resolve("model.safetensors"));
      assertEquals(before.tensors().keySet(), after.tensors().keySet(), "the same keys");
      assertTrue(after.tensors().containsKey("hubert." + ffn), "wrapper prefix kept");
      assertArrayEquals(before.tensor("lm_head.weight").toFloatArray(),
          after.tensor("lm_head.weight").toFloatArray(), "the head as it was");
      assertEquals("supervised", after.meta("recipe"));
      try (HfAudioModel back = HfAudioModel.load(dir);
          HfAudioModel random = HfAudioModel.load(source)) {
        float[][] again = back.encode(probe);
        for (int t = 0; t < trained.length; t++) {
          assertArrayEquals(trained[t], again[t], 1e-6f, "token " + t);
        }
        assertFalse(back.weightsSha256().equals(random.weightsSha256()));
      }
    }
  }
}
