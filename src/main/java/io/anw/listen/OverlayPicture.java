package io.anw.listen;

import io.anw.report.NumberText;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;

/**
 * A clip's log-mel (or fbank) in grey with a unit's activation over the token grid drawn on top
 * in colour (each grid cell where {@link TokenGeometry#cellAt} puts it)
 * (positive activations only; opacity and hue scale linearly from 0 to a fixed maximum, the
 * same for all pictures of a unit so they compare), the strongest patch outlined, axes in
 * seconds and Hz (mel-spaced), and a colour bar from 0 to that maximum.
 */
public final class OverlayPicture {
  private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
  private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 12);
  private static final int LEFT = 58;
  private static final int TOP = 26;
  private static final int BOTTOM = 38;
  private static final int RIGHT = 78;
  private static final int MEL_PX = 2;
  private static final double[] HZ_TICKS = {100, 500, 1000, 2000, 4000, 8000, 16000};
  /** Longest stretch of a clip drawn (s); longer clips are shown around the marked token. */
  public static final double MAX_SECONDS = 10;

  private OverlayPicture() {}

  /**
   * The picture.
   *
   * @param logMel the clip's picture {@code [bins][frames]} ({@link TokenGeometry#picture}; any
   *     scale, drawn min to max in grey)
   * @param grid the unit's activation {@code [rows][columns]} ({@link ActivationMaps})
   * @param geo the model's token geometry
   * @param mark the token to outline (null: none)
   * @param max the activation drawn at full colour (e.g. the unit's top activation)
   * @param title the title line
   */
  public static BufferedImage of(float[][] logMel, float[][] grid, TokenGeometry geo,
      TokenPlace mark, double max, String title) {
    return of(logMel, grid, geo, mark, max, title, 0);
  }

  /**
   * The picture of a window of a recording that starts {@code offsetS} seconds in: the time
   * axis is labelled in the recording's seconds ({@code mark} in the window's).
   */
  public static BufferedImage of(float[][] logMel, float[][] grid, TokenGeometry geo,
      TokenPlace mark, double max, String title, double offsetS) {
    int mels = logMel.length;
    int frames = logMel[0].length;
    double spf = geo.secondsPerFrame();
    int from = 0;
    int to = frames;
    if (frames * spf > MAX_SECONDS) {
      double centre = mark != null && mark.inAudio() ? mark.centreS() : MAX_SECONDS / 2;
      from = (int) Math.max(0, Math.round((centre - MAX_SECONDS / 2) / spf));
      to = (int) Math.min(frames, from + Math.round(MAX_SECONDS / spf));
      from = Math.max(0, to - (int) Math.round(MAX_SECONDS / spf));
    }
    int cols = to - from;
    int px = Math.max(1, Math.min(4, 640 / Math.max(1, cols)));
    int w = cols * px;
    int h = mels * MEL_PX;
    BufferedImage img = new BufferedImage(LEFT + w + RIGHT, TOP + h + BOTTOM,
        BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
          RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, img.getWidth(), img.getHeight());
      float lo = Float.POSITIVE_INFINITY;
      float hi = Float.NEGATIVE_INFINITY;
      for (float[] row : logMel) {
        for (int c = from; c < to; c++) {
          if (Float.isFinite(row[c])) {
            lo = Math.min(lo, row[c]);
            hi = Math.max(hi, row[c]);
          }
        }
      }
      float span = hi > lo ? hi - lo : 1;
      for (int m = 0; m < mels; m++) {
        for (int c = from; c < to; c++) {
          float grey = Float.isFinite(logMel[m][c]) ? (logMel[m][c] - lo) / span : 0;
          int base = (int) (40 + 200 * grey);
          int rgb = base;
          int r = base;
          int gg = base;
          int b = base;
          int[] cell = geo.cellAt(m, c);
          int f = cell[0];
          int t = cell[1];
          if (f >= 0 && t >= 0 && f < grid.length && t < grid[f].length && max > 0 && grid[f][t] > 0) {
            double a = Math.min(1, grid[f][t] / max);
            int[] hot = hot(a);
            double alpha = 0.6 * a;
            r = (int) (r * (1 - alpha) + hot[0] * alpha);
            gg = (int) (gg * (1 - alpha) + hot[1] * alpha);
            b = (int) (b * (1 - alpha) + hot[2] * alpha);
          }
          rgb = (r << 16) | (gg << 8) | b;
          int x0 = LEFT + (c - from) * px;
          int y0 = TOP + (mels - 1 - m) * MEL_PX;
          for (int dy = 0; dy < MEL_PX; dy++) {
            for (int dx = 0; dx < px; dx++) {
              img.setRGB(x0 + dx, y0 + dy, rgb);
            }
          }
        }
      }
      g.setColor(Color.BLACK);
      g.drawRect(LEFT - 1, TOP - 1, w + 1, h + 1);
      if (mark != null && mark.inAudio() && !geo.summarises(mark)) {
        g.setColor(new Color(0, 200, 255));
        g.setStroke(new BasicStroke(2f));
        int x0 = LEFT + (int) Math.round((mark.startS() / spf - from) * px);
        int x1 = LEFT + (int) Math.round((mark.endS() / spf - from) * px);
        int y1 = TOP + h - (int) Math.round(geo.axisPosition(mark.freqLoHz()) * h);
        int y0 = TOP + h - (int) Math.round(geo.axisPosition(mark.freqHiHz()) * h);
        g.drawRect(x0, y0, Math.max(2, x1 - x0), Math.max(2, y1 - y0));
        g.setStroke(new BasicStroke(1f));
      }
      g.setColor(Color.BLACK);
      g.setFont(TITLE);
      g.drawString(title, LEFT, TOP - 9);
      g.setFont(FONT);
      FontMetrics fm = g.getFontMetrics();
      double seconds = cols * spf;
      double step = io.anw.report.AxesPicture.niceStep(seconds, Math.max(1, w / 70));
      double first = Math.ceil((offsetS + from * spf) / step - 1e-9) * step;
      for (double v = first; v <= offsetS + to * spf + 1e-9; v += step) {
        int x = LEFT + (int) Math.round(((v - offsetS) / spf - from) * px);
        g.drawLine(x, TOP + h, x, TOP + h + 4);
        String label = NumberText.fixed(v, step < 0.1 ? 2 : step < 1 ? 1 : 0);
        g.drawString(label, x - fm.stringWidth(label) / 2, TOP + h + 16);
      }
      String xTitle = "time (s)";
      g.drawString(xTitle, LEFT + (w - fm.stringWidth(xTitle)) / 2, TOP + h + 32);
      for (double hz : HZ_TICKS) {
        if (hz < geo.fminHz() || hz > geo.fmaxHz()) {
          continue;
        }
        int y = TOP + h - (int) Math.round(geo.axisPosition(hz) * h);
        g.drawLine(LEFT - 5, y, LEFT - 1, y);
        String label = hz >= 1000 ? NumberText.fixed(hz / 1000, 0) + "k" : NumberText.fixed(hz, 0);
        g.drawString(label, LEFT - 8 - fm.stringWidth(label), y + 4);
      }
      AffineTransform saved = g.getTransform();
      g.rotate(-Math.PI / 2);
      String yTitle = "frequency (Hz)";
      g.drawString(yTitle, -(TOP + (h + fm.stringWidth(yTitle)) / 2), 14);
      g.setTransform(saved);
      int bx = LEFT + w + 14;
      for (int y = 0; y < h; y++) {
        double a = 1 - y / (double) Math.max(1, h - 1);
        int[] hot = hot(a);
        double alpha = 0.6 * a;
        int grey = 140;
        g.setColor(new Color((int) (grey * (1 - alpha) + hot[0] * alpha),
            (int) (grey * (1 - alpha) + hot[1] * alpha), (int) (grey * (1 - alpha)
            + hot[2] * alpha)));
        g.drawLine(bx, TOP + y, bx + 12, TOP + y);
      }
      g.setColor(Color.BLACK);
      g.drawRect(bx, TOP, 12, h);
      g.drawString(NumberText.fixed(max, max >= 10 ? 1 : 2), bx + 16, TOP + 9);
      g.drawString("0", bx + 16, TOP + h);
      g.drawString("act.", bx - 2, TOP - 9 + 0);
    } finally {
      g.dispose();
    }
    return img;
  }

  /** A yellow-to-red ramp: low activations orange-yellow, the strongest deep red. */
  private static int[] hot(double a) {
    return new int[] {255, (int) (220 - 200 * a), (int) (60 - 60 * a)};
  }
}
