package io.anw.pipeline;

import ai.djl.ndarray.NDManager;
import io.anw.GradMode;
import io.anw.WorkbenchException;
import io.anw.activation.ActivationCounter;
import io.anw.activation.DatasetInputs;
import io.anw.audio.Dataset;
import io.anw.intervention.Deactivation;
import io.anw.intervention.DeactivationResult;
import io.anw.intervention.LinearProbe;
import io.anw.intervention.ModelEmbedder;
import io.anw.intervention.ProbeOptions;
import io.anw.model.Batcher;
import io.anw.model.AudioModel;
import io.anw.model.UnitSpace;
import io.anw.neuron.Neuron;
import java.util.Collection;

/**
 * Necessity of neurons: a linear probe trained on the train split, the neurons deactivated (zero
 * or mean ablation) on the test split, and the accuracy drop compared with random neuron sets of
 * the same per-layer counts (z-score, empirical p).
 */
public final class Ablation {
  private Ablation() {}

  /**
   * Settings of a deactivation experiment.
   *
   * @param probe the probe's training ({@link ProbeOptions#defaults()}: seed 42)
   * @param randomSets random control sets R (at least 2; default 20)
   * @param seed seed of the random sets (default 0)
   * @param mode zero (default) or mean ablation
   * @param batch clips per forward pass (default {@link Batcher#DEFAULT_BATCH})
   */
  public record Options(ProbeOptions probe, int randomSets, long seed, AblationMode mode,
      int batch) {
    /** Checks the values. */
    public Options {
      if (randomSets < 2) {
        throw new WorkbenchException("--random must be at least 2 (random sets), got "
            + randomSets);
      }
      if (batch < 1) {
        throw new WorkbenchException("--batch must be at least 1, got " + batch);
      }
    }

    /** Probe defaults, 20 random sets, seed 0, zero ablation, batch 8. */
    public static Options defaults() {
      return new Options(ProbeOptions.defaults(), 20, 0, AblationMode.ZERO,
          Batcher.DEFAULT_BATCH);
    }

    /** These options with {@code r} random sets. */
    public Options withRandomSets(int r) {
      return new Options(probe, r, seed, mode, batch);
    }

    /** These options with another seed for the random sets. */
    public Options withSeed(long s) {
      return new Options(probe, randomSets, s, mode, batch);
    }

    /** These options with another ablation mode. */
    public Options withMode(AblationMode m) {
      return new Options(probe, randomSets, seed, m, batch);
    }

    /** These options with other probe settings. */
    public Options withProbe(ProbeOptions p) {
      return new Options(p, randomSets, seed, mode, batch);
    }
  }

  /** Trains the probe on {@code train}, then deactivates {@code neurons} on {@code test}. */
  public static DeactivationResult run(AudioModel model, Dataset train, Dataset test,
      Collection<Neuron> neurons, Options options) {
    return run(model, train, test, neurons, options, Steps.NONE);
  }

  /**
   * As {@link #run(M2dViT, Dataset, Dataset, Collection, Options)}, reporting its stages to
   * {@code steps}: {@code probe} (0 of 1, then 1 of 1), then {@code ablate} (evaluations:
   * baseline, targeted and each random set).
   */
  public static DeactivationResult run(AudioModel model, Dataset train, Dataset test,
      Collection<Neuron> neurons, Options options, Steps steps) {
    return run(model, UnitSpace.neurons(model), train, test, neurons, options, steps);
  }

  /**
   * Trains the probe on {@code train} (the clean model), then deactivates units of
   * {@code units} (e.g. SAE features) on {@code test}.
   */
  public static DeactivationResult run(AudioModel model, UnitSpace units, Dataset train,
      Dataset test, Collection<Neuron> neurons, Options options, Steps steps) {
    steps.at("probe", 0, 1);
    LinearProbe probe = Probing.train(model, train, options.probe(), options.batch());
    steps.at("probe", 1, 1);
    return run(model, units, train, test, neurons, probe, options, steps);
  }

  /**
   * Deactivates {@code neurons} on {@code test} for a trained probe; {@code train} gives the
   * means of mean ablation (unused for zero ablation).
   */
  public static DeactivationResult run(AudioModel model, Dataset train, Dataset test,
      Collection<Neuron> neurons, LinearProbe probe, Options options) {
    return run(model, train, test, neurons, probe, options, Steps.NONE);
  }

  /** As above, reporting the evaluations done to {@code steps} (stage {@code ablate}). */
  public static DeactivationResult run(AudioModel model, Dataset train, Dataset test,
      Collection<Neuron> neurons, LinearProbe probe, Options options, Steps steps) {
    return run(model, UnitSpace.neurons(model), train, test, neurons, probe, options, steps);
  }

  /**
   * Deactivates units of {@code units} (e.g. the features of an SAE spliced in at its hook, the
   * error term kept) on {@code test} against random sets of the same per-layer counts drawn from
   * the same units; the baseline is the model with {@link UnitSpace#base()} applied.
   */
  public static DeactivationResult run(AudioModel model, UnitSpace units, Dataset train,
      Dataset test, Collection<Neuron> neurons, LinearProbe probe, Options options, Steps steps) {
    GradMode.disableOnCurrentThread();
    int total = options.randomSets() + 2;
    steps.at("ablate", 0, total);
    double[] means = options.mode() == AblationMode.MEAN ? meanActivations(model, units, train)
        : null;
    try (NDManager manager = NDManager.newBaseManager()) {
      DatasetInputs.Examples e = DatasetInputs.examples(model, test, manager);
      ModelEmbedder embedder = ModelEmbedder.ofUnits(model, units, e.inputs(), means)
          .batchSize(options.batch());
      return Deactivation.run(embedder, e.labels(), probe, neurons, units.layers(),
          units.units(), options.randomSets(), options.seed(),
          done -> steps.at("ablate", done, total));
    }
  }

  /**
   * Mean activation of every neuron over the tokens of {@code train} (the model's default
   * tokens: all, or those that cover audio), flat [layers, neurons].
   */
  public static double[] meanActivations(AudioModel model, Dataset train) {
    return meanActivations(model, UnitSpace.neurons(model), train);
  }

  /** Mean activation of every unit over all tokens of {@code train}, flat [layers, units]. */
  public static double[] meanActivations(AudioModel model, UnitSpace units, Dataset train) {
    try (ActivationCounter counter = new ActivationCounter(model, units, train.classes(), true,
        model.defaultTokens());
        NDManager manager = NDManager.newBaseManager()) {
      DatasetInputs.Examples e = DatasetInputs.examples(model, train, manager);
      for (int i = 0; i < e.size(); i++) {
        counter.add(e.inputs().get(i), new int[] {e.labels()[i]});
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
