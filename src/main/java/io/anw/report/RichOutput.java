package io.anw.report;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import tech.tablesaw.api.Table;

/**
 * Renders a value as a MIME bundle for notebooks (Jupyter's display model): always
 * {@code text/plain}; {@code text/html} for Tablesaw tables (first {@link #MAX_ROWS} rows) and
 * for values that render themselves ({@link Rich}); {@code image/png} (base64) for XChart
 * charts and {@link BufferedImage}s.
 */
public final class RichOutput {
  /** Rows of a table shown in HTML before "… N more rows". */
  public static final int MAX_ROWS = 50;

  /** A value that knows its own notebook rendering (e.g. an audio clip as an audio player). */
  public interface Rich {
    /** MIME type to data (text, or base64 for binary types). */
    Map<String, String> mimeBundle();
  }

  private RichOutput() {}

  /** The MIME bundle of {@code value}; plain text only when it has no richer form. */
  public static Map<String, String> bundle(Object value, String plainText) {
    Map<String, String> out = new LinkedHashMap<>();
    if (value instanceof Rich rich) {
      out.putAll(rich.mimeBundle());
    } else if (value instanceof Table table) {
      out.put("text/html", tableHtml(table, MAX_ROWS));
    } else if (value instanceof Chart<?, ?> chart) {
      out.put("image/png", base64(pngBytes(chart)));
    } else if (value instanceof BufferedImage image) {
      out.put("image/png", base64(pngBytes(image)));
    }
    out.putIfAbsent("text/plain", value instanceof Table t ? TableText.render(t)
        : value instanceof Chart<?, ?> chart ? chartText(chart)
        : plainText != null ? plainText : String.valueOf(value));
    return out;
  }

  /** A chart's plain-text stand-in: its kind and title, e.g. {@code XYChart "line"}. */
  static String chartText(Chart<?, ?> chart) {
    String title = chart.getTitle();
    return chart.getClass().getSimpleName() + (title == null || title.isBlank() ? ""
        : " \"" + title + "\"");
  }

  /** A Tablesaw table as an HTML {@code <table>} with a caption, numbers right-aligned. */
  public static String tableHtml(Table table, int maxRows) {
    StringBuilder sb = new StringBuilder("<table class=\"dataframe\">");
    if (table.name() != null && !table.name().isBlank()) {
      sb.append("<caption>").append(escape(table.name())).append("</caption>");
    }
    sb.append("<thead><tr>");
    for (String name : table.columnNames()) {
      // headers may break after an underscore, so wide tables fit the page
      sb.append("<th>").append(escape(name).replace("_", "_<wbr>")).append("</th>");
    }
    sb.append("</tr></thead><tbody>");
    int rows = Math.min(maxRows, table.rowCount());
    String[][] cells = new String[table.columnCount()][];
    for (int c = 0; c < cells.length; c++) {
      cells[c] = TableText.cells(table.column(c), rows); // the one number rule
    }
    for (int r = 0; r < rows; r++) {
      sb.append("<tr>");
      for (int c = 0; c < table.columnCount(); c++) {
        Object v = table.column(c).size() > r ? table.column(c).get(r) : null;
        boolean numeric = v instanceof Number;
        sb.append(numeric ? "<td class=\"num\">" : "<td>").append(escape(cells[c][r]))
            .append("</td>");
      }
      sb.append("</tr>");
    }
    sb.append("</tbody></table>");
    if (table.rowCount() > rows) {
      sb.append("<p class=\"more\">… ").append(table.rowCount() - rows).append(" more rows (")
          .append(table.rowCount()).append(" in all)</p>");
    }
    return sb.toString();
  }

  /** A chart as PNG bytes. */
  public static byte[] pngBytes(Chart<?, ?> chart) {
    PlotStyle.apply(chart);
    return pngBytes(BitmapEncoder.getBufferedImage(chart));
  }

  /** An image as PNG bytes. */
  public static byte[] pngBytes(BufferedImage image) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      ImageIO.write(image, "png", bytes);
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Standard base64 without line breaks. */
  public static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  /** Escapes {@code & < > "} for HTML text and attributes. */
  public static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
