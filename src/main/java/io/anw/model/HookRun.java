package io.anw.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.anw.WorkbenchException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The hooks and cache of one run, called by the forward pass at every hook point. A cached
 * activation is a view owned by the result manager: no copy, and its memory outlives the pass
 * (the forward never writes in place, and hooks must not either). A hook's replacement is
 * copied into the current scope, in PyTorch memory: it may wrap Java data or belong to another
 * run's cache, and views of it (cache entries, outputs) outlive the array the hook returned.
 *
 * <p>A forward pass may run a group of G equal-length chunks stacked chunk-major along the batch
 * axis ({@code [G·B, ...]}); hooks and the cache still see one chunk at a time ({@code [B, ...]}),
 * at the cost of a split and a join only at points that are hooked or cached.
 */
final class HookRun {
  private static final NDIndex ALL = new NDIndex(":");

  /** No hooks, no cache: the forward pass as it is (training, predictors). */
  static final HookRun IDLE = new HookRun(Map.of(), Set.of(), List.of(), null);

  private final Map<String, Hook> hooks;
  private final Map<String, Splice> splices = new java.util.HashMap<>();
  private final Map<String, List<NDArray>> cache = new LinkedHashMap<>();
  private final NDManager result;
  private final boolean idle;
  private NDManager scope;
  private List<ChunkPlan.Chunk> group = List.of();
  private int chunks;
  private int batch;

  /**
   * @param hooks the resolved hooks by hook name
   * @param cached the names to cache, in execution order
   * @param spliced what is spliced in at hook points (their sub-points may be hooked, cached)
   * @param result the manager that owns the cached views
   */
  HookRun(Map<String, Hook> hooks, Set<String> cached, List<Splice> spliced, NDManager result) {
    this.hooks = hooks;
    this.result = result;
    for (String n : cached) {
      cache.put(n, new ArrayList<>());
    }
    spliced.forEach(s -> splices.put(s.point(), s));
    this.idle = hooks.isEmpty() && cached.isEmpty() && spliced.isEmpty();
  }

  /** Starts a group of chunks of the input, stacked chunk-major along the batch axis. */
  void group(List<ChunkPlan.Chunk> chunkGroup, int chunkCount, int batchSize) {
    this.group = List.copyOf(chunkGroup);
    this.chunks = chunkCount;
    this.batch = batchSize;
  }

  /** Sets the manager that owns the arrays of the current step of the forward pass. */
  void scope(NDManager manager) {
    this.scope = manager;
  }

  /** Whether a point has a hook or is cached (so that its activation must be materialised). */
  boolean active(String name) {
    return !idle && (hooks.containsKey(name) || cache.containsKey(name)
        || splices.containsKey(name));
  }

  /** Runs the hook of a point, caches the result when asked, and returns what flows on. */
  NDArray at(String name, NDArray x) {
    if (idle) {
      return x;
    }
    Hook hook = hooks.get(name);
    List<NDArray> cached = cache.get(name);
    Splice splice = splices.get(name);
    if (hook == null && cached == null && splice == null) {
      return x;
    }
    if (group.size() == 1) {
      return one(name, hook, cached, group.get(0), x);
    }
    NDList parts = new NDList(group.size());
    for (int g = 0; g < group.size(); g++) {
      NDArray rows = x.get(new NDIndex("{}:{}", (long) g * batch, (long) (g + 1) * batch));
      parts.add(one(name, hook, cached, group.get(g), rows));
    }
    return hook == null && splice == null ? x : NDArrays.concat(parts, 0);
  }

  /** Hooks and caches the activation of one chunk, {@code [batch, ...]}. */
  private NDArray one(String name, Hook hook, List<NDArray> cached, ChunkPlan.Chunk chunk,
      NDArray x) {
    if (hook != null) {
      NDArray r = hook.apply(new HookContext(name, HookNames.layerOf(name), chunk, chunks, batch,
          scope), x);
      if (r == null || !r.getShape().equals(x.getShape())) {
        throw new WorkbenchException("hook at " + name + " returned "
            + (r == null ? "null" : "shape " + r.getShape()) + ", expected " + x.getShape());
      }
      if (r != x) {
        // A replacement may wrap Java data (manager.create) or belong to another run: views
        // of it (the cache, the outputs) outlive the hook's array, so keep a PyTorch copy.
        r = io.anw.TorchArrays.copy(r, scope);
      }
      x = r;
    }
    if (cached != null) {
      cached.add(x.get(result, ALL));
    }
    Splice splice = splices.get(name);
    if (splice != null) {
      NDArray r = splice.apply(x, (sub, v) -> one(sub, hooks.get(sub), cache.get(sub), chunk, v));
      if (r == null || !r.getShape().equals(x.getShape())) {
        throw new WorkbenchException("the splice at " + name + " returned "
            + (r == null ? "null" : "shape " + r.getShape()) + ", expected " + x.getShape());
      }
      x = r;
    }
    return x;
  }

  /** The cached activations by name, one array per chunk. */
  Map<String, List<NDArray>> cached() {
    return cache;
  }
}
