package io.anw.intervention;

/** What the grounding coefficient's Δ measures of a neuron over a condition's tokens. */
public enum GroundingStat {
  /** The share of tokens (all examples and chunks) where the neuron is > 0. */
  PROBABILITY,
  /** The neuron's mean activation over tokens. */
  MEAN;

  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
