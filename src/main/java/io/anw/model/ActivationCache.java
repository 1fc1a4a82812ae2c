package io.anw.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.anw.WorkbenchException;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The activations of one run at the hook points that were asked for, by hook name, one array
 * per chunk, plus the run's {@link ModelOutput}. Owns all of them: {@link #close()} frees the
 * activations and the output together.
 *
 * <p>Shapes are those of {@link HookNames}, per chunk. {@link #get(String)} joins the chunks
 * along the token axis (axis 1); each chunk keeps its own CLS token at its first position.
 */
public final class ActivationCache implements AutoCloseable {
  private final NDManager manager;
  private final Map<String, List<NDArray>> byName;
  private final Map<String, NDArray> joined = new HashMap<>();
  private final ModelOutput output;

  ActivationCache(NDManager manager, Map<String, List<NDArray>> byName, ModelOutput output) {
    this.manager = manager;
    this.byName = Collections.unmodifiableMap(new LinkedHashMap<>(byName));
    this.output = output;
  }

  /** The run's features and CLS outputs (closed with this cache). */
  public ModelOutput output() {
    return output;
  }

  /** The cached hook names, in execution order. */
  public Set<String> names() {
    return byName.keySet();
  }

  /** Whether a hook point was cached. */
  public boolean has(String name) {
    return byName.containsKey(name);
  }

  /** Number of chunks (forward passes) of the run. */
  public int chunks() {
    return output.plan().chunks().size();
  }

  /**
   * The activation of one chunk.
   *
   * @throws WorkbenchException if the name was not cached or the chunk does not exist
   */
  public NDArray get(String name, int chunk) {
    List<NDArray> parts = parts(name);
    if (chunk < 0 || chunk >= parts.size()) {
      throw new WorkbenchException(name + ": no chunk " + chunk + " (the run had "
          + parts.size() + ")");
    }
    return parts.get(chunk);
  }

  /**
   * The activation over the whole input: the single chunk's, or the chunks joined along the
   * token axis (axis 1). Attention patterns of several chunks cannot be joined; use
   * {@link #get(String, int)}.
   */
  public NDArray get(String name) {
    List<NDArray> parts = parts(name);
    if (parts.size() == 1) {
      return parts.get(0);
    }
    if (name.endsWith(HookNames.PATTERN)) {
      throw new WorkbenchException(name + ": " + parts.size()
          + " chunks of attention patterns; pick one with get(name, chunk)");
    }
    return joined.computeIfAbsent(name, n -> NDArrays.concat(new NDList(parts), 1));
  }

  /** The neurons of a layer, {@code blocks.{layer}.mlp.hook_post}: {@code [batch, tokens, mlp]}. */
  public NDArray neurons(int layer) {
    return get(HookNames.neurons(layer));
  }

  private List<NDArray> parts(String name) {
    if (!manager.isOpen()) {
      throw new WorkbenchException("this activation cache was closed; run the model again");
    }
    List<NDArray> parts = byName.get(name);
    if (parts == null) {
      List<String> names = List.copyOf(byName.keySet());
      throw new WorkbenchException("'" + name + "' was not cached; cached: "
          + (names.isEmpty() ? "nothing" : String.join(", ", names.subList(0, Math.min(6,
              names.size()))) + (names.size() > 6 ? ", ... " + (names.size() - 6) + " more" : "")));
    }
    return parts;
  }

  /** Frees the cached activations and the output. */
  @Override
  public void close() {
    manager.close();
  }

  @Override
  public String toString() {
    if (!manager.isOpen()) {
      return "ActivationCache[closed]";
    }
    StringBuilder sb = new StringBuilder("ActivationCache[").append(chunks()).append(" chunk(s)");
    byName.forEach((n, p) -> sb.append(", ").append(n).append(' ').append(p.get(0).getShape()));
    return sb.append(']').toString();
  }
}
