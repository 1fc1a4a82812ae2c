package io.anw.model;

import ai.djl.ndarray.NDArray;
import io.anw.WorkbenchException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model input made of named parts, e.g. {@code audio} (a normalised log-mel) and {@code text}
 * (caption token ids, see {@link TextPathway}) for a model with two input pathways. Audio-only models take one part,
 * {@link #AUDIO}. The arrays are not copied or owned: the caller keeps and closes them.
 *
 * @param parts the arrays by part name, in the model's order
 */
public record PartedInput(Map<String, NDArray> parts) {
  /** The audio part: a normalised log-mel as {@link Model#run(NDArray, Hooks, String...)} takes. */
  public static final String AUDIO = "audio";
  /** The text part of audio-text models. */
  public static final String TEXT = "text";

  /** Copies the map, keeping its order. */
  public PartedInput {
    if (parts.isEmpty()) {
      throw new WorkbenchException("a model input needs at least one part");
    }
    parts = Collections.unmodifiableMap(new LinkedHashMap<>(parts));
  }

  /** An audio-only input. */
  public static PartedInput audio(NDArray logMel) {
    return new PartedInput(Map.of(AUDIO, logMel));
  }

  /** An audio and a text part. */
  public static PartedInput of(NDArray audio, NDArray text) {
    Map<String, NDArray> m = new LinkedHashMap<>();
    m.put(AUDIO, audio);
    m.put(TEXT, text);
    return new PartedInput(m);
  }

  /**
   * Single examples stacked along a new batch axis 0, part by part (views in {@code manager}):
   * e.g. audio {@code [mel, frames]} and text {@code [tokens]} become {@code [n, mel, frames]}
   * and {@code [n, tokens]}.
   *
   * @throws WorkbenchException when the examples have other parts or shapes than the first
   */
  public static PartedInput stack(List<PartedInput> singles, ai.djl.ndarray.NDManager manager) {
    if (singles.isEmpty()) {
      throw new WorkbenchException("nothing to stack");
    }
    PartedInput first = singles.get(0);
    Map<String, NDArray> m = new LinkedHashMap<>();
    for (String name : first.names()) {
      ai.djl.ndarray.NDList views = new ai.djl.ndarray.NDList(singles.size());
      for (PartedInput in : singles) {
        NDArray a = in.part(name);
        if (!a.getShape().equals(first.part(name).getShape())) {
          throw new WorkbenchException("cannot stack " + name + " parts of shapes "
              + first.part(name).getShape() + " and " + a.getShape());
        }
        views.add(a.get(manager, new ai.djl.ndarray.index.NDIndex("...")));
      }
      m.put(name, ai.djl.ndarray.NDArrays.stack(views, 0));
    }
    return new PartedInput(m);
  }

  /** Whether every part has the same shape as in {@code other} (so the two can be stacked). */
  public boolean sameShapes(PartedInput other) {
    if (!names().equals(other.names())) {
      return false;
    }
    for (String n : names()) {
      if (!part(n).getShape().equals(other.part(n).getShape())) {
        return false;
      }
    }
    return true;
  }

  /** The part names, in order. */
  public List<String> names() {
    return List.copyOf(parts.keySet());
  }

  /**
   * One part.
   *
   * @throws WorkbenchException naming the parts there are if {@code name} is not one
   */
  public NDArray part(String name) {
    NDArray a = parts.get(name);
    if (a == null) {
      throw new WorkbenchException("input has no part '" + name + "'; parts: " + names());
    }
    return a;
  }

  /** This input with one part replaced (patching an input part between two conditions). */
  public PartedInput with(String name, NDArray array) {
    part(name);
    Map<String, NDArray> m = new LinkedHashMap<>(parts);
    m.put(name, array);
    return new PartedInput(m);
  }

  /**
   * Checks that the parts are exactly those a model reads.
   *
   * @throws WorkbenchException naming the model, its parts and the given ones
   */
  public void requireParts(List<String> expected, String model) {
    if (!parts.keySet().equals(new java.util.HashSet<>(expected))) {
      throw new WorkbenchException(model + " reads the input parts " + expected + "; got "
          + names());
    }
  }
}
