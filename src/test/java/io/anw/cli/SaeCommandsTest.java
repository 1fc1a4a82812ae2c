package io.anw.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.anw.activation.ActivationCounts;
import io.anw.activation.CountsFile;
import io.anw.activation.DatasetInputs;
import io.anw.audio.Clip;
import io.anw.audio.Dataset;
import io.anw.audio.WavFile;
import io.anw.model.ActivationCache;
import io.anw.model.Batcher;
import io.anw.model.Hooks;
import io.anw.model.M2dViT;
import io.anw.model.ModelFiles;
import io.anw.report.CsvFiles;
import io.anw.sae.SaeFiles;
import io.anw.sae.SparseAutoencoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SAE verbs end to end on the shipped tiny M2D and a small tone dataset: train (with and
 * without the activation cache, the same weights), the saved SAELens layout, eval.csv recomputed
 * from raw activations, count --sae, aape on feature counts, ablate --sae and sae compare.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SaeCommandsTest {
  private static final Path MODEL = Path.of("samples/models/m2d-tiny.safetensors");
  private static final String HOOK = "blocks.2.mlp.hook_post";

  private Path tmp;
  private Path data;
  private Path sae;

  @BeforeAll
  void trainOnce(@TempDir Path dir) throws IOException {
    tmp = dir;
    data = tones(tmp.resolve("tones"));
    sae = tmp.resolve("sae");
    CliRun r = CliRun.exec("sae", "train", "--model", MODEL.toString(), "--data",
        data.toString(), "--hook", HOOK, "--out", sae.toString(), "--arch", "topk", "--k", "8",
        "--expansion", "2", "--tokens", "6144", "--batch-tokens", "256", "--buffer-tokens",
        "1024", "--lr", "1e-3", "--seed", "3", "--threads", "1");
    assertEquals(0, r.code(), r.err());
  }

  /** 2 classes of tones (low, high), 8 train and 4 test clips each, 1 s at 16 kHz. */
  static Path tones(Path dir) throws IOException {
    Files.createDirectories(dir);
    Random rnd = new Random(5);
    StringBuilder csv = new StringBuilder("file_name,label,split\n");
    for (String label : List.of("low", "high")) {
      for (int i = 0; i < 12; i++) {
        double f = (label.equals("low") ? 220 : 1760) * (1 + 0.05 * rnd.nextGaussian());
        float[] x = new float[16000];
        for (int t = 0; t < x.length; t++) {
          x[t] = (float) (0.3 * Math.sin(2 * Math.PI * f * t / 16000)
              + 0.01 * rnd.nextGaussian());
        }
        String name = label + i + ".wav";
        WavFile.write(dir.resolve(name), new Clip(x, 16000));
        csv.append(name).append(',').append(label).append(',')
            .append(i < 8 ? "train" : "test").append('\n');
      }
    }
    Path f = dir.resolve("data.csv");
    Files.writeString(f, csv);
    return f;
  }

  @Test
  void trainWritesTheSaeLensLayoutWithProvenanceAndCurves() throws IOException {
    JsonObject cfg = JsonParser.parseString(Files.readString(sae.resolve("cfg.json")))
        .getAsJsonObject();
    assertEquals("topk", cfg.get("architecture").getAsString());
    assertEquals(512, cfg.get("d_in").getAsInt());
    assertEquals(1024, cfg.get("d_sae").getAsInt());
    assertEquals(8, cfg.get("k").getAsInt());
    assertEquals(HOOK, cfg.get("hook_name").getAsString());
    assertEquals("float32", cfg.get("dtype").getAsString());
    assertTrue(cfg.get("apply_b_dec_to_input").getAsBoolean());
    JsonObject meta = cfg.getAsJsonObject("metadata");
    assertEquals("m2d-tiny", meta.get("model").getAsString().replace(".safetensors", ""));
    assertTrue(meta.has("weights_sha256") && meta.has("data_sha256") && meta.has("seed"));
    assertTrue(Files.isRegularFile(sae.resolve("training.csv")));
    assertTrue(Files.size(sae.resolve("training-loss.png")) > 1000);
    assertEquals(24 + 1, CsvFiles.read(sae.resolve("training.csv")).size(), "header + 24 steps");
    assertFalse(Files.exists(sae.resolve("checkpoint.safetensors")), "removed when done");
  }

  @Test
  void theActivationCacheGivesTheSameWeights() throws IOException {
    Path a = tmp.resolve("cached-a");
    Path b = tmp.resolve("cached-b");
    Path cache = tmp.resolve("acts");
    for (Path out : List.of(a, b)) {
      CliRun r = CliRun.exec("sae", "train", "--model", MODEL.toString(), "--data",
          data.toString(), "--hook", HOOK, "--out", out.toString(), "--k", "8", "--expansion",
          "2", "--tokens", "6144", "--batch-tokens", "256", "--buffer-tokens", "1024", "--lr",
          "1e-3", "--seed", "3", "--threads", "1", "--cache", cache.toString());
      assertEquals(0, r.code(), r.err());
    }
    assertTrue(Files.isRegularFile(cache.resolve("manifest.json")));
    try (SparseAutoencoder plain = SaeFiles.load(sae); SparseAutoencoder first = SaeFiles.load(a);
        SparseAutoencoder second = SaeFiles.load(b)) {
      assertArrayEquals(plain.wDec().toFloatArray(), first.wDec().toFloatArray());
      assertArrayEquals(plain.wDec().toFloatArray(), second.wDec().toFloatArray());
    }
  }

  @Test
  void evalCsvMatchesFiguresRecomputedFromRawActivations() {
    Path out = tmp.resolve("eval");
    CliRun r = CliRun.exec("sae", "eval", "--model", MODEL.toString(), "--sae", sae.toString(),
        "--data", data.toString(), "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    List<CsvFiles.Row> rows = CsvFiles.read(out.resolve("eval.csv"));
    assertEquals(2, rows.size(), "header and one row");
    List<String> header = rows.get(0).fields();
    assertEquals(List.of("tokens", "l0", "explained_variance", "mse", "dead_fraction",
        "dense_fraction", "probe_clean", "probe_sae", "probe_zero", "recovered"), header);
    java.util.Map<String, String> row = new java.util.HashMap<>();
    for (int i = 0; i < header.size(); i++) {
      row.put(header.get(i), rows.get(1).fields().get(i));
    }
    // recompute from the raw activations of the test split
    Dataset test = Dataset.open(data).split("test");
    try (M2dViT m = ModelFiles.loadM2d(MODEL); SparseAutoencoder s = SaeFiles.load(sae);
        NDManager nm = NDManager.newBaseManager()) {
      DatasetInputs.Examples e = DatasetInputs.examples(m, test, nm);
      List<float[]> xs = Batcher.run(m, e.inputs(), 8, Hooks.none(),
          (ActivationCache c, int n) -> {
            float[] all = c.get(HOOK).toFloatArray();
            List<float[]> per = new ArrayList<>();
            int each = all.length / n;
            for (int i = 0; i < n; i++) {
              per.add(java.util.Arrays.copyOfRange(all, i * each, (i + 1) * each));
            }
            return per;
          }, HOOK);
      int d = 512;
      long tokens = 0;
      double active = 0;
      double err = 0;
      double[] sum = new double[d];
      double[] sq = new double[d];
      boolean[] fired = new boolean[1024];
      for (float[] x : xs) {
        int t = x.length / d;
        tokens += t;
        NDArray xa = io.anw.TorchArrays.of(nm, x, new ai.djl.ndarray.types.Shape(t, d));
        float[] f = s.encode(xa).toFloatArray();
        float[] xhat = s.reconstruct(xa).toFloatArray();
        for (int i = 0; i < f.length; i++) {
          if (f[i] > 0) {
            active++;
            fired[i % 1024] = true;
          }
        }
        for (int i = 0; i < x.length; i++) {
          err += (x[i] - xhat[i]) * (double) (x[i] - xhat[i]);
          sum[i % d] += x[i];
          sq[i % d] += x[i] * (double) x[i];
        }
      }
      double total = 0;
      for (int j = 0; j < d; j++) {
        total += sq[j] - sum[j] * sum[j] / tokens;
      }
      int dead = 0;
      for (boolean b : fired) {
        dead += b ? 0 : 1;
      }
      assertEquals(tokens, Long.parseLong(row.get("tokens")));
      assertEquals(active / tokens, Double.parseDouble(row.get("l0")), 1e-3);
      assertEquals(1 - err / total, Double.parseDouble(row.get("explained_variance")), 1e-3);
      assertEquals(err / (tokens * d), Double.parseDouble(row.get("mse")), 1e-5);
      assertEquals(dead / 1024.0, Double.parseDouble(row.get("dead_fraction")), 1e-9);
    }
    double clean = Double.parseDouble(row.get("probe_clean"));
    double rec = Double.parseDouble(row.get("probe_sae"));
    double zero = Double.parseDouble(row.get("probe_zero"));
    String recovered = row.get("recovered");
    if (Math.abs(clean - zero) > 1e-9) {
      assertEquals((rec - zero) / (clean - zero), Double.parseDouble(recovered), 1e-3);
    }
    assertTrue(r.out().contains("probe accuracy"), r.out());
  }

  @Test
  void featureCountsSelectionAblationAndComparison() {
    Path fc = tmp.resolve("features.npz");
    CliRun r = CliRun.exec("count", "--model", MODEL.toString(), "--data", data.toString(),
        "--sae", sae.toString(), "--out", fc.toString());
    assertEquals(0, r.code(), r.err());
    ActivationCounts c = CountsFile.read(fc);
    assertEquals(1, c.layers());
    assertEquals(1024, c.neurons());
    assertEquals(HOOK + ".hook_sae_acts_post", c.hook());
    assertTrue(c.provenance().containsKey("sae_sha256"));
    Path nc = tmp.resolve("neurons.npz");
    assertEquals(0, CliRun.exec("count", "--model", MODEL.toString(), "--data",
        data.toString(), "--out", nc.toString()).code());
    // the features' token counts equal the neurons' (same tokens)
    assertArrayEquals(CountsFile.read(nc).nPerClass(), c.nPerClass());
    Path sel = tmp.resolve("fsel");
    CliRun a = CliRun.exec("aape", fc.toString(), "--out", sel.toString(), "--top-rate",
        "0.05");
    assertEquals(0, a.code(), a.err());
    Path ab = tmp.resolve("ablate");
    CliRun d = CliRun.exec("ablate", "--model", MODEL.toString(), "--data", data.toString(),
        "--neurons", sel.resolve("neurons.csv").toString(), "--sae", sae.toString(),
        "--random", "3", "--out", ab.toString());
    assertEquals(0, d.code(), d.err());
    assertTrue(Files.isRegularFile(ab.resolve("summary.csv")));
    // what drives the features: top clips and the explorer, with the SAE spliced in
    Path top = tmp.resolve("ftop");
    CliRun t = CliRun.exec("top", "--model", MODEL.toString(), "--data", data.toString(),
        "--sae", sae.toString(), "--neurons", sel.resolve("neurons.csv").toString(), "--k", "3",
        "--out", top.toString());
    assertEquals(0, t.code(), t.err());
    List<CsvFiles.Row> rows = CsvFiles.read(top.resolve("top.csv"));
    assertEquals("2", rows.get(1).fields().get(0), "features carry the SAE's block as layer");
    assertTrue(t.out().contains("L2.F"), t.out());
    try {
      assertTrue(Files.readString(top.resolve("top.json")).contains("sae_sha256"));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    Path site = tmp.resolve("fsite");
    CliRun x = CliRun.exec("explore", "--model", MODEL.toString(), "--data", data.toString(),
        "--sae", sae.toString(), "--selection", sel.toString(), "--counts", fc.toString(),
        "--ablation", ab.toString(), "--k", "2", "--units-per-class", "1", "--out",
        site.toString());
    assertEquals(0, x.code(), x.err());
    try {
      assertEquals(List.of(), io.anw.listen.SiteLinks.broken(site));
      assertTrue(Files.readString(site.resolve("index.html")).contains("features"));
      try (var pages = Files.list(site.resolve("units"))) {
        assertTrue(pages.allMatch(p -> p.getFileName().toString().startsWith("L2.F")));
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    CliRun wrong = CliRun.exec("explore", "--model", MODEL.toString(), "--data",
        data.toString(), "--sae", sae.toString(), "--selection", sel.toString(), "--counts",
        nc.toString(), "--out", tmp.resolve("wrong").toString());
    assertEquals(1, wrong.code());
    assertTrue(wrong.err().contains("counts are of"), wrong.err());
    Path cmp = tmp.resolve("compare");
    CliRun k = CliRun.exec("sae", "compare", nc.toString(), fc.toString(), "--sae",
        sae.toString(), "--top-rate", "0.05", "--out", cmp.toString());
    assertEquals(0, k.code(), k.err());
    assertTrue(k.out().contains("classes per class-specific unit"), k.out());
    assertTrue(Files.isRegularFile(cmp.resolve("summary.csv")));
    assertTrue(Files.isRegularFile(cmp.resolve("sharing.csv")));
  }

  @Test
  void patchSweepsGroupsOfFeaturesWithTheSaeSplicedIn() throws IOException {
    Path dir = tmp.resolve("tones");
    Path out = tmp.resolve("patch");
    CliRun r = CliRun.exec("patch", "--model", MODEL.toString(), dir.resolve("low0.wav")
        .toString(), dir.resolve("high0.wav").toString(), "--sae", sae.toString(), "--groups",
        "256", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    List<String> rows = Files.readAllLines(out.resolve("patch-sweep.csv"));
    assertEquals(1 + 1024 / 256, rows.size(), "one row per group of 256 of the 1024 features");
    assertTrue(rows.get(1).startsWith(HOOK + ".hook_sae_acts_post,"), rows.get(1));
    // the splice keeps the error term: the clean run's similarity to itself is 1
    assertTrue(r.out().contains("clean 1.0000"), r.out());
  }
}
