package io.anw.activation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.anw.GradMode;
import io.anw.TorchArrays;
import io.anw.audio.Clip;
import io.anw.audio.Dataset;
import io.anw.audio.LogMel;
import io.anw.audio.LogMelPreset;
import io.anw.audio.WavFile;
import io.anw.model.M2dViT;
import io.anw.model.ModelConfig;
import io.anw.model.ModelFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recordings longer than a counting segment are streamed (decoded, resampled, transformed and
 * counted a segment at a time) and give the counts of the whole clip, bit for bit.
 */
class LongRecordingTest {
  @TempDir static Path dir;
  static M2dViT vit;
  static Path data;

  @BeforeAll
  static void files() throws Exception {
    GradMode.setThreads(1);
    // unit 32 frames: a segment is 16 x 32 = 512 frames (5.12 s); the long clip has 3 of them
    vit = M2dViT.random(ModelConfig.defaults().withName("tiny").withUnitFrames(32), 2, 32, 48,
        3, null);
    Files.createDirectories(dir.resolve("clips"));
    int[] samples = {16000, 12 * 44100 + 123, 24000};
    int[] rates = {16000, 44100, 16000};
    for (int i = 0; i < 3; i++) {
      float[] x = new float[samples[i]];
      for (int t = 0; t < x.length; t++) {
        x[t] = (float) (0.3 * Math.sin(2 * Math.PI * (300 + 700 * i) * t / rates[i])
            * (1 + 0.5 * Math.sin(t * 0.0003)));
      }
      WavFile.write(dir.resolve("clips/c" + i + ".wav"), new Clip(x, rates[i]));
    }
    data = dir.resolve("clips/labels.csv");
    Files.write(data, List.of("file_name,label", "c0.wav,a", "c1.wav,b", "c2.wav,a"));
  }

  @AfterAll
  static void close() {
    vit.close();
  }

  @Test
  void aLongClipCountsAsIfWhole() {
    Dataset ds = Dataset.open(data);
    assertTrue(ds.items().get(1).seconds() * 100 > CountRun.segmentFrames(vit), "long enough");
    ActivationCounts streamed = CountRun.run(vit, ds, CountRun.Options.defaults(),
        Map.of("model_sha256", "x"), n -> { });
    ActivationCounts whole;
    LogMel front = new LogMel(LogMelPreset.M2D_16K);
    try (ActivationCounter counter = new ActivationCounter(vit, ds.classes());
        NDManager m = NDManager.newBaseManager()) {
      for (Clip clip : ds.loadAll()) {
        float[][] x = LogMel.normalise(front.compute(clip), vit.normStats().mean(),
            vit.normStats().std());
        counter.add(TorchArrays.of(m, x), new int[] {ds.classIndex(clip.label())});
      }
      whole = counter.counts(Map.of());
    }
    assertEquals(whole, streamed);
    assertEquals("3", streamed.provenance().get("clips"));
  }

  @Test
  void aLongRecordingEmbedsAsIfWhole() throws Exception {
    Path model = ModelFiles.saveM2d(vit, dir.resolve("tiny.safetensors"));
    Path out = dir.resolve("emb.npy");
    assertEquals(0, io.anw.cli.Main.execute("embed", "--model", model.toString(),
        dir.resolve("clips/c1.wav").toString(), dir.resolve("clips/c0.wav").toString(),
        "--out", out.toString()));
    float[] got = io.anw.tensor.TensorFiles.read(out).tensors().values().iterator().next()
        .toFloatArray();
    Dataset ds = Dataset.open(data);
    float[][] expected = DatasetInputs.embeddings(vit, ds, 1).x();
    int d = expected[0].length;
    for (int j = 0; j < d; j++) {
      assertEquals(expected[1][j], got[j], 1e-5 * (1 + Math.abs(expected[1][j])), "long " + j);
      assertEquals(expected[0][j], got[d + j], 1e-6, "short " + j);
    }
  }
}
