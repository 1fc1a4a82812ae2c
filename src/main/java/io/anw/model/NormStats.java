package io.anw.model;

import io.anw.WorkbenchException;

/**
 * The log-mel normalisation of an M2D model: inputs are {@code (log_mel - mean) / std}.
 *
 * @param mean mean of the training log-mels
 * @param std standard deviation of the training log-mels, positive
 */
public record NormStats(float mean, float std) {

  /** The statistics of the 2022 M2D releases, used when a checkpoint has none. */
  public static final NormStats DEFAULT = new NormStats(-7.1f, 4.2f);

  /** Checks that std is positive. */
  public NormStats {
    if (!(std > 0) || !Float.isFinite(mean)) {
      throw new WorkbenchException("norm stats must be a finite mean and a positive std, got ["
          + mean + ", " + std + "]");
    }
  }

  @Override
  public String toString() {
    return "[" + mean + ", " + std + "]";
  }
}
