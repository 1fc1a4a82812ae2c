package io.anw.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.anw.WorkbenchException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one way many inputs run through a model: single examples (audio {@code [mel, frames]},
 * and caption ids {@code [tokens]} for audio-text models) with equal token layouts are stacked
 * into batches of at most {@code batchSize}, run with the given hooks, and their results handed
 * back in input order. Counting, embeddings, probes, deactivation and grounding all batch here,
 * so an experiment gives the same numbers whichever way it is reached. Each batch's native
 * arrays are freed before the next.
 */
public final class Batcher {
  /** Examples per forward pass when nothing else is said ({@code --batch}). */
  public static final int DEFAULT_BATCH = 8;

  private Batcher() {}

  /** What to take from one batch's run: one value per example, in the batch's order. */
  @FunctionalInterface
  public interface Collect<T> {
    /** The values of the {@code rows} examples of a batch, read from its run. */
    List<T> apply(ActivationCache run, int rows);
  }

  /**
   * Runs {@code inputs} in batches and collects one value per input, in input order.
   *
   * @param hooks applied to every batch (e.g. ablation)
   * @param cacheNames hook points to cache for {@code collect}
   * @throws WorkbenchException for a batch size below 1
   */
  public static <T> List<T> run(Model model, List<PartedInput> inputs, int batchSize,
      Hooks hooks, Collect<T> collect, String... cacheNames) {
    return run(model, inputs, batchSize, (batch, scope) -> hooks, collect, cacheNames);
  }

  /** The hooks of one batch, made for its examples (indices into the inputs). */
  @FunctionalInterface
  public interface HooksFor {
    /** Hooks for the examples {@code batch}; arrays they need may live in {@code scope}. */
    Hooks of(List<Integer> batch, NDManager scope);
  }

  /**
   * {@link #run(Model, List, int, Hooks, Collect, String...)} with hooks made per batch (e.g.
   * counting hooks that know each row's class).
   */
  public static <T> List<T> run(Model model, List<PartedInput> inputs, int batchSize,
      HooksFor hooksFor, Collect<T> collect, String... cacheNames) {
    if (batchSize < 1) {
      throw new WorkbenchException("batch size must be at least 1, got " + batchSize);
    }
    io.anw.GradMode.disableOnCurrentThread();
    Map<String, List<Integer>> byLayout = new LinkedHashMap<>();
    for (int i = 0; i < inputs.size(); i++) {
      byLayout.computeIfAbsent(layout(inputs.get(i)), k -> new ArrayList<>()).add(i);
    }
    List<T> out = new ArrayList<>(java.util.Collections.nCopies(inputs.size(), null));
    for (List<Integer> same : byLayout.values()) {
      for (int from = 0; from < same.size(); from += batchSize) {
        List<Integer> batch = same.subList(from, Math.min(from + batchSize, same.size()));
        try (NDManager scope = NDManager.newBaseManager()) {
          PartedInput stacked = PartedInput.stack(batch.stream().map(inputs::get).toList(),
              scope);
          try (ActivationCache c = model.run(stacked, hooksFor.of(batch, scope), cacheNames)) {
            List<T> values = collect.apply(c, batch.size());
            if (values.size() != batch.size()) {
              throw new IllegalStateException(values.size() + " values for " + batch.size()
                  + " examples");
            }
            for (int r = 0; r < batch.size(); r++) {
              out.set(batch.get(r), values.get(r));
            }
          }
        }
      }
    }
    return out;
  }

  /** Scene embeddings {@code [inputs][embedding]} of single examples, with {@code hooks}. */
  public static float[][] sceneEmbeddings(Model model, List<PartedInput> inputs, int batchSize,
      Hooks hooks) {
    return run(model, inputs, batchSize, hooks, Batcher::rows).toArray(float[][]::new);
  }

  /** The rows of a run's scene embedding {@code [rows, embedding]}. */
  private static List<float[]> rows(ActivationCache c, int rows) {
    NDArray scene = c.output().sceneEmbedding();
    float[] flat = scene.toFloatArray();
    int width = flat.length / rows;
    List<float[]> out = new ArrayList<>(rows);
    for (int r = 0; r < rows; r++) {
      float[] row = new float[width];
      System.arraycopy(flat, r * width, row, 0, width);
      out.add(row);
    }
    return out;
  }

  /** A key equal for examples that can be stacked: every part's name and shape. */
  private static String layout(PartedInput in) {
    StringBuilder key = new StringBuilder();
    for (String n : in.names()) {
      NDArray a = in.part(n);
      if (n.equals(PartedInput.AUDIO) && a.getShape().dimension() != 2) {
        throw new WorkbenchException("the batcher takes single examples: audio "
            + a.getShape() + " is not [mel, frames]");
      }
      key.append(n).append(a.getShape()).append(';');
    }
    return key.toString();
  }
}
