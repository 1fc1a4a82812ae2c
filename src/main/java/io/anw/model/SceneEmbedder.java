package io.anw.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.anw.WorkbenchException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scene embeddings of many clips: clips of equal length are run together in batches, and each
 * batch's native arrays are freed before the next, so memory stays flat over any number of
 * clips.
 */
public final class SceneEmbedder {

  private SceneEmbedder() {}

  /**
   * The scene embedding of each clip, in input order.
   *
   * @param model the model
   * @param logMels normalised log-mels {@code [mel, frames]}, any lengths
   * @param batchSize most clips per forward pass
   * @return {@code [clips][embedding]}, e.g. {@code [n][5 * 768]} for M2D ViT-B
   */
  public static float[][] sceneEmbeddings(Model model, List<NDArray> logMels, int batchSize) {
    List<PartedInput> inputs = new ArrayList<>();
    for (int i = 0; i < logMels.size(); i++) {
      NDArray a = logMels.get(i);
      if (a.getShape().dimension() != 2) {
        throw new WorkbenchException("clip " + i + ": log-mel has shape " + a.getShape()
            + ", expected [mel, frames]");
      }
      inputs.add(PartedInput.audio(a));
    }
    return sceneEmbeddingsOf(model, inputs, batchSize);
  }

  /**
   * The scene embedding of each single example (parts as the model reads them: audio
   * {@code [mel, frames]}, and text ids {@code [tokens]} for audio-text models), in input order;
   * examples whose parts have equal shapes run together.
   */
  public static float[][] sceneEmbeddingsOf(Model model, List<PartedInput> inputs,
      int batchSize) {
    return Batcher.sceneEmbeddings(model, inputs, batchSize, Hooks.none());
  }

  /**
   * The scene embedding of one long input given as consecutive segments (each a whole number of
   * the model's chunks but the last; parts as {@link #sceneEmbeddingsOf}): the mean over every
   * time step of every segment, summed in double precision, so memory is one segment whatever
   * the input's length. Equal to the embedding of the whole input up to float rounding.
   *
   * @param segments the segments in time order; each is closed by the caller
   * @return {@code [embedding]}
   */
  public static float[] sceneEmbedding(Model model, java.util.Iterator<PartedInput> segments) {
    double[] sum = null;
    long steps = 0;
    while (segments.hasNext()) {
      PartedInput segment = segments.next();
      try (ActivationCache c = model.run(segment, Hooks.none())) {
        NDArray f = c.output().features(); // [1, time, width]
        long t = f.getShape().get(1);
        float[] total = f.sum(new int[] {1}).toFloatArray();
        if (sum == null) {
          sum = new double[total.length];
        }
        for (int i = 0; i < total.length; i++) {
          sum[i] += total[i];
        }
        steps += t;
      }
    }
    if (sum == null) {
      throw new WorkbenchException("no input to embed");
    }
    float[] out = new float[sum.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) (sum[i] / steps);
    }
    return out;
  }
}
