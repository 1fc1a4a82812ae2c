package io.anw.listen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anw.DevToolsBrowser;
import io.anw.GradMode;
import io.anw.activation.ActivationCounter;
import io.anw.activation.ActivationCounts;
import io.anw.audio.Clip;
import io.anw.audio.Dataset;
import io.anw.audio.WavFile;
import io.anw.model.M2dViT;
import io.anw.neuron.SelectionMethod;
import io.anw.neuron.NeuronSelection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The explorer in a real browser (headless Chromium over the DevTools protocol): the index and
 * a unit page render (screenshots not blank), the page has its players and pictures and a WAV
 * decodes, the filter box filters, and no request leaves {@code file://}.
 */
class ExplorerInChromiumTest {
  @TempDir Path dir;

  static Path tones(Path dir) throws Exception {
    Files.createDirectories(dir);
    Random rnd = new Random(11);
    List<String> rows = new ArrayList<>(List.of("file_name,label"));
    String[] labels = {"low", "mid", "high"};
    double[] hz = {200, 800, 3000};
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < 8; i++) {
        float[] x = new float[16000];
        double f = hz[c] * (1 + 0.1 * rnd.nextGaussian());
        for (int t = 0; t < x.length; t++) {
          x[t] = (float) (0.3 * Math.sin(2 * Math.PI * f * t / 16000) * Math.sin(Math.PI * t
              / x.length) + 0.01 * rnd.nextGaussian());
        }
        String name = labels[c] + i + ".wav";
        WavFile.write(dir.resolve(name), new Clip(x, 16000));
        rows.add(name + "," + labels[c]);
      }
    }
    Files.write(dir.resolve("labels.csv"), rows);
    return dir.resolve("labels.csv");
  }

  @Test
  void theSiteRendersPlaysFiltersAndStaysOnFile() throws Exception {
    Path chromium = Path.of("/usr/bin/chromium");
    Assumptions.assumeTrue(Files.isExecutable(chromium),
        "chromium not installed: explorer browser test skipped (apt-get install chromium)");
    GradMode.setThreads(1);
    Dataset data = Dataset.open(tones(dir.resolve("tones")));
    Path site = dir.resolve("site");
    try (M2dViT vit = io.anw.model.ModelFiles.loadM2d(
        Path.of("samples/models/m2d-tiny.safetensors"))) {
      ActivationCounts counts;
      try (ActivationCounter counter = new ActivationCounter(vit, data.classes());
          ai.djl.ndarray.NDManager inputs = ai.djl.ndarray.NDManager.newBaseManager()) {
        var ex = io.anw.activation.DatasetInputs.examples(vit, data, inputs);
        counter.addAll(ex.inputs(), ex.labels(), 8);
        counts = counter.counts(Map.of());
      }
      NeuronSelection sel = io.anw.neuron.EntropySelector.select(counts,
          SelectionMethod.LAPE.defaults());
      Assumptions.assumeFalse(sel.allNeurons().isEmpty(), "no neuron selected");
      Explorer.Site s = Explorer.write(vit, data, Explorer.Inputs.of(
          ClassAssignments.of(sel, "selection")).withCounts(counts),
          Explorer.Options.defaults().withK(3).withUnitsPerClass(2), site, (a, b, c) -> { });
      assertEquals(List.of(), SiteLinks.broken(site));
      assertTrue(s.bytes() > 0 && s.files() > 5);
    }
    Path shots = Path.of("target", "explorer-screenshots");
    Files.createDirectories(shots);
    // the profile lives outside the test's folder: the browser may still touch it as it exits
    Path profile = Files.createTempDirectory("explorer-chromium");
    try (DevToolsBrowser b = DevToolsBrowser.start(chromium, profile)) {
      b.navigate(site.resolve("index.html").toUri().toString());
      int rows = b.eval("document.querySelectorAll('#units tbody tr').length").getAsInt();
      assertTrue(rows >= 2, "unit rows: " + rows);
      assertTrue(b.eval("document.getElementById('count').textContent").getAsString()
          .endsWith(rows + " units"), "the script ran");
      String firstClass = b.eval("document.querySelector('#units tbody tr').dataset.class"
          + ".split(' ')[0]").getAsString();
      int shown = b.eval("(() => { const box = document.getElementById('filter');"
          + " box.value = 'class:" + firstClass + "'; box.dispatchEvent(new Event('input'));"
          + " return [...document.querySelectorAll('#units tbody tr')].filter(r => !r.hidden)"
          + ".length; })()").getAsInt();
      assertTrue(shown >= 1 && shown <= rows, "filtered to " + shown + " of " + rows);
      int none = b.eval("(() => { const box = document.getElementById('filter');"
          + " box.value = 'no-such-unit'; box.dispatchEvent(new Event('input'));"
          + " return [...document.querySelectorAll('#units tbody tr')].filter(r => !r.hidden)"
          + ".length; })()").getAsInt();
      assertEquals(0, none, "a filter that matches nothing hides every row");
      b.eval("(() => { const box = document.getElementById('filter'); box.value = '';"
          + " box.dispatchEvent(new Event('input')); return 0; })()");
      byte[] index = b.screenshot();
      Files.write(shots.resolve("index.png"), index);
      assertTrue(DevToolsBrowser.colours(index) > 30, "index screenshot looks blank");
      // the first unit's page: players, pictures, a WAV that decodes
      String href = b.eval("document.querySelector('#units tbody tr a').getAttribute('href')")
          .getAsString();
      b.navigate(site.resolve(href).toUri().toString());
      assertTrue(b.eval("document.querySelectorAll('audio').length").getAsInt() >= 6,
          "excerpt and focused players for 3 clips");
      assertTrue(b.eval("document.querySelectorAll('figure.clip img').length").getAsInt() >= 3);
      double seconds = b.eval("new Promise((ok, fail) => { const a = document.querySelector("
          + "'audio'); a.preload = 'auto'; a.addEventListener('loadedmetadata', () => ok("
          + "a.duration)); a.addEventListener('error', () => fail('audio error ' + a.error.code));"
          + " a.load(); })").getAsDouble();
      assertTrue(seconds > 0.1 && seconds < 2, "the excerpt decodes: " + seconds + " s");
      boolean pictureLoaded = b.eval("new Promise(ok => { const i = document.querySelector("
          + "'figure.clip img'); i.scrollIntoView(); const check = () => i.complete ?"
          + " ok(i.naturalWidth > 100) : setTimeout(check, 50); check(); })").getAsBoolean();
      assertTrue(pictureLoaded, "the overlay picture loads");
      b.eval("window.scrollTo(0, 0)");
      byte[] unit = b.screenshot();
      Files.write(shots.resolve("unit.png"), unit);
      assertTrue(DevToolsBrowser.colours(unit) > 30, "unit page screenshot looks blank");
      List<String> requests = b.requests();
      assertTrue(requests.size() >= 5, "requests seen: " + requests);
      for (String url : requests) {
        assertTrue(url.startsWith("file://") || url.startsWith("data:")
            || url.equals("about:blank"), "a request left file://: " + url);
      }
    } finally {
      deleteQuietly(profile);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (var s = Files.walk(dir)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      // a temporary profile; the OS cleans /tmp
    }
  }
}
