package io.anw.pipeline;

import ai.djl.ndarray.NDManager;
import io.anw.GradMode;
import io.anw.activation.DatasetInputs;
import io.anw.audio.Dataset;
import io.anw.intervention.ClassGrounding;
import io.anw.intervention.ClassGroundingResult;
import io.anw.intervention.GroundingStat;
import io.anw.model.M2dViT;
import io.anw.model.TokenGroup;
import io.anw.neuron.Neuron;
import java.util.List;
import java.util.Map;

/**
 * Grounding coefficients GC = Δaudio / (Δaudio + Δtext) of every class's neurons on a captioned
 * dataset: the audio and caption parts swapped between the class's clips and other classes'
 * clips.
 */
public final class Grounding {
  private Grounding() {}

  /**
   * Settings of a grounding experiment.
   *
   * @param stat the statistic compared (default: activation probability)
   * @param tokens the token group it is read at (default: all)
   * @param maxPerClass most clips per class (default {@value ClassGrounding#DEFAULT_MAX_PER_CLASS})
   * @param seed seed of the other-class draw (default 0)
   */
  public record Options(GroundingStat stat, TokenGroup tokens, int maxPerClass, long seed) {
    /** Checks the values. */
    public Options {
      if (maxPerClass < 1) {
        throw new io.anw.WorkbenchException("--max-per-class must be at least 1, got "
            + maxPerClass);
      }
    }

    /** Probability, all tokens, 64 clips per class, seed 0. */
    public static Options defaults() {
      return new Options(GroundingStat.PROBABILITY, TokenGroup.ALL,
          ClassGrounding.DEFAULT_MAX_PER_CLASS, 0);
    }

    /** These options reading the statistic at another token group. */
    public Options withTokens(TokenGroup t) {
      return new Options(stat, t, maxPerClass, seed);
    }

    /** These options with another statistic. */
    public Options withStat(GroundingStat s) {
      return new Options(s, tokens, maxPerClass, seed);
    }
  }

  /** The grounding of {@code byClass}'s neurons on {@code data}. */
  public static ClassGroundingResult run(M2dViT model, Map<String, List<Neuron>> byClass,
      Dataset data, Options options) {
    return run(model, byClass, data, options, Steps.NONE);
  }

  /** As above, reporting the classes done to {@code steps} (stage {@code ground}). */
  public static ClassGroundingResult run(M2dViT model, Map<String, List<Neuron>> byClass,
      Dataset data, Options options, Steps steps) {
    return run(model, io.anw.model.UnitSpace.neurons(model), byClass, data, options, steps);
  }

  /** The grounding of units of {@code units} (e.g. SAE features) on {@code data}. */
  public static ClassGroundingResult run(M2dViT model, io.anw.model.UnitSpace units,
      Map<String, List<Neuron>> byClass, Dataset data, Options options, Steps steps) {
    GradMode.disableOnCurrentThread();
    try (NDManager m = NDManager.newBaseManager()) {
      DatasetInputs.Examples e = DatasetInputs.examples(model, data, m);
      int total = data.classes().size();
      return ClassGrounding.compute(model, units, byClass, data.classes(), e.inputs(),
          e.labels(),
          options.stat(), options.tokens(), options.maxPerClass(), options.seed(),
          done -> steps.at("ground", done, total));
    }
  }
}
