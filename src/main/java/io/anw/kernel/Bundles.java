package io.anw.kernel;

import io.anw.report.Plots;
import java.util.Map;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * The workbench's MIME bundles ({@link io.anw.report.RichOutput#bundle}) as Jupyter display
 * data; charts also as SVG, which the notebook UIs draw sharp at any zoom.
 */
final class Bundles {
  private Bundles() {}

  /** Every MIME type of {@code bundle} (text, or base64 for binary types), plus SVG for a chart. */
  static DisplayData displayData(Object value, Map<String, String> bundle) {
    DisplayData d = new DisplayData();
    bundle.forEach(d::putData);
    if (value instanceof Chart<?, ?> chart) {
      d.putData("image/svg+xml", Plots.svg(chart));
    }
    return d;
  }
}
