package io.anw.kernel;

import io.anw.report.RichOutput;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;

/** The kernel's logo, drawn at any size: a waveform passing a lit neuron, on a dark tile. */
final class KernelLogo {
  private KernelLogo() {}

  /** The logo as PNG bytes, {@code size × size} pixels. */
  static byte[] png(int size) {
    BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      float s = size / 64f;
      g.setColor(new Color(0x1f2937));
      g.fillRoundRect(0, 0, size, size, Math.round(14 * s), Math.round(14 * s));
      Path2D wave = new Path2D.Float();
      for (int x = 6; x <= 58; x++) {
        double env = Math.sin(Math.PI * (x - 6) / 52.0);
        double y = 32 - 16 * env * Math.sin((x - 6) * 0.55);
        if (x == 6) {
          wave.moveTo(x * s, y * s);
        } else {
          wave.lineTo(x * s, y * s);
        }
      }
      g.setStroke(new BasicStroke(3.2f * s, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
      g.setColor(new Color(0x60a5fa));
      g.draw(wave);
      g.setColor(new Color(0xd1242f));
      float r = 7 * s;
      g.fillOval(Math.round(44 * s - r), Math.round(14 * s - r), Math.round(2 * r),
          Math.round(2 * r));
    } finally {
      g.dispose();
    }
    return RichOutput.pngBytes(img);
  }
}
