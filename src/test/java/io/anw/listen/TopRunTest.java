package io.anw.listen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.anw.GradMode;
import io.anw.TorchArrays;
import io.anw.WorkbenchException;
import io.anw.audio.Clip;
import io.anw.audio.Dataset;
import io.anw.audio.LogMel;
import io.anw.audio.LogMelPreset;
import io.anw.audio.WavFile;
import io.anw.model.ActivationCache;
import io.anw.model.Hooks;
import io.anw.model.M2dViT;
import io.anw.model.ModelConfig;
import io.anw.model.UnitSpace;
import io.anw.neuron.Neuron;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Top activations against a brute force over every clip's cached activations: ranks, values,
 * chunks and tokens; clips of one to many chunks and one longer than a streaming segment.
 */
class TopRunTest {
  @TempDir static Path dir;
  static M2dViT vit;
  static Dataset data;
  static final List<Neuron> UNITS = List.of(new Neuron(0, 3), new Neuron(1, 0),
      new Neuron(1, 47));

  @BeforeAll
  static void files() throws Exception {
    GradMode.setThreads(1);
    // unit 32 frames (0.32 s): a streaming segment is 16 x 32 = 512 frames (5.12 s)
    vit = M2dViT.random(ModelConfig.defaults().withName("tiny").withUnitFrames(32), 2, 32, 48,
        7, null);
    Files.createDirectories(dir.resolve("clips"));
    Random rnd = new Random(3);
    List<String> rows = new ArrayList<>(List.of("file_name,label"));
    double[] seconds = {0.25, 0.5, 0.5, 0.9, 1.0, 1.0, 1.3, 2.2, 0.7, 0.5, 6.0, 1.0, 0.4};
    for (int i = 0; i < seconds.length; i++) {
      float[] x = new float[(int) (seconds[i] * 16000)];
      double f = 150 * Math.pow(2, rnd.nextDouble() * 5);
      for (int t = 0; t < x.length; t++) {
        double env = Math.sin(Math.PI * t / x.length);
        x[t] = (float) (0.3 * env * Math.sin(2 * Math.PI * f * t / 16000 * (1 + 0.3 * t
            / x.length)) + 0.02 * rnd.nextGaussian());
      }
      WavFile.write(dir.resolve("clips/c" + i + ".wav"), new Clip(x, 16000));
      rows.add("c" + i + ".wav," + (i % 2 == 0 ? "a" : "b"));
    }
    Files.write(dir.resolve("clips/labels.csv"), rows);
    data = Dataset.open(dir.resolve("clips/labels.csv"));
  }

  @AfterAll
  static void close() {
    vit.close();
  }

  /** One clip's best token for a unit, by brute force. */
  record Best(int row, float act, int chunk, int token) {}

  static List<Best> bruteForce(Neuron unit) {
    LogMel front = new LogMel(LogMelPreset.M2D_16K);
    List<Best> out = new ArrayList<>();
    try (NDManager m = NDManager.newBaseManager()) {
      for (int row = 0; row < data.size(); row++) {
        Clip clip = data.load(row);
        float[][] x = LogMel.normalise(front.compute(clip), vit.normStats().mean(),
            vit.normStats().std());
        String name = "blocks." + unit.layer() + ".mlp.hook_post";
        try (ActivationCache cache = vit.run(TorchArrays.of(m, x), Hooks.none(), name)) {
          Best best = null;
          for (int c = 0; c < cache.chunks(); c++) {
            NDArray a = cache.get(name, c); // [1, tokens, 48]
            int tokens = (int) a.getShape().get(1);
            float[] v = a.get("0, :, " + unit.index()).toFloatArray();
            for (int t = 1; t < tokens; t++) { // the audio patches: all but CLS
              if (best == null || v[t] > best.act()) {
                best = new Best(row, v[t], c, t);
              }
            }
          }
          out.add(best);
        }
      }
    }
    out.sort(Comparator.comparing((Best b) -> -b.act()).thenComparing(Best::row));
    return out;
  }

  @Test
  void topKMatchesTheBruteForcePerClipMaximum() {
    assertTrue(data.items().get(10).seconds() * 100 > 512, "one clip is streamed in segments");
    TopResult r = TopRun.run(vit, data, TopTargets.of(UnitSpace.neurons(vit), UNITS),
        TopRun.Options.defaults().withK(5).withBatchSize(3));
    assertEquals(3, r.units().size());
    for (Neuron n : UNITS) {
      List<Best> expected = bruteForce(n);
      List<TopEntry> got = r.top("L" + n.layer() + ".N" + n.index());
      assertEquals(5, got.size());
      for (int i = 0; i < 5; i++) {
        TopEntry e = got.get(i);
        Best b = expected.get(i);
        assertEquals(i + 1, e.rank());
        assertEquals(b.act(), e.activation(), 1e-4, n + " rank " + (i + 1));
        assertEquals(b.row(), e.row(), n + " rank " + (i + 1));
        assertEquals(b.chunk(), e.place().chunk(), n + " rank " + (i + 1));
        assertEquals(b.token(), e.place().token(), n + " rank " + (i + 1));
        assertEquals("c" + b.row() + ".wav", e.fileName());
      }
    }
    assertEquals(String.valueOf(data.size()), r.provenance().get("clips"));
  }

