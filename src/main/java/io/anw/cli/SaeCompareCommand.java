package io.anw.cli;

import io.anw.activation.CountsFile;
import io.anw.neuron.SelectionMethod;
import io.anw.neuron.SelectionParams;
import io.anw.pipeline.SaeComparison;
import io.anw.report.CsvFiles;
import io.anw.sae.SaeFiles;
import io.anw.sae.SparseAutoencoder;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sae compare NEURON_COUNTS.npz FEATURE_COUNTS.npz --out DIR [--sae DIR]}. */
@Command(name = "compare", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = "Neurons vs SAE features with the same selection settings: class-specific "
        + "units, coverage, polysemanticity, shared units, and the features that split each "
        + "polysemantic neuron (with --sae).")
final class SaeCompareCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "NEURON_COUNTS.npz", description = "`count` output.")
  Path neuronCounts;

  @Parameters(index = "1", paramLabel = "FEATURE_COUNTS.npz",
      description = "`count --sae` output of the same model and data.")
  Path featureCounts;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
  Path out;

  @Option(names = "--sae", paramLabel = "DIR",
      description = "The SAE of the feature counts (for the decoder split of neurons).")
  Path sae;

  @Option(names = "--method", defaultValue = "aape", description = "aape or lape settings.")
  String method;

  @Option(names = "--top-rate", paramLabel = "R", description = "Override the top rate.")
  Double topRate;

  @Override
  public Integer call() {
    SelectionParams p = SelectionMethod.parse(method).defaults();
    if (topRate != null) {
      p = p.withTopRate(topRate);
    }
    SaeComparison c;
    try (SparseAutoencoder s = sae == null ? null : SaeFiles.load(sae)) {
      c = SaeComparison.of(CountsFile.read(neuronCounts), CountsFile.read(featureCounts), p, s);
    }
    CsvFiles.write(c.summary(), out.resolve("summary.csv"));
    CsvFiles.write(c.sharing(), out.resolve("sharing.csv"));
    if (c.split() != null) {
      CsvFiles.write(c.split(), out.resolve("split.csv"));
    }
    System.out.println(c);
    System.out.println("wrote " + out);
    return 0;
  }
}
