package io.anw.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rendered HTML in a real browser: a screenshot that shows text, the table and the plot. */
class HtmlInChromiumTest {
  @TempDir Path dir;

  @Test
  void screenshotShowsTableAndPlot() throws Exception {
    Path chromium = Path.of("/usr/bin/chromium");
    Assumptions.assumeTrue(Files.isExecutable(chromium),
        "chromium not installed: HTML screenshot test skipped (apt-get install chromium)");
    Path nb = dir.resolve("shot.jsh");
    Files.writeString(nb, String.join("\n",
        "// %% [markdown]",
        "// # Screenshot",
        "// %%",
        "Table.create(\"t\", IntColumn.create(\"layer\", new int[] {1, 2}))",
        "// %%",
        "XYChart c = new XYChartBuilder().width(500).height(300).title(\"line\").build();",
        "c.addSeries(\"y\", new double[] {0, 1, 2}, new double[] {0, 4, 1});",
        "c", ""));
    Path html = HtmlWriter.write(NotebookRunner.run(nb, false, null), dir.resolve("shot.html"));
    Path png = dir.resolve("shot.png");
    Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox",
        "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--hide-scrollbars",
        "--user-data-dir=" + dir.resolve("profile"), "--window-size=1000,1200",
        "--screenshot=" + png, html.toUri().toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium did not finish");
    assertEquals(0, p.exitValue(), Files.readString(dir.resolve("chromium.log")));
    BufferedImage shot = ImageIO.read(png.toFile());
    assertEquals(1000, shot.getWidth());
    // Not blank: many distinct colours (text, table rules, the plot's series and axes).
    java.util.Set<Integer> colours = new java.util.HashSet<>();
    for (int y = 0; y < shot.getHeight(); y += 3) {
      for (int x = 0; x < shot.getWidth(); x += 3) {
        colours.add(shot.getRGB(x, y));
      }
    }
    assertTrue(colours.size() > 50, "screenshot looks blank: " + colours.size() + " colours");
    // The plot is an <img> rendered below the table: its area has the chart's non-white pixels.
    int coloured = 0;
    for (int y = 300; y < shot.getHeight(); y += 2) {
      for (int x = 0; x < shot.getWidth(); x += 2) {
        int rgb = shot.getRGB(x, y) & 0xffffff;
        int r = rgb >> 16;
        int g = (rgb >> 8) & 0xff;
        int b = rgb & 0xff;
        if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 60) {
          coloured++;
        }
      }
    }
    assertTrue(coloured > 100, "no coloured plot pixels found: " + coloured);
  }
}
