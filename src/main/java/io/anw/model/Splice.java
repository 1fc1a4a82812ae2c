package io.anw.model;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * Something spliced in at a hook point, e.g. a sparse autoencoder: for every chunk it replaces
 * the point's activation (after the point's own hooks) by its own computation, and exposes
 * sub-points that hooks and the cache see like any other hook point (named
 * {@code POINT.hook_...}, e.g. {@code blocks.3.mlp.hook_post.hook_sae_acts_post}). Passed to a
 * run with {@link Hooks#splice}.
 */
public interface Splice {
  /** The hook point it is spliced at. */
  String point();

  /** Its sub-points' full names, in the order {@link #apply} visits them. */
  List<String> subPoints();

  /**
   * The replacement of the point's activation {@code x} ({@code [batch, ...]}, one chunk), of
   * the same shape. Each sub-point's value goes through {@code points.at(name, value)}, and
   * the computation continues with what that returns (a hook there may edit it).
   */
  NDArray apply(NDArray x, SubPoints points);

  /** Hooks and cache at a splice's sub-points, for the chunk being run. */
  @FunctionalInterface
  interface SubPoints {
    /** Runs the hooks of sub-point {@code name} on {@code value}, caches it if asked. */
    NDArray at(String name, NDArray value);
  }
}
