package io.anw.activation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.anw.GradMode;
import io.anw.audio.Clip;
import io.anw.audio.Dataset;
import io.anw.audio.LogMel;
import io.anw.audio.LogMelPreset;
import io.anw.model.M2dViT;
import io.anw.model.SceneEmbedder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A dataset as model inputs: normalised log-mels (decoded and transformed on the loading
 * threads), class labels, and scene embeddings.
 */
public final class DatasetInputs {
  private DatasetInputs() {}

  /**
   * The model's input for a clip: the {@code preset} log-mel normalised with the model's
   * statistics, {@code [mel][frames]}. Thread-safe, for the dataset's loading threads.
   */
  public static Function<Clip, float[][]> frontEnd(M2dViT model, LogMelPreset preset) {
    LogMel front = new LogMel(preset);
    float mean = model.normStats().mean();
    float std = model.normStats().std();
    return clip -> LogMel.normalise(front.compute(clip), mean, std);
  }

  /** Normalised {@code [mel][frames]} log-mels of every clip, in dataset order. */
  public static List<float[][]> logMels(M2dViT model, Dataset data) {
    try (Stream<float[][]> s = data.stream(frontEnd(model, LogMelPreset.M2D_16K))) {
      return s.toList();
    }
  }

  /** The class index of every clip, in dataset order. */
  public static int[] labels(Dataset data) {
    return data.items().stream().mapToInt(it -> data.classIndex(it.label())).toArray();
  }

  /** Scene embeddings {@code [clips][fbins·D]} of every clip, in dataset order. */
  public static float[][] sceneEmbeddings(M2dViT model, Dataset data, int batchSize) {
    GradMode.disableOnCurrentThread();
    try (NDManager manager = NDManager.newBaseManager()) {
      List<NDArray> inputs = new ArrayList<>();
      for (float[][] lm : logMels(model, data)) {
        inputs.add(manager.create(lm));
      }
      return SceneEmbedder.sceneEmbeddings(model, inputs, batchSize);
    }
  }

  /** Normalised log-mels as NDArrays in {@code manager} (e.g. for {@code ModelEmbedder}). */
  public static List<NDArray> arrays(M2dViT model, Dataset data, NDManager manager) {
    List<NDArray> out = new ArrayList<>();
    for (float[][] lm : logMels(model, data)) {
      out.add(manager.create(lm));
    }
    return out;
  }
}
