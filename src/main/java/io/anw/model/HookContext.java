package io.anw.model;

import ai.djl.ndarray.NDManager;

/**
 * Where a hook is called: the hook point, the chunk of the input being run and the batch.
 *
 * @param name the hook point, e.g. {@code blocks.5.mlp.hook_post}
 * @param layer the block index, or -1 for {@code hook_embed} and {@code hook_final}
 * @param chunk the chunk of the input this forward pass runs (frames, padding, time patches)
 * @param chunks the number of chunks of this input
 * @param batch the batch size B
 * @param manager the manager of this forward pass; arrays a hook creates for its replacement
 *     belong here and are freed after the chunk
 */
public record HookContext(String name, int layer, ChunkPlan.Chunk chunk, int chunks, int batch,
    NDManager manager) {}
