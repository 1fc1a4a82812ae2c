package io.anw.model;

import ai.djl.ndarray.NDArray;
import java.util.List;
import ai.djl.ndarray.types.Shape;

/**
 * One transformer block, with a hook point at every intermediate. As M2D (timm's ViT) uses it,
 * pre-norm with a fused qkv: {@code x += proj(attn(norm1(x))); x += fc2(gelu(fc1(norm2(x))))};
 * for other audio transformers also post-norm ({@code x = norm1(x + attn(x)); x = norm2(x +
 * fc2(gelu(fc1(x))))}, wav2vec 2.0 and HuBERT base) and split q/k/v projections. The GELU is
 * the exact (erf) one.
 */
final class VitBlock {
  private final Norm norm1;
  private final Linear qkv; // fused [3D, D], or null with q, k, v
  private final Linear q;
  private final Linear k;
  private final Linear v;
  private final boolean preNorm;
  private final Linear proj;
  private final Norm norm2;
  private final Linear fc1;
  private final Linear fc2;
  private final int heads;
  private final float scale;
  private final String[] names;

  VitBlock(int layer, int heads, Norm norm1, Linear qkv, Linear proj, Norm norm2, Linear fc1,
      Linear fc2) {
    this(layer, heads, true, norm1, qkv, null, proj, norm2, fc1, fc2);
  }

