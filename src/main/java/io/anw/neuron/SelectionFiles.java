package io.anw.neuron;

import io.anw.report.CsvFiles;
import io.anw.report.Plots;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.ColumnType;
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
    List<Path> written = write(s.table(), s.summary(), s.neuronSets(), dir);
    written.add(Plots.savePngAndSvg(SelectionPlots.entropyHistogram(s),
        dir.resolve("plots").resolve("entropy")));
    return written;
  }

  /**
   * Writes imported (or any) neuron sets under {@code dir}: {@code neurons.csv} (aape NaN where
   * unknown), {@code summary.csv}, {@code per_class.csv}, {@code per_layer.csv},
   * {@code sharing.csv} and the layer, class × layer and sharing plots (PNG and SVG).
   */
  public static List<Path> write(ClassNeurons s, Path dir) {
    return write(s.table(), s.summary(), s, dir);
  }

  /** The files both kinds share; {@code neurons} and {@code summary} are the caller's own. */
  private static List<Path> write(Table neurons, Table summary, ClassNeurons s, Path dir) {
    List<Path> written = new ArrayList<>();
    written.add(writeCsv(neurons, dir.resolve("neurons.csv")));
    written.add(writeCsv(summary, dir.resolve("summary.csv")));
    written.add(writeCsv(s.perClass(), dir.resolve("per_class.csv")));
    written.add(writeCsv(s.perLayer(), dir.resolve("per_layer.csv")));
    written.add(writeCsv(s.sharing(), dir.resolve("sharing.csv")));
    Path plots = dir.resolve("plots");
    written.add(Plots.savePngAndSvg(SelectionPlots.layerDistribution(s), plots.resolve("layers")));
    written.add(Plots.savePngAndSvg(SelectionPlots.classLayerHeatmap(s),
        plots.resolve("class_layer")));
    written.add(Plots.savePngAndSvg(SelectionPlots.sharingHeatmap(s), plots.resolve("sharing")));
    return written;
  }

  /**
   * Reads a {@code neurons.csv} ({@code layer,neuron,class[,aape]}) back into neuron sets.
   * Classes without neurons are not in it, nor is the model's depth, so these come from the
   * arguments, else from {@code per_class.csv} (class order) and {@code summary.csv} or
   * {@code per_layer.csv} (layers) beside it when present, else from the rows (first-appearance
   * order; highest layer + 1).
   *
   * @param classes the class order, or null
   * @param layers the layer count, or 0
   */
  public static ClassNeurons readNeurons(Path csv, List<String> classes, int layers) {
    Table t = readCsv(csv, Map.of("layer", ColumnType.INTEGER, "neuron", ColumnType.INTEGER,
        "class", ColumnType.STRING, "aape", ColumnType.DOUBLE));
    Path dir = csv.toAbsolutePath().getParent();
    if ((classes == null || classes.isEmpty()) && Files.isRegularFile(dir.resolve("per_class.csv"))) {
      Table pc = readCsv(dir.resolve("per_class.csv"), Map.of("class", ColumnType.STRING));
      classes = pc.stringColumn("class").asList();
    }
    if (layers <= 0 && Files.isRegularFile(dir.resolve("summary.csv"))) {
      Table sum = readCsv(dir.resolve("summary.csv"), Map.of());
      if (sum.columnNames().contains("layers") && sum.rowCount() == 1) {
        layers = ((Number) sum.column("layers").get(0)).intValue();
      }
    }
    if (layers <= 0 && Files.isRegularFile(dir.resolve("per_layer.csv"))) {
      layers = readCsv(dir.resolve("per_layer.csv"), Map.of()).rowCount();
    }
    return ClassNeurons.fromTable(csv.getFileName().toString(), t,
        classes == null || classes.isEmpty() ? null : classes, layers);
  }

  private static Table readCsv(Path file, Map<String, ColumnType> types) {
    return CsvFiles.readTable(file, types);
  }

  private static Path writeCsv(Table table, Path file) {
    return CsvFiles.write(table, file);
  }
}
