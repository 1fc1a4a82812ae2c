package io.anw.cli;

import io.anw.activation.CountsFile;
import io.anw.neuron.EntropySelector;
import io.anw.neuron.LapeMasks;
import io.anw.neuron.NeuronSelection;
import io.anw.neuron.SelectionFiles;
import io.anw.neuron.SelectionMethod;
import io.anw.neuron.SelectionParams;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code workbench aape COUNTS.npz --out DIR [--method lape|aape] [--filter-rate R]
 * [--top-rate R] [--activation-bar R] [--lape-mask FILE.neuron.pth]}: selects class-specific neurons and writes
 * {@code neurons.csv}, {@code summary.csv}, analysis tables and plots.
 */
@Command(name = "aape", mixinStandardHelpOptions = true,
    description = "Select class-specific neurons (AAPE/LAPE) from counts; write CSVs and plots.")
public final class AapeCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "COUNTS.npz",
      description = "Counts from `count` (or a stacked / per-class over_zero.pt).")
  Path counts;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
  Path out;

  @Option(names = "--method", defaultValue = "aape",
      description = "lape (filter 0.95, top 0.01, bar 0.95) or aape (filter 0.05, top 0.01, bar 0.95).")
  String method;

  @Option(names = "--filter-rate", paramLabel = "R", description = "Override the filter rate.")
  Double filterRate;

  @Option(names = "--top-rate", paramLabel = "R", description = "Override the top rate.")
  Double topRate;

  @Option(names = "--activation-bar", paramLabel = "R", description = "Override the bar.")
  Double activationBar;

  @Option(names = "--lape-mask", paramLabel = "FILE.neuron.pth",
      description = "Also write the neurons in LAPE's mask format (List[List[LongTensor]]).")
  Path lapeMask;

  @Override
  public Integer call() {
    SelectionParams p = SelectionMethod.parse(method).defaults();
    if (filterRate != null) {
      p = p.withFilterRate(filterRate);
    }
    if (topRate != null) {
      p = p.withTopRate(topRate);
    }
    if (activationBar != null) {
      p = p.withActivationBar(activationBar);
    }
    NeuronSelection s = EntropySelector.select(CountsFile.read(counts), p);
    s.warnings().forEach(w -> System.err.println("warning: " + w));
    SelectionFiles.write(s, out);
    System.out.println(s);
    System.out.println("wrote " + out.resolve("neurons.csv") + " and tables and plots in " + out);
    if (lapeMask != null) {
      LapeMasks.write(s, lapeMask);
      System.out.println("wrote " + lapeMask + " (LAPE mask, classes " + String.join(",",
          s.classes()) + ")");
    }
    return 0;
  }
}
