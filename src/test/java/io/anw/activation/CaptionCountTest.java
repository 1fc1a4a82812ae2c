package io.anw.activation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.anw.WorkbenchException;
import io.anw.audio.Clip;
import io.anw.audio.Dataset;
import io.anw.audio.WavFile;
import io.anw.cli.Main;
import io.anw.model.ActivationCache;
import io.anw.model.HookNames;
import io.anw.model.Hooks;
import io.anw.model.M2dViT;
import io.anw.model.ModelConfig;
import io.anw.model.ModelFiles;
import io.anw.model.NormStats;
import io.anw.model.PartedInput;
import io.anw.model.TextVocabulary;
import io.anw.model.TokenGroup;
import io.anw.train.TrainableViT;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Counting with captions: an audio-text model on a CSV dataset with a {@code text} column reads
 * each clip's caption; counts match those taken from cached activations clip by clip; the token
 * groups (CLS, audio, text) partition the counts over all tokens.
 */
class CaptionCountTest {
  @TempDir static Path dir;
  static Path csv;
  static Path plainCsv;
  static M2dViT model;
  static NDManager manager;

  @BeforeAll
  static void files() throws Exception {
    io.anw.GradMode.setThreads(1); // identical float results from pass to pass
    manager = NDManager.newBaseManager();
    TextVocabulary words = TextVocabulary.of("low", "high", "tone", "a");
    TrainableViT vit = TrainableViT.init(TrainableViT.dims(2, 32, 1, 48, 32), 3, manager)
        .addTextPathway(words, 3, 4);
    // lift the text pathway out of its init scale so captions visibly move the neurons
    vit.stateDict().get("text_embed.weight").muli(30);
    model = vit.toM2d("at-tiny", new NormStats(-5f, 3f), manager);
    StringBuilder rows = new StringBuilder("file_name,label,text\n");
    StringBuilder plain = new StringBuilder("file_name,label\n");
    String[] captions = {"a low tone", "high", "", "a high tone", "low low", "tone"};
    int k = 0;
    for (String cls : List.of("high", "low")) {
      for (int i = 0; i < 3; i++) {
        int n = 4800 + 1600 * (i % 2);
        float[] x = new float[n];
        double f = cls.equals("high") ? 3000 + 100 * i : 200 + 20 * i;
        for (int t = 0; t < n; t++) {
          x[t] = (float) (0.3 * Math.sin(2 * Math.PI * f * t / 16000));
        }
        String file = cls + i + ".wav";
        WavFile.write(dir.resolve(file), new Clip(x, 16000));
        rows.append(file).append(',').append(cls).append(',').append(captions[k++]).append('\n');
        plain.append(file).append(',').append(cls).append('\n');
      }
    }
    csv = dir.resolve("captioned.csv");
    Files.writeString(csv, rows);
    plainCsv = dir.resolve("plain.csv");
    Files.writeString(plainCsv, plain);
  }

  @AfterAll
  static void close() {
    model.close();
    manager.close();
  }

  private static ActivationCounts count(Dataset ds, TokenGroup tokens, int batch) {
    return CountRun.run(model, ds, CountRun.Options.defaults().withBatchSize(batch)
        .withTokens(tokens), Map.of("model_sha256", "x"), n -> { });
  }

  @Test
  void countsWithCaptionsEqualCountsFromCachedActivations() {
    Dataset ds = Dataset.open(csv);
    assertEquals(List.of("a low tone", "high", "", "a high tone", "low low", "tone"),
        ds.captions());
    ActivationCounts counts = count(ds, TokenGroup.ALL, 1);
    long[] expected = new long[counts.layers() * counts.neurons() * 2];
    long[] n = new long[2];
    List<DatasetInputs.Prepared> inputs = DatasetInputs.prepared(model, ds);
    int[] labels = DatasetInputs.labels(ds);
    for (int i = 0; i < inputs.size(); i++) {
      try (NDManager m = NDManager.newBaseManager();
          ActivationCache cache = model.run(inputs.get(i).toInput(m), Hooks.none(),
              "blocks.*.mlp.hook_post")) {
        for (int l = 0; l < counts.layers(); l++) {
          NDArray x = cache.get(HookNames.neurons(l));
          long tokens = x.getShape().get(1);
          if (l == 0) {
            n[labels[i]] += tokens;
            int patches = (inputs.get(i).frames() + 15) / 16;
            int chunks = (patches + 1) / 2;
            assertEquals(chunks + 5 * patches + 3 * chunks, tokens,
                "per chunk: CLS, patches and the 3 caption tokens");
          }
          long[] active = x.gt(0f).toType(ai.djl.ndarray.types.DataType.INT64, false)
              .sum(new int[] {0, 1}).toLongArray();
          for (int j = 0; j < active.length; j++) {
            expected[(l * counts.neurons() + j) * 2 + labels[i]] += active[j];
          }
        }
      }
    }
    assertArrayEquals(expected, counts.overZeroFlat());
    assertArrayEquals(n, counts.nPerClass());
    assertEquals("all", counts.provenance().get("tokens"));
    assertEquals(counts, count(ds, TokenGroup.ALL, 4), "batching does not change the counts");
  }

