package io.anw.neuron;

import io.anw.report.CsvFiles;
import io.anw.report.Plots;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tech.tablesaw.api.Table;

/**
 * Writes a selection to a folder: {@code neurons.csv} ({@code layer,neuron,class,aape}, one row
 * per neuron-class assignment), {@code summary.csv}, {@code per_class.csv}, {@code per_layer.csv},
 * {@code sharing.csv}, and the plots of {@link SelectionPlots} as PNG and SVG.
 */
public final class SelectionFiles {
  private SelectionFiles() {}

  /** Writes everything under {@code dir}; returns the files written. */
  public static List<Path> write(NeuronSelection s, Path dir) {
    List<Path> written = new ArrayList<>();
    written.add(writeCsv(s.table(), dir.resolve("neurons.csv")));
    written.add(writeCsv(s.summary(), dir.resolve("summary.csv")));
    written.add(writeCsv(s.perClass(), dir.resolve("per_class.csv")));
    written.add(writeCsv(s.perLayer(), dir.resolve("per_layer.csv")));
    written.add(writeCsv(s.sharing(), dir.resolve("sharing.csv")));
    Path plots = dir.resolve("plots");
    written.add(Plots.savePngAndSvg(SelectionPlots.entropyHistogram(s), plots.resolve("entropy")));
    written.add(Plots.savePngAndSvg(SelectionPlots.layerDistribution(s), plots.resolve("layers")));
    written.add(Plots.savePngAndSvg(SelectionPlots.classLayerHeatmap(s),
        plots.resolve("class_layer")));
    written.add(Plots.savePngAndSvg(SelectionPlots.sharingHeatmap(s), plots.resolve("sharing")));
    return written;
  }

  private static Path writeCsv(Table table, Path file) {
    return CsvFiles.write(table, file);
  }
}
