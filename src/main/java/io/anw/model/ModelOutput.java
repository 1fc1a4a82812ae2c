package io.anw.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.anw.WorkbenchException;

/**
 * What a forward pass over a whole input gives: M2D's stacked features and the CLS outputs.
 * Owns its arrays; {@link #close()} frees them.
 *
 * <p>Features are the final-norm patch tokens of each chunk rearranged
 * {@code b (f t) d -> b t (f d)} and concatenated in time: one row per time patch (16 frames,
 * 160 ms at 16 kHz), padded patches included.
 */
public final class ModelOutput implements AutoCloseable {
  private final NDManager manager;
  private final NDArray features;
  private final NDArray cls;
  private final ChunkPlan plan;
  private final String shapes;

  ModelOutput(NDManager manager, NDArray features, NDArray cls, ChunkPlan plan) {
    this.manager = manager;
    this.features = features;
    this.cls = cls;
    this.plan = plan;
    this.shapes = "features " + features.getShape() + ", cls " + cls.getShape();
  }

  /** Whether the arrays are still there (not {@link #close() closed}). */
  public boolean isOpen() {
    return manager.isOpen();
  }

  private void checkOpen() {
    if (!manager.isOpen()) {
      throw new WorkbenchException("this model output was closed; run the model again");
    }
  }

  /**
   * Per-time-step features (timestamp embeddings),
   * {@code [batch, timeSteps, freqPatches·width]}.
   */
  public NDArray features() {
    checkOpen();
    return features;
  }

  /** The CLS token after the final norm for each chunk, {@code [batch, chunks, width]}. */
  public NDArray cls() {
    checkOpen();
    return cls;
  }

  /**
   * The scene embedding, the mean of {@link #features()} over time:
   * {@code [batch, freqPatches·width]}.
   */
  public NDArray sceneEmbedding() {
    return features().mean(new int[] {1});
  }

  /** The CLS output averaged over chunks, {@code [batch, width]}. */
  public NDArray clsEmbedding() {
    return cls().mean(new int[] {1});
  }

  /**
   * The time of each feature row in milliseconds, as M2D's {@code get_timestamps}: row i is at
   * {@code i * clipSeconds * 1000 / timeSteps}.
   *
   * @param clipSeconds the clip's duration, samples / sample rate
   */
  public float[] timestampsMs(double clipSeconds) {
    int n = plan.timeSteps();
    float[] t = new float[n];
    double step = clipSeconds * 1000.0 / n;
    for (int i = 0; i < n; i++) {
      t[i] = (float) (step * i);
    }
    return t;
  }

  /** How the input was cut into chunks. */
  public ChunkPlan plan() {
    return plan;
  }

  /** Frees the output's arrays. */
  @Override
  public void close() {
    manager.close();
  }

  @Override
  public String toString() {
    return "ModelOutput[" + shapes + ", " + plan.chunks().size() + " chunk(s)"
        + (isOpen() ? "" : ", closed") + "]";
  }
}
