package io.anw.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one forward implementation of the M2D ViT encoder, over a map of parameters by timm name:
 * the hooked inference model ({@link M2dViT}) and the trainable model (autograd) both run it, so
 * an architecture change or a new hook point is written once. Patch embedding (a one-channel
 * conv, tokens frequency-major, {@code pos_embed[:, 1:]} cut to the time patches used), the CLS
 * token with {@code pos_embed[:, :1]} in front, optional caption tokens after the patches,
 * pre-norm blocks ({@link VitBlock}), final norm.
 *
 * <p>The parameters are read when called, not copied: an optimiser updating them in place is
 * seen by the next forward pass.
 */
public final class VitEncoder {
  private static final NDIndex ALL = new NDIndex(":");

  private final Map<String, NDArray> params;
  private final VitDims dims;
  private final List<VitBlock> blocks;
  private final Norm norm;

  /** An encoder of {@code dims} over {@code params} (timm names: {@code blocks.0.attn.qkv.weight}, ...). */
  public VitEncoder(Map<String, NDArray> params, VitDims dims) {
    this.params = params;
    this.dims = dims;
    List<VitBlock> bs = new ArrayList<>();
    for (int i = 0; i < dims.depth(); i++) {
      bs.add(VitBlock.of(i, dims.heads(), params, "blocks." + i + "."));
    }
    this.blocks = List.copyOf(bs);
    this.norm = Norm.of(params, "norm");
  }

  /** The sizes. */
  public VitDims dims() {
    return dims;
  }

  /**
   * The patch tokens with their positions {@code [rows, F'·T', D]} (frequency-major) of a
   * normalised input {@code [rows, 1, mel, frames]} whose frames are a whole number of patches,
   * at most the unit; in x's manager.
   */
  public NDArray patchTokens(NDArray x) {
    NDArray p = x.getNDArrayInternal().convolution(x, params.get("patch_embed.proj.weight"),
        params.get("patch_embed.proj.bias"), new Shape(dims.patchFreq(), dims.patchTime()),
        new Shape(0, 0), new Shape(1, 1), 1).singletonOrThrow();
    long rows = x.getShape().get(0);
    long tp = x.getShape().get(3) / dims.patchTime();
    long patches = dims.freqPatches() * tp;
    NDArray tokens = p.reshape(rows, dims.width(), patches).transpose(0, 2, 1);
    return tokens.add(positions(tp, x.getManager()));
  }

  /**
   * {@code pos_embed[:, 1:]} for the first {@code timePatches} time patches,
   * {@code [1, F'·timePatches, D]}, in {@code scope}.
   */
  public NDArray positions(long timePatches, NDManager scope) {
    NDArray grid = params.get("pos_embed").get(scope, new NDIndex(":, 1:, :"))
        .reshape(1, dims.freqPatches(), dims.unitPatches(), dims.width());
    return grid.get(new NDIndex(":, :, :{}, :", timePatches))
        .reshape(1, dims.freqPatches() * timePatches, dims.width());
  }

  /**
   * The encoder on tokens {@code [B, n, D]} (patch tokens with positions, all or a subset) and
   * optional caption tokens {@code [B, T, D]} (null: none): CLS in front, caption after, the
   * blocks and the final norm; {@code [B, 1 + n (+ T), D]}. No hooks (training, predictors).
   */
  public NDArray encode(NDArray tokens, NDArray text) {
    return encode(tokens, text, HookRun.IDLE, null);
  }

  /**
   * The hooked encoder: as {@link #encode(NDArray, NDArray)}, every hook point passed through
   * {@code run}; with a {@code scope}, each block's intermediates live in a sub-manager closed
   * after the block (inference memory stays flat), its output in {@code scope}.
   */
  NDArray encode(NDArray tokens, NDArray text, HookRun run, NDManager scope) {
    long b = tokens.getShape().get(0);
    NDManager m = scope == null ? tokens.getManager() : scope;
    NDArray cls = params.get("cls_token").get(m, ALL)
        .add(params.get("pos_embed").get(m, new NDIndex(":, :1, :")))
        .broadcast(new Shape(b, 1, dims.width()));
    NDArray h = text == null ? NDArrays.concat(new NDList(cls, tokens), 1)
        : NDArrays.concat(new NDList(cls, tokens, text), 1);
    for (VitBlock block : blocks) {
      if (scope == null) {
        h = block.forward(h, run);
        continue;
      }
      try (NDManager step = scope.newSubManager()) {
        h.attach(step);
        run.scope(step);
        NDArray next = block.forward(h, run);
        next.attach(scope);
        h = next;
      }
    }
    if (scope != null) {
      run.scope(scope);
    }
    return run.at(HookNames.FINAL, norm.apply(h));
  }

  /**
   * One pre-norm transformer block on parameters named {@code prefix + "norm1.weight"}, ...
   * (e.g. an M2D predictor's {@code decoder_blocks.0.}), without hooks.
   */
  public static NDArray block(NDArray x, Map<String, NDArray> params, String prefix,
      int heads) {
    return VitBlock.of(0, heads, params, prefix).forward(x, HookRun.IDLE);
  }

  /** {@code x W^T + b} with {@code prefix.weight} and {@code prefix.bias} of {@code params}. */
  public static NDArray linear(NDArray x, Map<String, NDArray> params, String prefix) {
    return Linear.of(params, prefix).apply(x);
  }

  /** M2D's LayerNorm (eps 1e-6) with {@code prefix.weight} and {@code prefix.bias}. */
  public static NDArray layerNorm(NDArray x, Map<String, NDArray> params, String prefix) {
    return Norm.of(params, prefix).apply(x);
  }
}
