package io.anw.pipeline;

import io.anw.activation.DatasetInputs;
import io.anw.audio.Dataset;
import io.anw.intervention.LinearProbe;
import io.anw.intervention.ProbeEvaluation;
import io.anw.intervention.ProbeOptions;
import io.anw.model.AudioModel;

/** Linear probes on a model's scene embeddings of a dataset (EVAR-style). */
public final class Probing {
  private Probing() {}

  /**
   * Trains a probe on the scene embeddings of {@code train}.
   *
   * @param options the probe's settings ({@link ProbeOptions#defaults()}: seed 42, ...)
   * @param batch clips per forward pass
   */
  public static LinearProbe train(AudioModel model, Dataset train, ProbeOptions options,
      int batch) {
    DatasetInputs.Embeddings e = DatasetInputs.embeddings(model, train, batch);
    return LinearProbe.train(e.x(), e.labels(), train.classes(), options);
  }

  /** Accuracy, macro-F1 and per-class accuracy of {@code probe} on {@code test}. */
  public static ProbeEvaluation evaluate(LinearProbe probe, AudioModel model, Dataset test,
      int batch) {
    DatasetInputs.Embeddings e = DatasetInputs.embeddings(model, test, batch);
    return probe.evaluate(e.x(), e.labels());
  }
}
