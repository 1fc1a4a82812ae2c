package io.anw.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;

/**
 * A 2-D array drawn as a figure: the picture ({@link Images#heatmap}, row 0 at the bottom)
 * inside axes with ticks and titles, a title, and a colour bar labelled with the value range.
 * For a log-mel {@code [mel][frames]} the x axis is time in seconds and the y axis the mel bin.
 */
public final class AxesPicture {
  private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
  private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 14);
  private static final int LEFT = 70;
  private static final int TOP = 48;
  private static final int BOTTOM = 50;
  private static final int BAR = 100;

  private AxesPicture() {}

  /**
   * The figure of {@code values [rows][cols]}.
   *
   * @param secondsPerColumn seconds per column for a time axis, or 0 for plain column indices
   * @param xTitle title of the x axis; {@code yTitle} of the y axis; {@code unit} of the values
   */
  public static BufferedImage of(float[][] values, double secondsPerColumn, String title,
      String xTitle, String yTitle, String unit) {
    int rows = values.length;
    int cols = rows == 0 ? 0 : values[0].length;
    int scale = Math.max(1, Math.min(4, 900 / Math.max(1, Math.max(cols, rows))));
    BufferedImage pic = Images.heatmap(values, scale);
    int w = LEFT + pic.getWidth() + BAR;
    int h = TOP + pic.getHeight() + BOTTOM;
    BufferedImage img = new BufferedImage(Math.max(w, 360), h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
          RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, img.getWidth(), h);
      g.drawImage(pic, LEFT, TOP, null);
      g.setColor(Color.BLACK);
      g.setStroke(new BasicStroke(1f));
      g.drawRect(LEFT - 1, TOP - 1, pic.getWidth() + 1, pic.getHeight() + 1);
      g.setFont(TITLE);
      g.drawString(title, LEFT, TOP - 24);
      g.setFont(FONT);
      FontMetrics fm = g.getFontMetrics();
      // x ticks: about every 80 px, at round values
      double span = secondsPerColumn > 0 ? cols * secondsPerColumn : cols;
      double step = niceStep(span, Math.max(1, pic.getWidth() / 80));
      for (double v = 0; v <= span + 1e-9; v += step) {
        int x = LEFT + (int) Math.round(v / span * pic.getWidth());
        g.drawLine(x, TOP + pic.getHeight(), x, TOP + pic.getHeight() + 4);
        String label = secondsPerColumn > 0 ? NumberText.fixed(v, step < 1 ? 1 : 0)
            : Long.toString(Math.round(v));
        g.drawString(label, x - fm.stringWidth(label) / 2, TOP + pic.getHeight() + 17);
      }
      g.drawString(xTitle, LEFT + (pic.getWidth() - fm.stringWidth(xTitle)) / 2, h - 10);
      // y ticks: row 0 at the bottom
      double ystep = niceStep(rows, Math.max(1, pic.getHeight() / 60));
      for (double v = 0; v <= rows + 1e-9; v += ystep) {
        int y = TOP + pic.getHeight() - (int) Math.round(v / Math.max(1, rows) * pic.getHeight());
        g.drawLine(LEFT - 5, y, LEFT - 1, y);
        String label = Long.toString(Math.round(v));
        g.drawString(label, LEFT - 8 - fm.stringWidth(label), y + 4);
      }
      AffineTransform saved = g.getTransform();
      g.rotate(-Math.PI / 2);
      g.drawString(yTitle, -(TOP + (pic.getHeight() + fm.stringWidth(yTitle)) / 2), 18);
      g.setTransform(saved);
      colourBar(g, values, LEFT + pic.getWidth() + 20, TOP, pic.getHeight(), unit, fm);
    } finally {
      g.dispose();
    }
    return img;
  }

  private static void colourBar(Graphics2D g, float[][] values, int x, int top, int height,
      String unit, FontMetrics fm) {
    float[] range = Images.range(values);
    float min = range[0];
    float max = range[1];
    for (int y = 0; y < height; y++) {
      g.setColor(new Color(Images.colour(1f - y / (float) Math.max(1, height - 1))));
      g.drawLine(x, top + y, x + 14, top + y);
    }
    g.setColor(Color.BLACK);
    g.drawRect(x, top, 14, height);
    if (Float.isFinite(min)) {
      g.drawString(NumberText.fixed(max, 1), x + 18, top + 10);
      g.drawString(NumberText.fixed(min, 1), x + 18, top + height);
    }
    g.drawString(unit, x - 4, top - 6);
  }

  /** A round step (1, 2 or 5 × 10^k) giving about {@code ticks} ticks over {@code span}. */
  public static double niceStep(double span, int ticks) {
    double raw = span / Math.max(1, ticks);
    if (raw <= 0) {
      return 1;
    }
    double p = Math.pow(10, Math.floor(Math.log10(raw)));
    double f = raw / p;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
  }
}
