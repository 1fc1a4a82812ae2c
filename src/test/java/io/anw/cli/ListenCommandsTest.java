package io.anw.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anw.audio.WavFile;
import io.anw.listen.SiteLinks;
import io.anw.listen.TopResult;
import io.anw.report.CsvFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code top} and {@code explore} end to end on the shipped tiny M2D and a tone dataset, with
 * the real outputs of {@code count}, {@code aape} and {@code ablate} as the explorer's inputs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ListenCommandsTest {
  private static final String MODEL = "samples/models/m2d-tiny.safetensors";
  private Path tmp;
  private Path data;
  private Path sel;

  @BeforeAll
  void select(@TempDir Path dir) throws IOException {
    tmp = dir;
    data = SaeCommandsTest.tones(tmp.resolve("tones"));
    CliRun c = CliRun.exec("count", "--model", MODEL, "--data", data.toString(), "--split",
        "train", "--out", tmp.resolve("counts.npz").toString());
    assertEquals(0, c.code(), c.err());
    sel = tmp.resolve("sel");
    CliRun a = CliRun.exec("aape", tmp.resolve("counts.npz").toString(), "--method", "lape",
        "--out", sel.toString());
    assertEquals(0, a.code(), a.err());
    assertTrue(CsvFiles.read(sel.resolve("neurons.csv")).size() > 3, "a non-empty selection");
  }

  @Test
  void topWritesRankedClipsWithPlacesAndSnippets() throws IOException {
    Path out = tmp.resolve("top");
    CliRun r = CliRun.exec("top", "--model", MODEL, "--data", data.toString(), "--neurons",
        sel.resolve("neurons.csv").toString(), "--class", "low", "--k", "3", "--quantiles", "2",
        "--per-quantile", "2", "--snippets", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    List<CsvFiles.Row> top = CsvFiles.read(out.resolve("top.csv"));
    assertEquals(TopResult.COLUMNS, top.get(0).fields());
    Map<String, Integer> perUnit = new TreeMap<>();
    for (CsvFiles.Row row : top.subList(1, top.size())) {
      List<String> f = row.fields();
      perUnit.merge(f.get(0) + ":" + f.get(1), 1, Integer::sum);
      double start = Double.parseDouble(f.get(8));
      double end = Double.parseDouble(f.get(9));
      assertTrue(start >= 0 && end > start && end <= 1.0 + 1e-9, "within the 1 s clip: " + f);
      assertTrue(Double.parseDouble(f.get(10)) >= 50 && Double.parseDouble(f.get(11)) <= 8000);
      assertTrue(Files.isRegularFile((Files.isDirectory(data) ? data : data.getParent())
          .resolve(f.get(3))), f.get(3));
    }
    assertTrue(perUnit.values().stream().allMatch(n -> n == 3), "k rows per unit: " + perUnit);
    List<CsvFiles.Row> q = CsvFiles.read(out.resolve("quantiles.csv"));
    assertEquals("quantile", q.get(0).fields().get(2));
    assertEquals(1 + perUnit.size() * 4, q.size(), "2 bins x 2 examples per unit");
    String unit = "L" + top.get(1).fields().get(0) + ".N" + top.get(1).fields().get(1);
    Path snip = out.resolve("snippets").resolve(unit);
    var excerpt = WavFile.read(snip.resolve("top-01-excerpt.wav"));
    assertEquals(16000, excerpt.sampleRate());
    double span = Double.parseDouble(top.get(1).fields().get(9))
        - Double.parseDouble(top.get(1).fields().get(8));
    assertTrue(excerpt.seconds() > span && excerpt.seconds() <= span + 1.0 + 1e-3,
        "span plus at most 0.5 s either side: " + excerpt.seconds());
    assertEquals(excerpt.length(), WavFile.read(snip.resolve("top-01-focused.wav")).length());
    assertTrue(Files.size(snip.resolve("top-01.png")) > 2000);
    assertTrue(Files.readString(out.resolve("top.json")).contains("weights_sha256"));
    assertFalse(Files.exists(out.resolve("top.partial.json")), "the partial state is removed");
    assertTrue(r.out().contains("top clips per unit"), r.out());
  }

  @Test
  void exploreWritesASiteWhoseLinksAllResolve() throws IOException {
    Path abl = tmp.resolve("abl");
    CliRun a = CliRun.exec("ablate", "--model", MODEL, "--data", data.toString(), "--neurons",
        sel.resolve("neurons.csv").toString(), "--class", "high", "--random", "3", "--out",
        abl.toString());
    assertEquals(0, a.code(), a.err());
    Path site = tmp.resolve("site");
    CliRun r = CliRun.exec("explore", "--model", MODEL, "--data", data.toString(), "--split",
        "train", "--selection", sel.toString(), "--counts", tmp.resolve("counts.npz").toString(),
        "--ablation", abl.toString(), "--k", "2", "--units-per-class", "2", "--out",
        site.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("explorer:") && r.out().contains("MB"), r.out());
    assertEquals(List.of(), SiteLinks.broken(site));
    String index = Files.readString(site.resolve("index.html"));
    assertTrue(index.contains("id=\"class-low\"") && index.contains("id=\"class-high\""));
    assertTrue(index.contains("id=\"filter\""));
    assertTrue(index.contains("Deactivation"), "the ablation summary is on the index");
    List<Path> pages;
    try (var s = Files.list(site.resolve("units"))) {
      pages = s.sorted().toList();
    }
    assertTrue(pages.size() >= 2 && pages.size() <= 4, "2 units per class at most: " + pages);
    String page = Files.readString(pages.get(0));
    assertTrue(page.contains("<audio") && page.contains("<img"), "players and overlays");
    assertTrue(page.contains("Activation probability per class") && page.contains("%\"></span>"),
        "class-probability bars from the counts");
    assertTrue(SiteLinks.count(pages.get(0)) > 10);
    // running again replaces the site whole, and leaves no temporary folders behind
    CliRun again = CliRun.exec("explore", "--model", MODEL, "--data", data.toString(), "--split",
        "train", "--neurons", sel.resolve("neurons.csv").toString(), "--k", "1",
        "--units-per-class", "1", "--quantiles", "0", "--out", site.toString());
    assertEquals(0, again.code(), again.err());
    assertEquals(List.of(), SiteLinks.broken(site));
    try (var s = Files.list(tmp)) {
      assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".site")));
    }
  }

  @Test
  void badInputGetsOneLineErrors() {
    CliRun r = CliRun.exec("explore", "--model", MODEL, "--data", data.toString(),
        "--selection", tmp.resolve("nowhere").toString(), "--out", tmp.resolve("x").toString());
    assertEquals(1, r.code());
    assertTrue(r.err().strip().lines().count() == 1 && r.err().contains("no neurons.csv"),
        r.err());
    CliRun u = CliRun.exec("top", "--model", MODEL, "--data", data.toString(), "--units",
        "2:9999", "--out", tmp.resolve("y").toString());
    assertEquals(1, u.code());
    assertTrue(u.err().contains("outside") && u.err().strip().lines().count() == 1, u.err());
    CliRun h = CliRun.exec("top", "--model", MODEL, "--data", data.toString(), "--hook",
        "blocks.1.hook_resid_post", "--units", "0:1", "--out", tmp.resolve("z").toString());
    assertEquals(1, h.code());
    assertTrue(h.err().contains("no point"), h.err());
  }
}
