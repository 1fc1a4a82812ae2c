package io.anw.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.anw.GcPressure;
import io.anw.GradMode;
import io.anw.RealSizeModels;
import io.anw.TorchArrays;
import io.anw.activation.ActivationCounts;
import io.anw.activation.CountsFile;
import io.anw.activation.DatasetInputs;
import io.anw.audio.Clip;
import io.anw.audio.Dataset;
import io.anw.audio.WavFile;
import io.anw.model.ActivationCache;
import io.anw.model.M2dViT;
import io.anw.model.ModelFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verbs at real size: a float32 M2D ViT-B checkpoint written as {@code torch.save} writes
 * released M2D checkpoints (random weights, 344 MB), 20 clips of 0.8-4.5 s, and a garbage
 * collector that frees and scribbles over native memory all the while. Counts must equal the
 * per-token activations of a cached run; embed, ablate (zero and mean), patch and grounding must
 * finish and write their outputs. (Before arrays from Java data were made through
 * {@code TorchArrays}, {@code count} died in native code here within seconds.)
 */
class RealSizeCommandsTest {
  @TempDir static Path dir;
  static Path data;
  static Path pth;

  /** 20 clips, 4 classes (low/high tones, chords, noise), lengths 0.8-4.5 s, a split column. */
  @BeforeAll
  static void files() throws Exception {
    pth = RealSizeModels.m2dPth();
    data = dir.resolve("clips");
    Files.createDirectories(data);
    List<String> rows = new ArrayList<>(List.of("file_name,label,split"));
    String[] classes = {"low", "high", "chord", "noise"};
    java.util.Random r = new java.util.Random(5);
    for (int i = 0; i < 20; i++) {
      String cls = classes[i % 4];
      double seconds = 0.8 + 3.7 * ((i * 7) % 20) / 19.0;
      int n = (int) (seconds * 16000);
      float[] x = new float[n];
      double f = switch (cls) {
        case "low" -> 110 + 10 * i;
        case "high" -> 2000 + 50 * i;
        default -> 330 + 5 * i;
      };
      for (int t = 0; t < n; t++) {
        double v = Math.sin(2 * Math.PI * f * t / 16000);
        if (cls.equals("chord")) {
          v = (v + Math.sin(2 * Math.PI * f * 1.25 * t / 16000)
              + Math.sin(2 * Math.PI * f * 1.5 * t / 16000)) / 3;
        } else if (cls.equals("noise")) {
          v = r.nextGaussian() * 0.5;
        }
        x[t] = (float) (0.3 * v);
      }
      String name = cls + i + ".wav";
      WavFile.write(data.resolve(name), new Clip(x, 16000));
      rows.add(name + "," + cls + "," + (i < 12 ? "train" : "test"));
    }
    Files.write(data.resolve("labels.csv"), rows);
    data = data.resolve("labels.csv");
  }

  private static int run(String... args) {
    return Main.execute(args);
  }

  /** Per-layer, per-neuron, per-class counts of activations > 0 from a cached run of each clip. */
  private static long[] countsFromCache(Path model, Dataset ds) {
    GradMode.disableOnCurrentThread();
    try (M2dViT m = ModelFiles.loadM2d(model); NDManager nd = NDManager.newBaseManager()) {
      int layers = m.layers();
      int neurons = m.neuronsPerLayer();
      int k = ds.classes().size();
      long[] out = new long[layers * neurons * k];
      Function<Clip, float[][]> front = DatasetInputs.frontEnd(m);
      for (Clip clip : ds.loadAll()) {
        int c = ds.classIndex(clip.label());
        try (NDManager scope = nd.newSubManager();
            ActivationCache cache = m.runWithCache(TorchArrays.of(scope, front.apply(clip)),
                "blocks.*.mlp.hook_post")) {
          for (int l = 0; l < layers; l++) {
            for (int ch = 0; ch < cache.chunks(); ch++) {
              NDArray chunk = cache.get("blocks." + l + ".mlp.hook_post", ch);
              float[] v = chunk.toFloatArray(); // [1, tokens, neurons]
              for (int i = 0; i < v.length; i++) {
                if (v[i] > 0) {
                  out[(l * neurons + i % neurons) * k + c]++;
                }
              }
            }
          }
        }
      }
      return out;
    }
  }

