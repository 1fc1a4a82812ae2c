package io.anw.report;

import java.awt.image.BufferedImage;

/** Pictures of arrays: spectrograms and activation maps as colour images. */
public final class Images {
  /** Anchor colours of the viridis colormap, from dark (low) to bright (high). */
  private static final int[][] VIRIDIS = {
    {68, 1, 84}, {72, 40, 120}, {62, 74, 137}, {49, 104, 142}, {38, 130, 142},
    {31, 158, 137}, {53, 183, 121}, {109, 205, 89}, {180, 222, 44}, {253, 231, 37}};

  private Images() {}

  /**
   * A {@code [rows][cols]} array (e.g. a log-mel {@code [mel][frames]}) as an image: row 0 at
   * the bottom (low frequencies down), values scaled linearly from min to max through viridis,
   * each cell drawn as {@code scale × scale} pixels.
   */
  public static BufferedImage heatmap(float[][] values, int scale) {
    int rows = values.length;
    int cols = rows == 0 ? 0 : values[0].length;
    float[] finite = range(values);
    float min = finite[0];
    float max = finite[1];
    float range = max > min ? max - min : 1f;
    BufferedImage img = new BufferedImage(Math.max(1, cols * scale), Math.max(1, rows * scale),
        BufferedImage.TYPE_INT_RGB);
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        float v = values[r][c];
        int rgb = colour(Float.isFinite(v) ? (v - min) / range : 0f);
        for (int dy = 0; dy < scale; dy++) {
          for (int dx = 0; dx < scale; dx++) {
            img.setRGB(c * scale + dx, (rows - 1 - r) * scale + dy, rgb);
          }
        }
      }
    }
    return img;
  }

  /** {@code {min, max}} of the finite values (infinite when there are none). */
  static float[] range(float[][] values) {
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    for (float[] row : values) {
      for (float v : row) {
        if (Float.isFinite(v)) {
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
      }
    }
    return new float[] {min, max};
  }

  /** The viridis colour of {@code t} in [0, 1] as packed RGB. */
  static int colour(float t) {
    float x = Math.max(0f, Math.min(1f, t)) * (VIRIDIS.length - 1);
    int i = Math.min(VIRIDIS.length - 2, (int) x);
    float f = x - i;
    int[] a = VIRIDIS[i];
    int[] b = VIRIDIS[i + 1];
    int red = Math.round(a[0] + f * (b[0] - a[0]));
    int green = Math.round(a[1] + f * (b[1] - a[1]));
    int blue = Math.round(a[2] + f * (b[2] - a[2]));
    return (red << 16) | (green << 8) | blue;
  }
}
