package io.anw.intervention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.anw.WorkbenchException;
import io.anw.model.Batcher;
import io.anw.model.Hook;
import io.anw.model.Hooks;
import io.anw.model.Model;
import io.anw.model.ActivationCache;
import io.anw.model.PartedInput;
import io.anw.model.UnitSpace;
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
  private final Model model;
  private final UnitSpace units;
  private final List<PartedInput> inputs;
  private final double[] means; // flat [layers, neurons], null for zero ablation
  private int batchSize = Batcher.DEFAULT_BATCH;

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
    this(model, UnitSpace.neurons(model), means, inputs);
  }

  private ModelEmbedder(Model model, UnitSpace units, double[] means,
      List<PartedInput> inputs) {
    if (means != null && means.length != units.layers() * units.units()) {
      throw new WorkbenchException("mean ablation needs " + units.layers() * units.units()
          + " means (layers x " + units.kind() + "s), got " + means.length);
    }
    this.model = model;
    this.units = units;
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

  /**
   * An embedder that ablates other units than the MLP neurons, e.g. the features of an SAE
   * spliced in at its hook ({@link UnitSpace#base()} runs with every embedding, ablated or not,
   * so the baseline is the spliced model); {@code means} is {@code [layers, units]} or null.
   */
  public static ModelEmbedder ofUnits(Model model, UnitSpace units, List<PartedInput> inputs,
      double[] means) {
    return new ModelEmbedder(model, units, means, inputs);
  }

  @Override
  public String unitKind() {
    return units.kind();
  }

  /** These inputs run {@code n} at a time (default {@link Batcher#DEFAULT_BATCH}); returns this. */
  public ModelEmbedder batchSize(int n) {
    this.batchSize = n;
    return this;
  }

  /** The hooks that ablate {@code neurons}. */
  public Hooks hooks(Collection<Neuron> neurons) {
    Map<Integer, List<Integer>> byLayer = new TreeMap<>();
    for (Neuron n : neurons) {
      if (n.layer() < 0 || n.layer() >= units.layers() || n.index() < 0
          || n.index() >= units.units()) {
        throw new WorkbenchException(units.kind() + " " + n + " is outside " + units);
      }
      byLayer.computeIfAbsent(n.layer(), k -> new ArrayList<>()).add(n.index());
    }
    Hooks hooks = units.base();
    for (Map.Entry<Integer, List<Integer>> e : byLayer.entrySet()) {
      int[] units = e.getValue().stream().mapToInt(Integer::intValue).toArray();
      Hook hook;
      if (means == null) {
        hook = Hook.zeroUnits(units);
      } else {
        float[] values = new float[units.length];
        for (int i = 0; i < units.length; i++) {
          values[i] = (float) means[e.getKey() * this.units.units() + units[i]];
        }
        hook = Hook.setUnits(units, values);
      }
      hooks = hooks.and(this.units.point(e.getKey()), hook);
    }
    return hooks;
  }

  @Override
  public float[][] embed(Collection<Neuron> ablated) {
    return Batcher.sceneEmbeddings(model, inputs, batchSize, hooks(ablated));
  }
}