  @Test
  void countEqualsTheCachedActivationsUnderGcPressureWithOneAndTwoThreads() {
    Path one = dir.resolve("one.npz");
    Path two = dir.resolve("two.npz");
    try (GcPressure gc = GcPressure.start()) {
      assertEquals(0, run("count", "--model", pth.toString(), "--data", data.toString(),
          "--out", one.toString(), "--threads", "1", "--batch", "3"));
      assertEquals(0, run("count", "--model", pth.toString(), "--data", data.toString(),
          "--out", two.toString(), "--threads", "2"));
      assertTrue(gc.rounds() > 10, "pressure applied: " + gc.rounds() + " rounds");
    }
    ActivationCounts a = CountsFile.read(one);
    ActivationCounts b = CountsFile.read(two);
    assertEquals(12, a.layers());
    assertEquals(3072, a.neurons());
    assertEquals("20", a.provenance().get("clips"));
    long[] expected = countsFromCache(pth, Dataset.open(data));
    assertArrayEquals(expected, a.overZeroFlat(), "--threads 1 equals the cached run");
    long differ = 0;
    for (int i = 0; i < expected.length; i++) {
      differ += expected[i] != b.overZeroFlat()[i] ? 1 : 0;
    }
    assertTrue(differ <= expected.length / 10_000, differ + " entries differ with 2 threads");
    long tokens = 0;
    for (long t : a.nPerClass()) {
      tokens += t;
    }
    assertTrue(tokens > 20 * 20, "tokens counted: " + tokens);
  }

  @Test
  void legacyTorchAndSafetensorsCheckpointsCountTheSame() {
    Path zip = dir.resolve("zip.npz");
    Path legacy = dir.resolve("legacy.npz");
    Path st = dir.resolve("st.npz");
    try (GcPressure gc = GcPressure.start()) {
      for (Object[] c : new Object[][] {{pth, zip}, {RealSizeModels.m2dLegacyPth(), legacy},
          {RealSizeModels.m2dSafetensors(), st}}) {
        assertEquals(0, run("count", "--model", c[0].toString(), "--data", data.toString(),
            "--split", "test", "--out", c[1].toString(), "--threads", "1"));
      }
    }
    long[] z = CountsFile.read(zip).overZeroFlat();
    assertArrayEquals(z, CountsFile.read(legacy).overZeroFlat(), "legacy .pth");
    assertArrayEquals(z, CountsFile.read(st).overZeroFlat(), "float32 safetensors");
  }

  @Test
  void embedAblateAndPatchRunAtRealSize() throws Exception {
    Path emb = dir.resolve("emb.npy");
    Path counts = dir.resolve("c.npz");
    Path sel = dir.resolve("sel");
    List<String> wavs = new ArrayList<>();
    try (var s = Files.list(data.getParent())) {
      s.filter(p -> p.toString().endsWith(".wav")).sorted().limit(4)
          .forEach(p -> wavs.add(p.toString()));
    }
    try (GcPressure gc = GcPressure.start()) {
      List<String> args = new ArrayList<>(List.of("embed", "--model", pth.toString(), "--out",
          emb.toString()));
      args.addAll(wavs);
      assertEquals(0, run(args.toArray(String[]::new)));
      assertEquals(0, run("count", "--model", pth.toString(), "--data", data.toString(),
          "--split", "train", "--out", counts.toString()));
      // (a random model's neurons are barely selective: a lower bar gives class neurons)
      assertEquals(0, run("aape", counts.toString(), "--out", sel.toString(), "--method", "aape",
          "--activation-bar", "0.5"));
      assertTrue(Files.readAllLines(sel.resolve("neurons.csv")).size() > 10, "neurons to ablate");
      for (String mode : List.of("--seed=1", "--mean")) {
        Path out = dir.resolve("ablate" + mode);
        assertEquals(0, run("ablate", "--model", pth.toString(), "--data", data.toString(),
            "--neurons", sel.resolve("neurons.csv").toString(), "--random", "3", mode,
            "--out", out.toString()));
        assertTrue(Files.readAllLines(out.resolve("summary.csv")).size() == 2, mode);
      }
      Path patch = dir.resolve("patch");
      assertEquals(0, run("patch", "--model", pth.toString(), wavs.get(0), wavs.get(1), "--hooks",
          "blocks.11.mlp.hook_post", "--groups", "512", "--out", patch.toString()));
      assertEquals(1 + 6, Files.readAllLines(patch.resolve("patch-sweep.csv")).size());
    }
    var e = io.anw.tensor.TensorFiles.read(emb).tensors().values().iterator().next();
    assertEquals(4, e.shape()[0]);
    assertEquals(5 * 768, e.shape()[1], "scene embedding: 5 frequency bins x 768");
    for (float v : e.toFloatArray()) {
      assertTrue(Float.isFinite(v), "finite embedding");
    }
    List<String> neurons = Files.readAllLines(sel.resolve("neurons.csv"));
    assertEquals("layer,neuron,class,aape", neurons.get(0));
  }

