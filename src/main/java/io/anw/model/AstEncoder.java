package io.anw.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.anw.WorkbenchException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Audio Spectrogram Transformer's encoder (Hugging Face {@code ASTModel} names): a
 * normalised Kaldi fbank {@code [batch, frames, bins]} ({@code audio.KaldiFbank}) cut into
 * 16×16 patches with strides (frequency, time) by a convolution, frequency-major, after a CLS
 * and a distillation token, plus learnt positions ({@code hook_embed}); pre-norm ViT blocks
 * (the one {@link VitBlock} code); the final layer norm ({@code hook_final}).
 */
public final class AstEncoder {
  private final NDArray patchWeight;
  private final NDArray patchBias;
  private final NDArray cls;
  private final NDArray dist;
  private final NDArray positions; // [1, 2 + patches, d]
  private final List<VitBlock> blocks;
  private final Norm finalNorm;
  private final int frequencyStride;
  private final int timeStride;

  private AstEncoder(Map<String, NDArray> p, List<VitBlock> blocks, Norm finalNorm, int fStride,
      int tStride) {
    this.patchWeight = p.get("embeddings.patch_embeddings.projection.weight");
    this.patchBias = p.get("embeddings.patch_embeddings.projection.bias");
    this.cls = p.get("embeddings.cls_token");
    this.dist = p.get("embeddings.distillation_token");
    this.positions = p.get("embeddings.position_embeddings");
    this.blocks = List.copyOf(blocks);
    this.finalNorm = finalNorm;
    this.frequencyStride = fStride;
    this.timeStride = tStride;
  }

  /**
   * The encoder on {@code ASTModel} parameters (a wrapper's prefix already stripped).
   *
   * @param eps layer-norm epsilon ({@code layer_norm_eps}, 1e-12)
   * @throws WorkbenchException when the embedding parameters are missing
   */
  public static AstEncoder of(Map<String, NDArray> p, int heads, float eps, int frequencyStride,
      int timeStride) {
    for (String key : new String[] {"embeddings.patch_embeddings.projection.weight",
        "embeddings.cls_token", "embeddings.distillation_token",
        "embeddings.position_embeddings", "layernorm.weight"}) {
      if (!p.containsKey(key)) {
        throw new WorkbenchException("not an AST encoder: no parameter " + key);
      }
    }
    List<VitBlock> blocks = new ArrayList<>();
    for (int i = 0; p.containsKey("encoder.layer." + i + ".attention.attention.query.weight");
        i++) {
      blocks.add(VitBlock.ast(i, heads, p, "encoder.layer." + i + ".", eps));
    }
    return new AstEncoder(p, blocks, Norm.of(p, "layernorm", eps), frequencyStride, timeStride);
  }

  /** Encoder blocks. */
  public int depth() {
    return blocks.size();
  }

  /**
   * The patch grid of an fbank of {@code bins} x {@code frames}: {frequency patches, time
   * patches}, from the patch size of the projection's weights and the strides. Patch
   * {@code (f, t)} is token {@code 2 + f · timePatches + t} and starts at frame
   * {@code t · timeStride}.
   */
  public int[] grid(int bins, int frames) {
    int pf = (int) patchWeight.getShape().get(2);
    int pt = (int) patchWeight.getShape().get(3);
    return new int[] {(bins - pf) / frequencyStride + 1, (frames - pt) / timeStride + 1};
  }

  /** The patch grid over an fbank of {@code bins} x {@code frames} (sizes and strides). */
  public PatchGrid patchGrid(int bins, int frames) {
    int[] g = grid(bins, frames);
    return new PatchGrid(g[0], g[1], (int) patchWeight.getShape().get(2),
        (int) patchWeight.getShape().get(3), frequencyStride, timeStride);
  }

  /** Frames between consecutive time patches. */
  public int timeStride() {
    return timeStride;
  }

  /** Tokens: CLS, distillation and the patches the positions were learnt for. */
  public long tokens() {
    return positions.getShape().get(1);
  }

  /**
   * The encoder's output {@code [batch, 2 + patches, d]} of a normalised fbank {@code [batch,
   * frames, bins]} of the length the positions were learnt for ({@code max_length}), with hooks.
   */
  NDArray forward(NDArray fbank, HookRun run) {
    NDArray x = fbank.expandDims(1).transpose(0, 1, 3, 2); // [B, 1, bins, frames]
    NDArray p = x.getNDArrayInternal().convolution(x, patchWeight, patchBias,
        new Shape(frequencyStride, timeStride), new Shape(0, 0), new Shape(1, 1), 1)
        .singletonOrThrow();
    long b = p.getShape().get(0);
    long d = p.getShape().get(1);
    NDArray patches = p.reshape(b, d, -1).transpose(0, 2, 1); // frequency-major
    if (patches.getShape().get(1) + 2 != tokens()) {
      throw new WorkbenchException("AST: " + fbank.getShape().get(1) + " frames give "
          + patches.getShape().get(1) + " patches; the positions are for " + (tokens() - 2));
    }
    // views in the input's manager: arrays made from the weights would belong to theirs
    ai.djl.ndarray.NDManager m = fbank.getManager();
    NDIndex all = new NDIndex(":");
    NDArray special = NDArrays.concat(new NDList(cls.get(m, all).broadcast(new Shape(b, 1, d)),
        dist.get(m, all).broadcast(new Shape(b, 1, d))), 1);
    NDArray h = NDArrays.concat(new NDList(special, patches), 1).add(positions);
    h = run.at(HookNames.EMBED, h);
    h = VitBlock.forwardAll(blocks, h, run);
    return run.at(HookNames.FINAL, finalNorm.apply(h));
  }
}