  @Test
  void quantileExamplesSpanTheDistributionInOrder() {
    TopResult r = TopRun.run(vit, data, TopTargets.of(UnitSpace.neurons(vit), UNITS),
        TopRun.Options.defaults().withK(3).withQuantiles(4).withPerQuantile(2));
    for (TopUnit u : r.units()) {
      List<TopEntry> q = r.quantiles(u);
      assertEquals(8, q.size(), "4 bins of 2 from 13 sampled clips");
      for (int i = 1; i < q.size(); i++) {
        assertTrue(q.get(i).quantile() >= q.get(i - 1).quantile());
        assertTrue(q.get(i).activation() >= q.get(i - 1).activation(), "sorted by activation");
      }
      assertEquals(1, q.get(0).quantile());
      assertEquals(4, q.get(q.size() - 1).quantile());
      assertTrue(q.get(q.size() - 1).activation() <= r.top(u).get(0).activation());
    }
    assertEquals(List.of("layer", "neuron", "quantile", "rank", "file_name", "label",
        "activation", "chunk", "token", "start_s", "end_s", "freq_lo_hz", "freq_hi_hz"),
        r.quantileTable().columnNames());
    assertEquals(TopResult.COLUMNS, r.table().columnNames());
  }

  @Test
  void aResumedPassEqualsOneRun() throws Exception {
    TopTargets targets = TopTargets.of(UnitSpace.neurons(vit), UNITS);
    Path ckpt = dir.resolve("resume/top.partial.json");
    TopRun.Options opt = TopRun.Options.defaults().withK(4).withQuantiles(3).withBatchSize(2)
        .withCheckpoint(ckpt, 2);
    TopResult once = TopRun.run(vit, data, targets, TopRun.Options.defaults().withK(4)
        .withQuantiles(3).withBatchSize(2));
    RuntimeException stop = new RuntimeException("interrupted");
    RuntimeException thrown = assertThrows(RuntimeException.class, () -> TopRun.run(vit, data,
        targets, opt, Map.of(), (rows, s) -> {
          if (rows >= 7) {
            throw stop;
          }
        }));
    assertEquals(stop, thrown);
    assertTrue(Files.isRegularFile(ckpt), "partial state saved");
    int[] first = {-1};
    TopResult resumed = TopRun.run(vit, data, targets, opt, Map.of(), (rows, s) -> {
      if (first[0] < 0) {
        first[0] = rows;
      }
    });
    assertTrue(first[0] > 0 && first[0] < data.size(), "resumed at row " + first[0]);
    assertEquals(once.table().toString(), resumed.table().toString());
    assertEquals(io.anw.report.TableText.all(once.table()),
        io.anw.report.TableText.all(resumed.table()));
    assertEquals(io.anw.report.TableText.all(once.quantileTable()),
        io.anw.report.TableText.all(resumed.quantileTable()));
    // a checkpoint of other settings is refused, not silently mixed in
    TopRun.Options other = opt.withK(5);
    WorkbenchException e2 = assertThrows(WorkbenchException.class,
        () -> TopRun.run(vit, data, targets, other, Map.of(), (a, b) -> { }));
    assertTrue(e2.getMessage().contains("another run"), e2.getMessage());
  }

  @Test
  void everyUnitOfAHookAndBadUnitsAreChecked() {
    TopResult r = TopRun.run(vit, data, TopTargets.hook(vit, "blocks.1.hook_resid_post",
        Hooks.none(), true, null), TopRun.Options.defaults().withK(2).withQuantiles(0));
    assertEquals(32, r.units().size(), "the residual stream's width");
    assertEquals("L1.U0", r.units().get(0).toString());
    assertThrows(WorkbenchException.class, () -> TopTargets.of(UnitSpace.neurons(vit),
        List.of(new Neuron(1, 48))));
    WorkbenchException e = assertThrows(WorkbenchException.class, () -> TopTargets.hook(vit,
        "blocks.0.attn.hook_pattern", Hooks.none(), true, null));
    assertTrue(e.getMessage().contains("[batch, tokens, units]"), e.getMessage());
    assertEquals(List.of(new Neuron(3, 17), new Neuron(5, 2)),
        TopTargets.parseUnits("3:17, L5.N2"));
    assertThrows(WorkbenchException.class, () -> TopTargets.parseUnits("3-17"));
  }
}
