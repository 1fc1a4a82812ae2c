package io.anw.cli;

import ai.djl.ndarray.NDManager;
import io.anw.activation.ActivationCounter;
import io.anw.activation.DatasetInputs;
import io.anw.audio.Dataset;
import io.anw.intervention.Deactivation;
import io.anw.intervention.DeactivationResult;
import io.anw.intervention.LinearProbe;
import io.anw.intervention.ModelEmbedder;
import io.anw.intervention.ProbeOptions;
import io.anw.model.M2dViT;
import io.anw.model.PartedInput;
import io.anw.model.ModelFiles;
import io.anw.neuron.Neuron;
import io.anw.neuron.NeuronCsv;
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
 * compares with random sets of the same per-layer counts.
 */
@Command(name = "ablate", mixinStandardHelpOptions = true,
    description = "Deactivate neurons (from neurons.csv) and compare the probe's accuracy drop "
        + "with random neuron sets of the same per-layer counts.")
public final class AblateCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "CKPT", description = "Checkpoint.")
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

  @Option(names = "--seed", defaultValue = "0", description = "Seed of the random sets and probe.")
  long seed;

  @Option(names = "--mean", description = "Mean ablation (set to the mean over the train split) "
      + "instead of zeroing.")
  boolean mean;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
  Path out;

  @Override
  public Integer call() {
    OptionChecks.atLeast("--random", random, 1);
    List<Neuron> targeted = NeuronCsv.read(neurons, className);
    Dataset ds = Dataset.open(data);
    Dataset train = ds.split("train");
    Dataset test = ds.split("test");
    try (M2dViT m = ModelFiles.loadM2d(model); NDManager manager = NDManager.newBaseManager()) {
      LinearProbe probe = LinearProbe.train(DatasetInputs.sceneEmbeddings(m, train, 8),
          DatasetInputs.labels(train), train.classes(), ProbeOptions.defaults().withSeed(seed));
      System.err.println(probe);
      double[] means = mean ? meanActivations(m, train) : null;
      ModelEmbedder embedder = ModelEmbedder.ofParts(m, DatasetInputs.inputs(m, test, manager),
          means);
      DeactivationResult r = Deactivation.run(embedder, DatasetInputs.labels(test), probe,
          targeted, m.layers(), m.neuronsPerLayer(), random, seed);
      CsvFiles.write(r.summary(), out.resolve("summary.csv"));
      CsvFiles.write(r.perClass(), out.resolve("per_class.csv"));
      Plots.savePngAndSvg(r.plot(), out.resolve("deactivation"));
      System.out.println(r);
      System.out.println("wrote " + out);
    }
    return 0;
  }

  /** Mean activation of every neuron over all tokens of the train split, flat [layers, neurons]. */
  private static double[] meanActivations(M2dViT m, Dataset train) {
    try (ActivationCounter counter = new ActivationCounter(m, train.classes(), true);
        NDManager manager = NDManager.newBaseManager()) {
      int[] labels = DatasetInputs.labels(train);
      List<PartedInput> inputs = DatasetInputs.inputs(m, train, manager);
      for (int i = 0; i < inputs.size(); i++) {
        counter.add(inputs.get(i), new int[] {labels[i]});
      }
      double[] perClass = counter.classMeans();
      long[] n = counter.counts(java.util.Map.of()).nPerClass();
      int c = n.length;
      long total = java.util.Arrays.stream(n).sum();
      double[] out = new double[perClass.length / c];
      for (int u = 0; u < out.length; u++) {
        double s = 0;
        for (int k = 0; k < c; k++) {
          s += perClass[u * c + k] * n[k];
        }
        out[u] = total == 0 ? 0 : s / total;
      }
      return out;
    }
  }
}
