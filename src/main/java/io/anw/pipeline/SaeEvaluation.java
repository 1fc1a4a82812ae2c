package io.anw.pipeline;

import ai.djl.ndarray.NDManager;
import io.anw.GradMode;
import io.anw.WorkbenchException;
import io.anw.activation.DatasetInputs;
import io.anw.audio.Dataset;
import io.anw.intervention.LinearProbe;
import io.anw.intervention.ProbeOptions;
import io.anw.model.Batcher;
import io.anw.model.Hook;
import io.anw.model.Hooks;
import io.anw.model.AudioModel;
import io.anw.sae.SaeMetrics;
import io.anw.sae.SaeSplice;
import io.anw.sae.SparseAutoencoder;

/**
 * How good an SAE is on a model and data: reconstruction and sparsity over every token of the
 * evaluated clips ({@link SaeMetrics}: L0, explained variance, MSE, dead and dense fractions,
 * feature density), and what the reconstruction keeps of the model's use: a linear probe trained
 * on the clean model's scene embeddings of the train split, scored on the test split with the
 * hook left alone ({@code probe_clean}), replaced by the SAE's reconstruction (error term
 * dropped; {@code probe_sae}) and zeroed ({@code probe_zero}); {@code recovered} = (sae − zero) /
 * (clean − zero), the encoder's analogue of SAELens's CE-loss-recovered. Metrics are over the
 * test split when the data has train and test splits (all clips otherwise, without probes).
 */
public final class SaeEvaluation {
  private SaeEvaluation() {}

  /** Evaluates {@code sae} with the probe's defaults (seed 42), {@code batch} clips per pass. */
  public static SaeEvalResult run(AudioModel model, SparseAutoencoder sae, Dataset data, int batch,
      Steps steps) {
    return run(model, sae, data, ProbeOptions.defaults(), batch, steps);
  }

  /** Evaluates {@code sae}; {@code steps} hears {@code probe}, then {@code eval} (0..3 passes). */
  public static SaeEvalResult run(AudioModel model, SparseAutoencoder sae, Dataset data,
      ProbeOptions probeOptions, int batch, Steps steps) {
    GradMode.disableOnCurrentThread();
    if (!model.hookNames().contains(sae.hookName())) {
      throw new WorkbenchException("the SAE reads " + sae.hookName() + ", which is not a hook"
          + " point of " + model.name());
    }
    boolean probes = data.splits().contains("train") && data.splits().contains("test");
    Dataset evaluated = probes ? data.split("test") : data;
    LinearProbe probe = null;
    if (probes) {
      steps.at("probe", 0, 1);
      probe = Probing.train(model, data.split("train"), probeOptions, batch);
      steps.at("probe", 1, 1);
    }
    SaeMetrics metrics = new SaeMetrics(sae);
    String point = sae.hookName();
    try (NDManager manager = NDManager.newBaseManager()) {
      DatasetInputs.Examples e = DatasetInputs.examples(model, evaluated, manager);
      steps.at("eval", 0, 3);
      // the clean pass also reads the hook's activations for the metrics
      float[][] clean = Batcher.sceneEmbeddings(model, e.inputs(), batch, Hooks.of(point,
          (ctx, x) -> {
            metrics.add(x);
            return x;
          }));
      steps.at("eval", 1, 3);
      double pClean = Double.NaN;
      double pSae = Double.NaN;
      double pZero = Double.NaN;
      if (probe != null) {
        pClean = probe.evaluate(clean, e.labels()).accuracy();
        Hooks reconstruction = SaeSplice.hooks(sae).and(point + SaeSplice.ERROR,
            (ctx, x) -> x.zerosLike());
        pSae = probe.evaluate(Batcher.sceneEmbeddings(model, e.inputs(), batch,
            reconstruction), e.labels()).accuracy();
        steps.at("eval", 2, 3);
        pZero = probe.evaluate(Batcher.sceneEmbeddings(model, e.inputs(), batch,
            Hooks.of(point, Hook.zero())), e.labels()).accuracy();
      }
      steps.at("eval", 3, 3);
      return new SaeEvalResult(sae.config(), evaluated.name(), evaluated.size(), metrics,
          pClean, pSae, pZero);
    }
  }
}