  @Test
  void theCaptionsChangeTheCountsAndNoCaptionIsPadding() {
    ActivationCounts with = count(Dataset.open(csv), TokenGroup.ALL, 2);
    ActivationCounts without = count(Dataset.open(plainCsv), TokenGroup.ALL, 2);
    assertFalse(java.util.Arrays.equals(with.overZeroFlat(), without.overZeroFlat()));
    assertArrayEquals(with.nPerClass(), without.nPerClass(), "padding tokens count too");
    assertTrue(!Dataset.open(csv).listHash().equals(Dataset.open(plainCsv).listHash()),
        "captions are part of the data's fingerprint");
  }

  @Test
  void tokenGroupsPartitionTheCounts() {
    Dataset ds = Dataset.open(csv);
    ActivationCounts all = count(ds, TokenGroup.ALL, 2);
    long[] sum = new long[all.overZeroFlat().length];
    long[] n = new long[2];
    for (TokenGroup g : List.of(TokenGroup.CLS, TokenGroup.AUDIO, TokenGroup.TEXT)) {
      ActivationCounts part = count(ds, g, 2);
      assertEquals(g, part.tokens());
      long[] oz = part.overZeroFlat();
      for (int i = 0; i < sum.length; i++) {
        sum[i] += oz[i];
      }
      for (int c = 0; c < 2; c++) {
        n[c] += part.n(c);
      }
      if (g == TokenGroup.TEXT) {
        assertArrayEquals(new long[] {4 * 3, 4 * 3}, part.nPerClass(),
            "3 clips in 4 chunks (a 41-frame clip runs in two), 3 caption tokens each");
        assertTrue(part.toString().contains("(text tokens)"), part.toString());
      }
    }
    assertArrayEquals(all.overZeroFlat(), sum);
    assertArrayEquals(all.nPerClass(), n);
    WorkbenchException mixed = assertThrows(WorkbenchException.class,
        () -> all.plus(count(ds, TokenGroup.TEXT, 2)));
    assertTrue(mixed.getMessage().contains("all tokens with counts of text tokens"),
        mixed.getMessage());
  }

  @Test
  void textTokensOfAnAudioOnlyModelAreRefused() {
    try (M2dViT audioOnly = M2dViT.random(ModelConfig.defaults().withUnitFrames(32), 1, 32, 16,
        1, null)) {
      WorkbenchException e = assertThrows(WorkbenchException.class, () -> CountRun.run(audioOnly,
          Dataset.open(csv), CountRun.Options.defaults().withTokens(TokenGroup.TEXT),
          Map.of(), n -> { }));
      assertTrue(e.getMessage().contains("reads no text"), e.getMessage());
      assertEquals(List.of(PartedInput.AUDIO), audioOnly.inputParts());
    }
  }

  @Test
  void theCountVerbReadsCaptionsAndCountsATokenGroup() throws Exception {
    Path file = ModelFiles.saveM2d(model, dir.resolve("at.safetensors"));
    Path out = dir.resolve("text.npz");
    assertEquals(0, Main.execute("count", "--model", file.toString(), "--data", csv.toString(),
        "--out", out.toString(), "--tokens", "text", "--threads", "1"));
    ActivationCounts counts = CountsFile.read(out);
    assertEquals(TokenGroup.TEXT, counts.tokens());
    assertArrayEquals(new long[] {12, 12}, counts.nPerClass());
    assertEquals(1, Main.execute("count", "--model", file.toString(), "--data", csv.toString(),
        "--out", dir.resolve("bad.npz").toString(), "--tokens", "words"));
  }
}
