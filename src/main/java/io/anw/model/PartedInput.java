package io.anw.model;

import ai.djl.ndarray.NDArray;
import io.anw.WorkbenchException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model input made of named parts, e.g. {@code audio} (a normalised log-mel) and {@code text}
 * (token embeddings) for a model with two input pathways. Audio-only models take one part,
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
