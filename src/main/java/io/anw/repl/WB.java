package io.anw.repl;

import io.anw.Version;
import io.anw.activation.ActivationCounts;
import io.anw.neuron.EntropySelector;
import io.anw.neuron.NeuronSelection;
import io.anw.neuron.SelectionMethod;
import io.anw.neuron.SelectionParams;
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

  /** AAPE selection (Kawamura et al. defaults: filter 0.05, top 0.01, bar 0.95). */
  @Help(value = "Select class-specific neurons by AAPE (filter 0.05, top 0.01, bar 0.95)",
      group = "neuron", example = "var sel = WB.aape(counts); sel.perClass()")
  public static NeuronSelection aape(ActivationCounts counts) {
    return EntropySelector.select(counts, SelectionMethod.AAPE.defaults());
  }

  /** Selection with explicit parameters, e.g. {@code SelectionMethod.LAPE.defaults().withTopRate(0.02)}. */
  @Help(value = "Select class-specific neurons with given parameters (LAPE or AAPE, rates)",
      group = "neuron", example = "WB.aape(counts, SelectionMethod.LAPE.defaults())")
  public static NeuronSelection aape(ActivationCounts counts, SelectionParams params) {
    return EntropySelector.select(counts, params);
  }

  /**
   * Shows a value as a rich cell output in a notebook (a table as HTML, a chart as an image);
   * in scripts and the REPL prints it.
   */
  @Help(value = "Show a table, chart or clip as a notebook output (prints it elsewhere)",
      group = "report", example = "WB.show(sel.perClass())")
  public static void show(Object value) {
    io.anw.report.Show.show(value);
  }
}
