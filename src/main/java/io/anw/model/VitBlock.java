package io.anw.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * One pre-norm transformer block of timm's ViT as M2D uses it:
 * {@code x += proj(attn(norm1(x))); x += fc2(gelu(fc1(norm2(x))))}, with a qkv bias and the
 * exact (erf) GELU, and a hook point at every intermediate.
 */
final class VitBlock {
  private final Norm norm1;
  private final Linear qkv;
  private final Linear proj;
  private final Norm norm2;
  private final Linear fc1;
  private final Linear fc2;
  private final int heads;
  private final float scale;
  private final String[] names;

  VitBlock(int layer, int heads, Norm norm1, Linear qkv, Linear proj, Norm norm2, Linear fc1,
      Linear fc2) {
    this.norm1 = norm1;
    this.qkv = qkv;
    this.proj = proj;
    this.norm2 = norm2;
    this.fc1 = fc1;
    this.fc2 = fc2;
    this.heads = heads;
    long width = proj.weight().getShape().get(0);
    this.scale = (float) (1.0 / Math.sqrt(width / heads));
    this.names = HookNames.BLOCK_SUFFIXES.stream().map(s -> HookNames.block(layer, s))
        .toArray(String[]::new);
  }

  /** The block of {@code layer} on parameters named {@code prefix + "norm1.weight"}, ... */
  static VitBlock of(int layer, int heads, java.util.Map<String, NDArray> p, String prefix) {
    return new VitBlock(layer, heads, Norm.of(p, prefix + "norm1"),
        Linear.of(p, prefix + "attn.qkv"), Linear.of(p, prefix + "attn.proj"),
        Norm.of(p, prefix + "norm2"), Linear.of(p, prefix + "mlp.fc1"),
        Linear.of(p, prefix + "mlp.fc2"));
  }

  /**
   * Runs the block on the residual stream {@code [batch, tokens, width]}; all results belong
   * to x's manager. Attention runs on contiguous head-major {@code [batch·heads, tokens,
   * headWidth]} arrays (batched matmuls on strided views are several times slower); the
   * documented hook layouts are views made only when a hook point is hooked or cached.
   */
  NDArray forward(NDArray x, HookRun run) {
    Shape s = x.getShape();
    long b = s.get(0);
    long n = s.get(1);
    long d = s.get(2);
    long dh = d / heads;
    x = run.at(names[0], x);
    NDArray qkvHeads = qkv.apply(norm1.apply(x)).reshape(b, n, 3, heads, dh)
        .transpose(2, 0, 3, 1, 4).reshape(3, b * heads, n, dh);
    NDArray q = headHook(run, names[1], qkvHeads.get(0), b, n, dh);
    NDArray k = headHook(run, names[2], qkvHeads.get(1), b, n, dh);
    NDArray v = headHook(run, names[3], qkvHeads.get(2), b, n, dh);
    // a PyTorch-owned scalar: attribution patching takes gradients through this product
    NDArray probs = q.mul(io.anw.TorchArrays.scalar(q.getManager(), scale))
        .batchMatMul(k.transpose(0, 2, 1)).softmax(-1);
    NDArray pattern = run.at(names[4], probs.reshape(b, heads, n, n)).reshape(b * heads, n, n);
    NDArray z = pattern.batchMatMul(v).reshape(b, heads, n, dh).transpose(0, 2, 1, 3)
        .reshape(b, n, d);
    NDArray attnOut = run.at(names[5], proj.apply(z));
    x = run.at(names[6], x.add(attnOut));
    NDArray pre = run.at(names[7], fc1.apply(norm2.apply(x)));
    NDArray post = run.at(names[8], pre.getNDArrayInternal().gelu());
    NDArray mlpOut = run.at(names[9], fc2.apply(post));
    return run.at(names[10], x.add(mlpOut));
  }

  /**
   * Passes a head-major {@code [batch·heads, tokens, headWidth]} array through its hook point
   * in the documented {@code [batch, tokens, heads, headWidth]} layout, when the point is used.
   */
  private NDArray headHook(HookRun run, String name, NDArray headMajor, long b, long n,
      long dh) {
    if (!run.active(name)) {
      return headMajor;
    }
    NDArray hooked = run.at(name, headMajor.reshape(b, heads, n, dh).transpose(0, 2, 1, 3));
    return hooked.transpose(0, 2, 1, 3).reshape(b * heads, n, dh);
  }
}
