package io.anw.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anw.audio.Clip;
import java.awt.image.BufferedImage;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/** MIME bundles for notebook outputs. */
class RichOutputTest {
  @Test
  void clipsBecomeEmbeddedWavPlayers() {
    Map<String, String> b = RichOutput.bundle(new Clip(new float[1600], 16000), null);
    assertTrue(b.get("text/html").contains("<audio controls"), b.get("text/html"));
    assertTrue(b.get("text/html").contains("src=\"data:audio/wav;base64,UklGR"), "RIFF header");
    assertTrue(b.get("text/plain").startsWith("Clip["));
  }

  @Test
  void tablesAreCappedHtmlWithEscapedCells() {
    Table t = Table.create("a<b", IntColumn.create("x", new int[60]));
    String html = RichOutput.bundle(t, "plain").get("text/html");
    assertTrue(html.contains("<caption>a&lt;b</caption>"));
    assertEquals(RichOutput.MAX_ROWS, html.split("<tr>", -1).length - 2); // header row + rows
    assertTrue(html.contains("10 more rows (60 in all)"));
  }

  @Test
  void picturesOfArraysPutLowRowsAtTheBottom() {
    BufferedImage img = Images.heatmap(new float[][] {{0f, 0f}, {1f, 1f}}, 2);
    assertEquals(4, img.getWidth());
    assertEquals(Images.colour(1f), img.getRGB(0, 0) & 0xffffff, "top row = highest row index");
    assertEquals(Images.colour(0f), img.getRGB(0, 3) & 0xffffff);
    assertTrue(RichOutput.bundle(img, "img").get("image/png").startsWith("iVBOR"));
  }

  @Test
  void numbersInHtmlTablesAreReadable() {
    assertEquals("0.028", RichOutput.number(0.027999999999));
    assertEquals("0.9375", RichOutput.number(0.9375));
    assertEquals("1", RichOutput.number(1.0));
    assertEquals("-0.0062", RichOutput.number(-0.006249999999999978));
    assertEquals("1.235e-05", RichOutput.number(1.2345e-5));
    assertEquals("NaN", RichOutput.number(Double.NaN));
  }
}