  /**
   * A block with split q/k/v ({@code qkv} null, {@code split} = q, k, v) or fused ones, pre- or
   * post-norm.
   */
  VitBlock(int layer, int heads, boolean preNorm, Norm norm1, Linear qkv, Linear[] split,
      Linear proj, Norm norm2, Linear fc1, Linear fc2) {
    this.norm1 = norm1;
    this.qkv = qkv;
    this.q = split == null ? null : split[0];
    this.k = split == null ? null : split[1];
    this.v = split == null ? null : split[2];
    this.preNorm = preNorm;
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
   * The block of a wav2vec 2.0 / HuBERT encoder layer on Hugging Face parameter names
   * ({@code prefix + "attention.q_proj.weight"}, {@code layer_norm}, {@code feed_forward.*},
   * {@code final_layer_norm}): post-norm, or pre-norm for the "stable layer norm" layout.
   */
  static VitBlock wav2vec2(int layer, int heads, boolean preNorm, java.util.Map<String, NDArray> p,
      String prefix, float eps) {
    String a = prefix + "attention.";
    return new VitBlock(layer, heads, preNorm, Norm.of(p, prefix + "layer_norm", eps), null,
        new Linear[] {Linear.of(p, a + "q_proj"), Linear.of(p, a + "k_proj"),
            Linear.of(p, a + "v_proj")}, Linear.of(p, a + "out_proj"),
        Norm.of(p, prefix + "final_layer_norm", eps),
        Linear.of(p, prefix + "feed_forward.intermediate_dense"),
        Linear.of(p, prefix + "feed_forward.output_dense"));
  }

  /**
   * The block of a Whisper encoder layer (pre-norm, split q/k/v, no key bias), on Hugging Face
   * names ({@code self_attn.{q,k,v,out}_proj}, {@code self_attn_layer_norm}, {@code fc1},
   * {@code fc2}, {@code final_layer_norm}) or, with {@code openai}, OpenAI's
   * ({@code attn.{query,key,value,out}}, {@code attn_ln}, {@code mlp.0}, {@code mlp.2},
   * {@code mlp_ln}); layer-norm epsilon 1e-5.
   */
  static VitBlock whisper(int layer, int heads, boolean openai, java.util.Map<String, NDArray> p,
      String prefix) {
    String a = prefix + (openai ? "attn." : "self_attn.");
    Linear q = Linear.of(p, a + (openai ? "query" : "q_proj"));
    Linear k = Linear.of(p, a + (openai ? "key" : "k_proj"));
    if (k.bias() == null) { // Whisper's key projection has no bias
      k = new Linear(k.weight(), k.weight().getManager().zeros(new Shape(k.weight().getShape()
          .get(0)), k.weight().getDataType()));
    }
    return new VitBlock(layer, heads, true, Norm.of(p, prefix + (openai ? "attn_ln"
        : "self_attn_layer_norm"), 1e-5f), null, new Linear[] {q, k,
            Linear.of(p, a + (openai ? "value" : "v_proj"))},
        Linear.of(p, a + (openai ? "out" : "out_proj")),
        Norm.of(p, prefix + (openai ? "mlp_ln" : "final_layer_norm"), 1e-5f),
        Linear.of(p, prefix + (openai ? "mlp.0" : "fc1")),
        Linear.of(p, prefix + (openai ? "mlp.2" : "fc2")));
  }

  /**
   * The block of an AST (Hugging Face ViT layout) layer: pre-norm, split q/k/v
   * ({@code attention.attention.query|key|value}, {@code attention.output.dense},
   * {@code layernorm_before}, {@code layernorm_after}, {@code intermediate.dense},
   * {@code output.dense}).
   */
  static VitBlock ast(int layer, int heads, java.util.Map<String, NDArray> p, String prefix,
      float eps) {
    String a = prefix + "attention.attention.";
    return new VitBlock(layer, heads, true, Norm.of(p, prefix + "layernorm_before", eps), null,
        new Linear[] {Linear.of(p, a + "query"), Linear.of(p, a + "key"),
            Linear.of(p, a + "value")}, Linear.of(p, prefix + "attention.output.dense"),
        Norm.of(p, prefix + "layernorm_after", eps), Linear.of(p, prefix + "intermediate.dense"),
        Linear.of(p, prefix + "output.dense"));
  }

  /**
   * Runs {@code blocks} in order on {@code h}, each block's intermediates in a sub-manager of
   * h's manager closed after the block (memory stays that of one block, whatever the depth);
   * the output belongs to h's manager.
   */
  static NDArray forwardAll(List<VitBlock> blocks, NDArray h, HookRun run) {
    ai.djl.ndarray.NDManager scope = h.getManager();
    boolean hooked = run != HookRun.IDLE;
    for (VitBlock block : blocks) {
      try (ai.djl.ndarray.NDManager step = scope.newSubManager()) {
        h.attach(step);
        if (hooked) {
          run.scope(step);
        }
        NDArray next = block.forward(h, run);
        next.attach(scope);
        h = next;
      }
    }
    if (hooked) {
      run.scope(scope);
    }
    return h;
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
    NDArray attnIn = preNorm ? norm1.apply(x) : x;
    NDArray qh;
    NDArray kh;
    NDArray vh;
    if (qkv != null) {
      NDArray qkvHeads = qkv.apply(attnIn).reshape(b, n, 3, heads, dh)
          .transpose(2, 0, 3, 1, 4).reshape(3, b * heads, n, dh);
      qh = qkvHeads.get(0);
      kh = qkvHeads.get(1);
      vh = qkvHeads.get(2);
    } else {
      qh = headMajor(q.apply(attnIn), b, n, dh);
      kh = headMajor(k.apply(attnIn), b, n, dh);
      vh = headMajor(v.apply(attnIn), b, n, dh);
    }
    NDArray qs = headHook(run, names[1], qh, b, n, dh);
    NDArray ks = headHook(run, names[2], kh, b, n, dh);
    NDArray vs = headHook(run, names[3], vh, b, n, dh);
    // a PyTorch-owned scalar: attribution patching takes gradients through this product
    NDArray probs = qs.mul(io.anw.TorchArrays.scalar(qs.getManager(), scale))
        .batchMatMul(ks.transpose(0, 2, 1)).softmax(-1);
    NDArray pattern = run.at(names[4], probs.reshape(b, heads, n, n)).reshape(b * heads, n, n);
    NDArray z = pattern.batchMatMul(vs).reshape(b, heads, n, dh).transpose(0, 2, 1, 3)
        .reshape(b, n, d);
    NDArray attnOut = run.at(names[5], proj.apply(z));
    x = x.add(attnOut);
    x = run.at(names[6], preNorm ? x : norm1.apply(x));
    NDArray pre = run.at(names[7], fc1.apply(preNorm ? norm2.apply(x) : x));
    NDArray post = run.at(names[8], pre.getNDArrayInternal().gelu());
    NDArray mlpOut = run.at(names[9], fc2.apply(post));
    x = x.add(mlpOut);
    return run.at(names[10], preNorm ? x : norm2.apply(x));
  }

  /** {@code [batch, tokens, width]} as contiguous head-major {@code [batch·heads, tokens, dh]}. */
  private NDArray headMajor(NDArray x, long b, long n, long dh) {
    return x.reshape(b, n, heads, dh).transpose(0, 2, 1, 3).reshape(b * heads, n, dh);
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
