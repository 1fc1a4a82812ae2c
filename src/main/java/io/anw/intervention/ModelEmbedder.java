package io.anw.intervention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.anw.WorkbenchException;
import io.anw.model.Hook;
import io.anw.model.Hooks;
import io.anw.model.Model;
import io.anw.model.ActivationCache;
import io.anw.model.PartedInput;
import io.anw.neuron.Neuron;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Scene embeddings of normalised log-mels from a model, with neurons of
 * {@code blocks.L.mlp.hook_post} zeroed, or set to given means (mean ablation), through hooks.
 */
public final class ModelEmbedder implements AblatedEmbedder {
  /** Most single clips run together in one forward pass. */
  static final int BATCH = 8;

  private final Model model;
  private final List<PartedInput> inputs;
  private final double[] means; // flat [layers, neurons], null for zero ablation

  /**
   * Zero ablation.
   *
   * @param inputs normalised log-mels, each {@code [mel, frames]} or a batch
   *     {@code [batch, mel, frames]} of equal-length clips; embeddings come in this order
   */
  public ModelEmbedder(Model model, List<NDArray> inputs) {
    this(model, inputs, null);
  }

  /**
   * Mean ablation: an ablated neuron is set to {@code means[layer * neurons + index]} (e.g. its
   * mean activation over the data, from the activation counter); {@code null} zeroes instead.
   */
  public ModelEmbedder(Model model, List<NDArray> inputs, double[] means) {
    this(model, means, inputs.stream().map(PartedInput::audio).toList());
  }

  private ModelEmbedder(Model model, double[] means, List<PartedInput> inputs) {
    if (means != null && means.length != model.layers() * model.neuronsPerLayer()) {
      throw new WorkbenchException("mean ablation needs " + model.layers() * model.neuronsPerLayer()
          + " means (layers x neurons), got " + means.length);
    }
    this.model = model;
    this.inputs = List.copyOf(inputs);
    this.means = means == null ? null : means.clone();
  }

  /**
   * An embedder of inputs with named parts (audio {@code [mel, frames]} and, for audio-text
   * models, text ids {@code [tokens]}; or batches of them); {@code means} as in
   * {@link #ModelEmbedder(Model, List, double[])}.
   */
  public static ModelEmbedder ofParts(Model model, List<PartedInput> inputs, double[] means) {
    return new ModelEmbedder(model, means, inputs);
  }

  /** The hooks that ablate {@code neurons}. */
  public Hooks hooks(Collection<Neuron> neurons) {
    Map<Integer, List<Integer>> byLayer = new TreeMap<>();
    for (Neuron n : neurons) {
      if (n.layer() < 0 || n.layer() >= model.layers() || n.index() < 0
          || n.index() >= model.neuronsPerLayer()) {
        throw new WorkbenchException("neuron " + n + " is outside the model (" + model.layers()
            + " layers x " + model.neuronsPerLayer() + " neurons)");
      }
      byLayer.computeIfAbsent(n.layer(), k -> new ArrayList<>()).add(n.index());
    }
    Hooks hooks = Hooks.none();
    for (Map.Entry<Integer, List<Integer>> e : byLayer.entrySet()) {
      int[] units = e.getValue().stream().mapToInt(Integer::intValue).toArray();
      Hook hook;
      if (means == null) {
        hook = Hook.zeroUnits(units);
      } else {
        float[] values = new float[units.length];
        for (int i = 0; i < units.length; i++) {
          values[i] = (float) means[e.getKey() * model.neuronsPerLayer() + units[i]];
        }
        hook = Hook.setUnits(units, values);
      }
      hooks = hooks.and("blocks." + e.getKey() + ".mlp.hook_post", hook);
    }
    return hooks;
  }

  /** A single example: its audio part is one log-mel {@code [mel, frames]}. */
  private static boolean single(PartedInput in) {
    return in.part(PartedInput.AUDIO).getShape().dimension() == 2;
  }

  @Override
  public float[][] embed(Collection<Neuron> ablated) {
    io.anw.GradMode.disableOnCurrentThread();
    Hooks hooks = hooks(ablated);
    List<float[]> rows = new ArrayList<>();
    int i = 0;
    while (i < inputs.size()) {
      // Consecutive single examples of equal shapes run as one batch.
      int j = i + 1;
      if (single(inputs.get(i))) {
        while (j < inputs.size() && j - i < BATCH && single(inputs.get(j))
            && inputs.get(j).sameShapes(inputs.get(i))) {
          j++;
        }
      }
      try (NDManager scope = NDManager.newBaseManager()) {
        PartedInput x = j - i == 1 ? inputs.get(i) : PartedInput.stack(inputs.subList(i, j), scope);
        try (ActivationCache cache = model.run(x, hooks)) {
          NDArray e = cache.output().sceneEmbedding();
          long batch = e.getShape().dimension() == 1 ? 1 : e.getShape().get(0);
          float[] flat = e.toFloatArray();
          int dim = (int) (flat.length / batch);
          for (int b = 0; b < batch; b++) {
            float[] row = new float[dim];
            System.arraycopy(flat, b * dim, row, 0, dim);
            rows.add(row);
          }
        }
      }
      i = j;
    }
    return rows.toArray(float[][]::new);
  }
}
