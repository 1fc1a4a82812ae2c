package io.anw.repl;

import io.anw.report.Plots;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Richer REPL renderings for values whose {@code toString()} says little: an XChart chart is
 * saved as a PNG under {@code out/plots/} and shown as its path and size.
 *
 * A Tablesaw table is printed by the workbench's number rule and in the screen's width
 * ({@link io.anw.report.TableText}). Tensors and workbench results print themselves usefully.
 */
public final class Display {
  private static final AtomicInteger CHARTS = new AtomicInteger();
  private static volatile String last;
  private static volatile Object lastObject;

  private Display() {}

  /** Whether values of the Java type named {@code typeName} get a rich rendering. */
  public static boolean isRich(String typeName) {
    return typeName.matches("(org\\.knowm\\.xchart\\.)?\\w*Chart")
        || typeName.matches("(tech\\.tablesaw\\.api\\.)?Table");
  }

  /** The rich rendering of {@code value}, or {@code null} when it has none. */
  public static String render(Object value) {
    if (value instanceof tech.tablesaw.api.Table table) {
      return io.anw.report.TableText.render(table).stripTrailing();
    }
    if (value instanceof Chart<?, ?> chart) {
      String title = chart.getTitle() == null || chart.getTitle().isBlank() ? "chart"
          : chart.getTitle();
      String file = title.replaceAll("[^A-Za-z0-9._-]+", "-") + "-" + CHARTS.incrementAndGet()
          + ".png";
      Path saved = Plots.savePng(chart, Path.of("out", "plots", file));
      return chart.getClass().getSimpleName() + " \"" + title + "\" " + chart.getWidth() + "x"
          + chart.getHeight() + " -> " + saved;
    }
    return null;
  }

  /** Renders {@code value} for the REPL to pick up with {@link #takeLast()}. */
  public static void capture(Object value) {
    last = render(value);
  }

  /** Hands a snippet's value object to the host (notebook runner) in this JVM. */
  public static void captureObject(Object value) {
    lastObject = value;
  }

  /** The last object handed over by {@link #captureObject}, cleared. */
  public static Object takeLastObject() {
    Object o = lastObject;
    lastObject = null;
    return o;
  }

  /** The last captured rendering, cleared. */
  static String takeLast() {
    String s = last;
    last = null;
    return s;
  }
}
