package io.anw.repl;

import io.anw.Version;
import io.anw.report.Plots;
import java.nio.file.Path;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * The workbench facade, preloaded in the REPL and in {@code .jsh} scripts: its methods are the
 * table of contents of the tool. Each public method carries {@link Help}, from which
 * {@code :help} is generated.
 */
public final class WB {
  private WB() {}

  /** The versions of the workbench, Java, DJL and the tensor engine, one per line. */
  @Help(value = "Versions of the workbench, Java, DJL and the tensor engine", group = "general",
      example = "WB.versions()")
  public static String versions() {
    return "workbench " + Version.workbench() + "\nJava " + Version.java()
        + "\nDJL " + Version.djl() + "\nengine " + Version.engine();
  }

  /** Saves an XChart chart as a PNG (folders created, written atomically); returns the path. */
  @Help(value = "Save an XChart chart as a PNG file", group = "report",
      example = "WB.savePlot(chart, \"out/plots/aape.png\")")
  public static Path savePlot(Chart<?, ?> chart, String path) {
    return Plots.savePng(chart, Path.of(path));
  }
}
