package io.anw.cli;

import io.anw.audio.Dataset;
import io.anw.intervention.DeactivationResult;
import io.anw.intervention.ProbeOptions;
import io.anw.model.Batcher;
import io.anw.model.AudioModel;
import io.anw.model.ModelFiles;
import io.anw.neuron.Neuron;
import io.anw.neuron.NeuronCsv;
import io.anw.pipeline.Ablation;
import io.anw.pipeline.AblationMode;
import io.anw.report.CsvFiles;
import io.anw.report.Plots;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code workbench ablate --model CKPT --data DATA --neurons neurons.csv [--class C] --out DIR}:
 * trains a linear probe on the train split, deactivates the neurons on the test split and
 * compares with random sets of the same per-layer counts ({@link Ablation}, as
 * {@code WB.deactivate}).
 */
@Command(name = "ablate", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = "Deactivate neurons (from neurons.csv) and compare the probe's accuracy drop "
        + "with random neuron sets of the same per-layer counts.")
public final class AblateCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "CKPT",
      description = ModelOption.DESCRIPTION)
  Path model;

  @Option(names = "--data", required = true, paramLabel = "DATA",
      description = "Dataset with train and test splits (CSV or class folders).")
  Path data;

  @Option(names = "--neurons", required = true, paramLabel = "CSV",
      description = "neurons.csv from `aape` (or any CSV with layer,neuron columns).")
  Path neurons;

  @Option(names = "--class", paramLabel = "C", description = "Only this class's neurons.")
  String className;

  @Option(names = "--random", defaultValue = "20", description = "Random control sets (R).")
  int random;

  @Option(names = "--seed", defaultValue = "0", description = "Seed of the random sets.")
  long seed;

  @Option(names = "--probe-seed", defaultValue = "42",
      description = "Seed of the probe's initialisation, validation split and shuffling.")
  long probeSeed;

  @Option(names = "--mean", description = "Mean ablation (set to the mean over the train split) "
      + "instead of zeroing.")
  boolean mean;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "" + Batcher.DEFAULT_BATCH,
      description = "Clips per forward pass.")
  int batch;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
  Path out;

  @Option(names = "--sae", paramLabel = "DIR", description = "Deactivate the features of this "
      + "SAE (spliced in at its hook, error term kept) instead of neurons: --neurons then lists "
      + "features (layer 0 or the SAE's block, neuron = feature index), e.g. from `aape` on "
      + "`count --sae` counts; random sets are drawn from the SAE's features.")
  Path sae;

  @picocli.CommandLine.Mixin
  SkipBadOption skipBad = new SkipBadOption();

  @Override
  public Integer call() {
    Ablation.Options options = new Ablation.Options(ProbeOptions.defaults().withSeed(probeSeed),
        random, seed, mean ? AblationMode.MEAN : AblationMode.ZERO, batch);
    List<Neuron> targeted = NeuronCsv.read(neurons, className);
    Dataset ds = skipBad.open(data);
    try (AudioModel m = ModelFiles.load(model)) {
      DeactivationResult r;
      try (Progress bar = Progress.start("ablate", options.randomSets() + 2, "runs")) {
        io.anw.model.UnitSpace units = sae == null ? io.anw.model.UnitSpace.neurons(m)
            : SaeOption.units(sae);
        r = Ablation.run(m, units, ds.split("train"), ds.split("test"),
            SaeOption.atLayerZero(targeted, units), options,
            (stage, done, total) -> {
              if (stage.equals("probe")) {
                bar.message(done == 0 ? "training the probe" : "probe trained");
              } else {
                bar.at(done);
                bar.message(done + "/" + total + " evaluations (baseline, targeted, random)");
              }
            });
      }
      CsvFiles.write(r.summary(), out.resolve("summary.csv"));
      CsvFiles.write(r.perClass(), out.resolve("per_class.csv"));
      Plots.savePngAndSvg(r.plot(), out.resolve("deactivation"));
      System.out.println(r);
      SkipBadOption.reportSkipped(ds);
      System.out.println("wrote " + out);
    }
    return 0;
  }
}
