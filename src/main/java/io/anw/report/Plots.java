package io.anw.report;

import io.anw.AtomicFile;
import java.nio.file.Path;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/** Saving XChart charts as files, in the workbench's plot style ({@link PlotStyle}). */
public final class Plots {
  private Plots() {}

  /**
   * Saves {@code chart} as a PNG at {@code path} ({@code .png} appended when missing; parent
   * folders created; written atomically). Returns the path written.
   */
  public static Path savePng(Chart<?, ?> chart, Path path) {
    Path target = path.toString().endsWith(".png") ? path : Path.of(path + ".png");
    PlotStyle.apply(chart);
    return AtomicFile.stream(target,
        out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
  }

  /** Saves {@code chart} as an SVG at {@code path} ({@code .svg} appended when missing). */
  public static Path saveSvg(Chart<?, ?> chart, Path path) {
    Path target = path.toString().endsWith(".svg") ? path : Path.of(path + ".svg");
    PlotStyle.apply(chart);
    return AtomicFile.stream(target, out -> VectorGraphicsEncoder.saveVectorGraphic(chart, out,
        VectorGraphicsEncoder.VectorGraphicsFormat.SVG));
  }

  /** {@code chart} as SVG text, in the workbench's plot style. */
  public static String svg(Chart<?, ?> chart) {
    PlotStyle.apply(chart);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try {
      VectorGraphicsEncoder.saveVectorGraphic(chart, out,
          VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e); // a byte array stream does not fail
    }
    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Saves {@code chart} as {@code base.png} and {@code base.svg}; returns the PNG path. */
  public static Path savePngAndSvg(Chart<?, ?> chart, Path base) {
    saveSvg(chart, Path.of(base + ".svg"));
    return savePng(chart, Path.of(base + ".png"));
  }
}
