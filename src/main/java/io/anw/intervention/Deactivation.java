package io.anw.intervention;

import io.anw.WorkbenchException;
import io.anw.neuron.Neuron;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The necessity test of class-specific neurons: deactivate a neuron set, score the same trained
 * probe on the recomputed embeddings, and compare with {@code R} random sets having the same
 * number of neurons in every layer (drawn, seeded, among the other neurons of that layer).
 */
public final class Deactivation {
  private Deactivation() {}

  /**
   * Runs the experiment.
   *
   * @param embedder embeddings of the evaluation set with given neurons ablated
   * @param labels class index of each evaluation example
   * @param probe a probe trained on un-ablated embeddings
   * @param targeted the neurons to deactivate
   * @param layers number of layers of the model
   * @param neuronsPerLayer MLP width of the model
   * @param randomSets R, the number of random control sets (e.g. 20)
   * @param seed seeds the random sets
   */
  public static DeactivationResult run(AblatedEmbedder embedder, int[] labels, LinearProbe probe,
      Collection<Neuron> targeted, int layers, int neuronsPerLayer, int randomSets, long seed) {
    return run(embedder, labels, probe, targeted, layers, neuronsPerLayer, randomSets, seed,
        done -> { });
  }

  /**
   * As {@link #run(AblatedEmbedder, int[], LinearProbe, Collection, int, int, int, long)},
   * telling {@code evaluated} how many of the {@code randomSets + 2} evaluations (baseline,
   * targeted, each random set) are done after each one.
   */
  public static DeactivationResult run(AblatedEmbedder embedder, int[] labels, LinearProbe probe,
      Collection<Neuron> targeted, int layers, int neuronsPerLayer, int randomSets, long seed,
      java.util.function.IntConsumer evaluated) {
    if (randomSets < 2) {
      throw new WorkbenchException("deactivation needs at least 2 random sets, got " + randomSets);
    }
    Set<Neuron> target = new TreeSet<>(targeted);
    ProbeEvaluation baseline = probe.evaluate(embedder.embed(List.of()), labels);
    evaluated.accept(1);
    // An empty set changes nothing: every run would repeat the baseline.
    ProbeEvaluation ablated = target.isEmpty() ? baseline
        : probe.evaluate(embedder.embed(target), labels);
    evaluated.accept(2);
    Random rng = new Random(seed);
    List<ProbeEvaluation> random = new ArrayList<>();
    List<List<Neuron>> randomNeurons = new ArrayList<>();
    for (int r = 0; r < randomSets; r++) {
      List<Neuron> set = randomLike(target, layers, neuronsPerLayer, rng);
      randomNeurons.add(set);
      random.add(set.isEmpty() ? baseline : probe.evaluate(embedder.embed(set), labels));
      evaluated.accept(r + 3);
    }
    return new DeactivationResult(probe.classes(), List.copyOf(target), baseline, ablated, random,
        randomNeurons, seed, embedder.unitKind());
  }

  /**
   * A random set with the same per-layer counts as {@code target}, drawn without replacement
   * among each layer's neurons outside {@code target}.
   */
  static List<Neuron> randomLike(Set<Neuron> target, int layers, int neuronsPerLayer,
      Random rng) {
    TreeMap<Integer, Integer> perLayer = new TreeMap<>();
    for (Neuron n : target) {
      if (n.layer() < 0 || n.layer() >= layers || n.index() < 0 || n.index() >= neuronsPerLayer) {
        throw new WorkbenchException("neuron " + n + " is outside the model (" + layers
            + " layers x " + neuronsPerLayer + " neurons)");
      }
      perLayer.merge(n.layer(), 1, Integer::sum);
    }
    List<Neuron> out = new ArrayList<>();
    for (var e : perLayer.entrySet()) {
      int layer = e.getKey();
      List<Integer> pool = new ArrayList<>();
      for (int j = 0; j < neuronsPerLayer; j++) {
        if (!target.contains(new Neuron(layer, j))) {
          pool.add(j);
        }
      }
      if (pool.size() < e.getValue()) {
        throw new WorkbenchException("layer " + layer + " has too few other neurons for a random"
            + " set of " + e.getValue());
      }
      // Partial Fisher-Yates: the first k of a seeded shuffle.
      for (int i = 0; i < e.getValue(); i++) {
        int j = i + rng.nextInt(pool.size() - i);
        Integer t = pool.get(i);
        pool.set(i, pool.get(j));
        pool.set(j, t);
        out.add(new Neuron(layer, pool.get(i)));
      }
    }
    out.sort(null);
    return out;
  }
}