  @Test
  void topAndExploreRunAtRealSizeUnderGcPressure() throws Exception {
    Path top = dir.resolve("top-real");
    Path site = dir.resolve("site-real");
    Path neurons = dir.resolve("hand-neurons.csv");
    Files.write(neurons, List.of("layer,neuron,class,aape", "11,5,low,1.2", "11,6,high,1.3",
        "3,7,low,1.1", "3,7,chord,1.1"));
    try (GcPressure gc = GcPressure.start()) {
      // every one of block 11's 3072 neurons, clips of 0.8-4.5 s (several chunks for some)
      assertEquals(0, run("top", "--model", pth.toString(), "--data", data.toString(), "--hook",
          "blocks.11.mlp.hook_post", "--all", "--k", "3", "--quantiles", "2", "--out",
          top.toString()));
      assertEquals(0, run("explore", "--model", pth.toString(), "--data", data.toString(),
          "--neurons", neurons.toString(), "--k", "2", "--out", site.toString()));
    }
    List<String> rows = Files.readAllLines(top.resolve("top.csv"));
    assertEquals(1 + 3072 * 3, rows.size());
    for (String row : rows.subList(1, rows.size())) {
      String[] f = row.split(",");
      assertTrue(Float.isFinite(Float.parseFloat(f[5])), row);
      assertTrue(Double.parseDouble(f[9]) <= 4.5 + 1e-6, "within the clips: " + row);
    }
    assertEquals(List.of(), io.anw.listen.SiteLinks.broken(site));
    try (var pages = Files.list(site.resolve("units"))) {
      assertEquals(3, pages.count(), "L3.N7 (two classes), L11.N5, L11.N6");
    }
  }

  @Test
  void saeTrainCountEvalAndAblateRunAtRealSizeUnderGcPressure() throws Exception {
    Path sae = dir.resolve("sae");
    Path cache = dir.resolve("acts");
    Path features = dir.resolve("features.npz");
    Path eval = dir.resolve("sae-eval");
    try (GcPressure gc = GcPressure.start()) {
      // d_in 3072 (the MLP of a ViT-B block), d_sae 3072; two runs: the second reads the cache
      for (String out : List.of("sae", "sae-again")) {
        assertEquals(0, run("sae", "train", "--model", pth.toString(), "--data",
            data.toString(), "--hook", "blocks.5.mlp.hook_post", "--out",
            dir.resolve(out).toString(), "--k", "16", "--expansion", "1", "--tokens", "2048",
            "--batch-tokens", "256", "--buffer-tokens", "1024", "--threads", "1", "--cache",
            cache.toString()));
      }
      assertEquals(0, run("count", "--model", pth.toString(), "--data", data.toString(),
          "--sae", sae.toString(), "--out", features.toString()));
      assertEquals(0, run("sae", "eval", "--model", pth.toString(), "--sae", sae.toString(),
          "--data", data.toString(), "--out", eval.toString()));
      assertEquals(0, run("ablate", "--model", pth.toString(), "--data", data.toString(),
          "--sae", sae.toString(), "--neurons", writeFeatures(dir.resolve("f.csv")).toString(),
          "--random", "2", "--out", dir.resolve("sae-ablate").toString()));
      assertTrue(gc.rounds() > 10, "pressure applied: " + gc.rounds() + " rounds");
    }
    try (io.anw.sae.SparseAutoencoder a = io.anw.sae.SaeFiles.load(sae);
        io.anw.sae.SparseAutoencoder b = io.anw.sae.SaeFiles.load(dir.resolve("sae-again"))) {
      assertEquals(3072, a.dIn());
      assertEquals(3072, a.dSae());
      assertArrayEquals(a.wDec().toFloatArray(), b.wDec().toFloatArray(), "cache = model");
    }
    ActivationCounts c = CountsFile.read(features);
    assertEquals(1, c.layers());
    assertEquals(3072, c.neurons());
    assertEquals(2, Files.readAllLines(eval.resolve("eval.csv")).size());
    assertEquals(2, Files.readAllLines(dir.resolve("sae-ablate/summary.csv")).size());
  }

  private static Path writeFeatures(Path csv) throws java.io.IOException {
    Files.write(csv, List.of("layer,neuron", "5,0", "5,7", "5,100"));
    return csv;
  }
}
