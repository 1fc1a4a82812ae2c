package io.anw.intervention;

import ai.djl.ndarray.NDManager;
import io.anw.GradMode;
import io.anw.WorkbenchException;
import io.anw.model.Model;
import io.anw.model.PartedInput;
import io.anw.model.TokenGroup;
import io.anw.neuron.Neuron;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Grounding coefficients of class-specific neurons over a labelled set of two-part inputs
 * (audio and caption): for each class c with neurons, condition A is the examples of c and
 * condition B as many examples of the other classes (a seeded draw, cycled when there are fewer),
 * and {@link GroundingCoefficient} measures, per neuron, how much swapping the audio part and
 * swapping the caption part between A and B move it. Audio parts of different lengths are
 * cropped (or zero-padded) to the shortest, so that A and B share one token layout.
 */
public final class ClassGrounding {
  /** Most examples per class in a condition by default (keeps one batch small). */
  public static final int DEFAULT_MAX_PER_CLASS = 64;

  private ClassGrounding() {}

  /**
   * Runs the measurement.
   *
   * @param model the model (audio-text, or audio-only for the GC = 1 control)
   * @param byClass class-specific neurons by class name (e.g. {@code selection.byClass()})
   * @param classes the class names in label-index order
   * @param inputs single examples: audio {@code [mel, frames]} and text ids {@code [T]}
   * @param labels class index of each example
   * @param stat what Δ measures of a neuron (activation probability or mean)
   * @param tokens the tokens the statistic reads (as the counts the neurons were selected from)
   * @param maxPerClass most examples of a class in condition A (and so in B)
   * @param seed seeds the draw of condition B's examples
   * @throws WorkbenchException when inputs and labels differ in number or no class can be
   *     measured
   */
  public static ClassGroundingResult compute(Model model, Map<String, List<Neuron>> byClass,
      List<String> classes, List<PartedInput> inputs, int[] labels, GroundingStat stat,
      TokenGroup tokens, int maxPerClass, long seed) {
    return compute(model, byClass, classes, inputs, labels, stat, tokens, maxPerClass, seed,
        done -> { });
  }

  /** As above, telling {@code classesDone} how many classes are done after each one. */
  public static ClassGroundingResult compute(Model model, Map<String, List<Neuron>> byClass,
      List<String> classes, List<PartedInput> inputs, int[] labels, GroundingStat stat,
      TokenGroup tokens, int maxPerClass, long seed,
      java.util.function.IntConsumer classesDone) {
    return compute(model, io.anw.model.UnitSpace.neurons(model), byClass, classes, inputs,
        labels, stat, tokens, maxPerClass, seed, classesDone);
  }

  /** As above for units of {@code units} (e.g. an SAE's features, spliced in every run). */
  public static ClassGroundingResult compute(Model model, io.anw.model.UnitSpace units,
      Map<String, List<Neuron>> byClass, List<String> classes, List<PartedInput> inputs,
      int[] labels, GroundingStat stat, TokenGroup tokens, int maxPerClass, long seed,
      java.util.function.IntConsumer classesDone) {
    GradMode.disableOnCurrentThread();
    if (inputs.size() != labels.length) {
      throw new WorkbenchException(inputs.size() + " inputs but " + labels.length + " labels");
    }
    if (maxPerClass < 1) {
      throw new WorkbenchException("need at least one example per class, got " + maxPerClass);
    }
    Random rng = new Random(seed);
    int frames = TokenLayout.shortestFrames(inputs);
    Map<String, GroundingResult> results = new LinkedHashMap<>();
    Map<String, Integer> examples = new LinkedHashMap<>();
    List<String> notes = new ArrayList<>();
    List<String> withoutNeurons = new ArrayList<>();
    for (int c = 0; c < classes.size(); c++) {
      classesDone.accept(c);
      String name = classes.get(c);
      List<Neuron> neurons = byClass.getOrDefault(name, List.of());
      if (neurons.isEmpty()) {
        withoutNeurons.add(name);
        continue;
      }
      List<Integer> own = new ArrayList<>();
      List<Integer> others = new ArrayList<>();
      for (int i = 0; i < labels.length; i++) {
        (labels[i] == c ? own : others).add(i);
      }
      if (own.isEmpty() || others.isEmpty()) {
        notes.add(name + ": skipped, " + (own.isEmpty() ? "no examples of the class"
            : "no examples of other classes"));
        continue;
      }
      Collections.shuffle(own, rng);
      Collections.shuffle(others, rng);
      List<Integer> a = own.subList(0, Math.min(maxPerClass, own.size()));
      List<Integer> b = new ArrayList<>();
      for (int i = 0; i < a.size(); i++) {
        b.add(others.get(i % others.size()));
      }
      try (NDManager scope = NDManager.newBaseManager()) {
        PartedInput condA = stack(inputs, a, frames, scope);
        PartedInput condB = stack(inputs, b, frames, scope);
        results.put(name, GroundingCoefficient.compute(model, units, neurons, condA, condB,
            stat, tokens));
        examples.put(name, a.size());
      }
    }
    classesDone.accept(classes.size());
    if (!withoutNeurons.isEmpty()) {
      notes.add(io.anw.report.NumberText.count(withoutNeurons.size(), "class")
          + " without class-specific neurons left out: " + String.join(", ", withoutNeurons));
    }
    if (results.isEmpty()) {
      throw new WorkbenchException("grounding: no class has both neurons and examples"
          + (notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")"));
    }
    return new ClassGroundingResult(model.name(), results, examples, stat, tokens, frames, notes);
  }

  private static PartedInput stack(List<PartedInput> inputs, List<Integer> idx, int frames,
      NDManager scope) {
    return TokenLayout.stackCropped(idx.stream().map(inputs::get).toList(), frames, scope);
  }
}
