package io.anw.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
  void numbersInHtmlTablesFollowTheOneRule() {
    tech.tablesaw.api.Table t = tech.tablesaw.api.Table.create("t",
        tech.tablesaw.api.DoubleColumn.create("random_sd", 1.1390647892519134e-16, 0.0733),
        tech.tablesaw.api.DoubleColumn.create("p", 0.047619047619047616, 0.0001));
    String html = RichOutput.tableHtml(t, 10);
    assertTrue(html.contains("<td class=\"num\">0</td>"), html);
    assertTrue(html.contains(">0.0733<"), html);
    assertTrue(html.contains(">0.048<") && html.contains(">&lt; 0.001<"), html);
    assertFalse(html.contains("e-16"), html);
  }
}
