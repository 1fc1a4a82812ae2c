package io.anw.model;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * An audio model whose activations can be read and changed by hook name (see
 * {@link HookNames}). M2D's ViT is the first implementation; other architectures keep the
 * same names. A model owns its weights; {@link #close()} frees them.
 *
 * <p>Inputs are normalised log-mels, {@code [mel, frames]}, {@code [batch, mel, frames]} or
 * {@code [batch, 1, mel, frames]}, all clips of a batch of equal length; see
 * {@link #normalize(NDArray)}. Long inputs run as several chunks (forward passes).
 *
 * <p>Models with several input pathways (audio and text) name their parts in
 * {@link #inputParts()} and run on a {@link PartedInput}; audio-only models read the single
 * part {@link PartedInput#AUDIO}.
 */
public interface Model extends AutoCloseable {

  /** The model's name, e.g. its checkpoint folder. */
  String name();

  /** All hook point names in execution order. */
  List<String> hookNames();

  /** Number of transformer blocks. */
  int layers();

  /** MLP units per block (the neurons of {@code blocks.i.mlp.hook_post}). */
  int neuronsPerLayer();

  /** Normalises a log-mel with the model's statistics, {@code (x - mean) / std}. */
  NDArray normalize(NDArray logMel);

  /**
   * Runs the model with hooks, caching the hook points the globs select (none when no glob is
   * given). The hooks apply only to this call.
   *
   * @throws io.anw.WorkbenchException on a bad input shape or a glob that matches nothing
   */
  ActivationCache run(NDArray input, Hooks hooks, String... cacheNames);

  /** Runs the model. */
  default ModelOutput run(NDArray input) {
    return run(input, Hooks.none()).output();
  }

  /** Runs the model with hooks that may replace activations. */
  default ModelOutput runWithHooks(NDArray input, Hooks hooks) {
    return run(input, hooks).output();
  }

  /**
   * Runs the model and keeps the activations at the hook points the globs select, e.g.
   * {@code "blocks.*.mlp.hook_post"}; with no glob, every hook point.
   */
  default ActivationCache runWithCache(NDArray input, String... names) {
    return run(input, Hooks.none(), names.length == 0 ? new String[] {"**"} : names);
  }

  /** The names of the input parts the model reads, in order; audio-only models: {@code [audio]}. */
  default List<String> inputParts() {
    return List.of(PartedInput.AUDIO);
  }

  /**
   * Runs the model on named input parts, as {@link #run(NDArray, Hooks, String...)}. The default
   * (audio-only models) runs the {@code audio} part.
   *
   * @throws io.anw.WorkbenchException if the parts are not exactly {@link #inputParts()}
   */
  default ActivationCache run(PartedInput input, Hooks hooks, String... cacheNames) {
    input.requireParts(inputParts(), name());
    return run(input.part(PartedInput.AUDIO), hooks, cacheNames);
  }

  /**
   * The token positions {@code [from, to)} of a group in one chunk's activations
   * ({@code [batch, tokens, ...]} at block hook points) of {@code tokens} tokens. The default
   * knows only {@link TokenGroup#ALL}.
   *
   * @throws io.anw.WorkbenchException for a group the model does not lay out
   */
  default int[] tokenRange(TokenGroup group, ChunkPlan.Chunk chunk, long tokens) {
    if (group != TokenGroup.ALL) {
      throw new io.anw.WorkbenchException(name() + " does not name its token groups; only"
          + " 'all' tokens can be counted");
    }
    return new int[] {0, (int) tokens};
  }

  /**
   * The token positions of a group in one chunk's activations of {@code tokens} tokens, in
   * increasing order: {@link #tokenRange} as a list, unless the model's group is not one run of
   * positions (AST's patches that cover audio are a few positions in every frequency row).
   *
   * @throws io.anw.WorkbenchException for a group the model does not lay out
   */
  default int[] tokenPositions(TokenGroup group, ChunkPlan.Chunk chunk, long tokens) {
    int[] r = tokenRange(group, chunk, tokens);
    return java.util.stream.IntStream.range(r[0], r[1]).toArray();
  }

  /**
   * The token positions a sweep over positions patches in one chunk of {@code tokens} tokens,
   * or null for M2D's layout (every token: CLS, patches, caption words). Models that pad their
   * input sweep only what covers audio (and AST its CLS and distillation tokens).
   */
  default int[] sweepPositions(ChunkPlan.Chunk chunk, long tokens) {
    return null;
  }

  /** A short label of a token position (e.g. {@code t12}, {@code f3.t7}), or null for M2D's. */
  default String tokenLabel(int position, ChunkPlan.Chunk chunk) {
    return null;
  }

  /** Frees the model's weights. */
  @Override
  void close();
}
