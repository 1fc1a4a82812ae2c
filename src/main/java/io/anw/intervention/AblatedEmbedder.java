package io.anw.intervention;

import io.anw.neuron.Neuron;
import java.util.Collection;

/**
 * Embeddings of a fixed evaluation set computed with some neurons ablated: the seam between the
 * deactivation experiment and a model ({@link ModelEmbedder}) or any other source (tests).
 */
@FunctionalInterface
public interface AblatedEmbedder {
  /**
   * Embeddings {@code [examples][dim]} of the evaluation set with {@code ablated} neurons
   * deactivated (none: the baseline).
   */
  float[][] embed(Collection<Neuron> ablated);

  /** What a unit is, for the result's text: {@code neuron} (or {@code feature}). */
  default String unitKind() {
    return "neuron";
  }
}
