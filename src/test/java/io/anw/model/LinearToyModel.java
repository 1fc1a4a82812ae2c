package io.anw.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.anw.WorkbenchException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A test model that is linear with non-negative weights, with M2D's token layout and hook
 * names: an input {@code [B, F, T]} (1×1 patches, one chunk) becomes tokens {@code x·e}
 * frequency-major after a constant CLS; each block adds a token-mean mixing
 * ({@code hook_attn_out}) and an MLP whose "activation" is the identity
 * ({@code mlp.hook_pre} = {@code mlp.hook_post}); no norm. With inputs that only grow from
 * corrupted to clean, every patch moves a non-negative linear metric between the two.
 */
public final class LinearToyModel implements Model {
  private final int freq;
  private final int time;
  private final int width;
  private final int mlp;
  private final int depth;
  private final NDManager root;
  private final NDArray embed; // [D]
  private final NDArray cls; // [D]
  private final List<NDArray[]> blocks = new ArrayList<>(); // {A [D,D], W1 [D,M], W2 [M,D]}
  private final List<String> names = new ArrayList<>();

  public LinearToyModel(int freq, int time, int width, int mlp, int depth, long seed) {
    this.freq = freq;
    this.time = time;
    this.width = width;
    this.mlp = mlp;
    this.depth = depth;
    this.root = NDManager.newBaseManager();
    Random r = new Random(seed);
    embed = root.create(uniform(r, width, 1.0f));
    cls = root.create(uniform(r, width, 0.5f));
    for (int i = 0; i < depth; i++) {
      blocks.add(new NDArray[] {
          root.create(uniform(r, width * width, 0.5f / width), new Shape(width, width)),
          root.create(uniform(r, width * mlp, 1.0f / width), new Shape(width, mlp)),
          root.create(uniform(r, mlp * width, 1.0f / mlp), new Shape(mlp, width))});
    }
    names.add(HookNames.EMBED);
    for (int i = 0; i < depth; i++) {
      for (String s : List.of(HookNames.RESID_PRE, HookNames.ATTN_OUT, HookNames.RESID_MID,
          HookNames.MLP_PRE, HookNames.MLP_POST, HookNames.MLP_OUT, HookNames.RESID_POST)) {
        names.add(HookNames.block(i, s));
      }
    }
    names.add(HookNames.FINAL);
  }

  private static float[] uniform(Random r, int n, float scale) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = r.nextFloat() * scale;
    }
    return a;
  }

  @Override
  public String name() {
    return "linear-toy";
  }

  @Override
  public List<String> hookNames() {
    return List.copyOf(names);
  }

  @Override
  public int layers() {
    return depth;
  }

  @Override
  public int neuronsPerLayer() {
    return mlp;
  }

  @Override
  public NDArray normalize(NDArray logMel) {
    return logMel;
  }

  @Override
  public ActivationCache run(NDArray input, Hooks hooks, String... cacheNames) {
    Shape s = input.getShape();
    long b = s.dimension() == 2 ? 1 : s.get(0);
    if (s.size() != b * freq * time) {
      throw new WorkbenchException("linear toy expects [B, " + freq + ", " + time + "], got " + s);
    }
    Set<String> cached = cacheNames.length == 0 ? Set.of()
        : HookPattern.selectAll(names, cacheNames);
    Map<String, Hook> resolved = hooks.resolve(names);
    ChunkPlan plan = ChunkPlan.of(time, time, 1);
    NDManager result = root.newSubManager();
    HookRun run = new HookRun(resolved, cached, java.util.List.of(), result);
    run.group(plan.chunks(), 1, (int) b);
    try (NDManager scope = root.newSubManager()) {
      run.scope(scope);
      NDArray x = input.get(scope, new ai.djl.ndarray.index.NDIndex(":"))
          .toType(DataType.FLOAT32, false).reshape(b, (long) freq * time, 1);
      NDArray tokens = run.at(HookNames.EMBED, x.mul(embed.get(scope,
          new ai.djl.ndarray.index.NDIndex(":"))));
      NDArray h = NDArrays.concat(new NDList(
          cls.get(scope, new ai.djl.ndarray.index.NDIndex(":")).broadcast(new Shape(b, 1, width)),
          tokens), 1);
      for (int i = 0; i < depth; i++) {
        NDArray[] w = blocks.get(i);
        h = run.at(HookNames.block(i, HookNames.RESID_PRE), h);
        NDArray attn = run.at(HookNames.block(i, HookNames.ATTN_OUT),
            h.mean(new int[] {1}, true).matMul(w[0]).broadcast(h.getShape()));
        h = run.at(HookNames.block(i, HookNames.RESID_MID), h.add(attn));
        NDArray pre = run.at(HookNames.block(i, HookNames.MLP_PRE), h.matMul(w[1]));
        NDArray post = run.at(HookNames.block(i, HookNames.MLP_POST), pre.mul(1f)); // identity, differentiable
        NDArray out = run.at(HookNames.block(i, HookNames.MLP_OUT), post.matMul(w[2]));
        h = run.at(HookNames.block(i, HookNames.RESID_POST), h.add(out));
      }
      h = run.at(HookNames.FINAL, h);
      NDArray features = h.get(":, 1:, :").reshape(b, freq, time, width).transpose(0, 2, 1, 3)
          .reshape(b, time, (long) freq * width);
      NDArray clsOut = h.get(":, :1, :");
      features.attach(result);
      clsOut.attach(result);
      return new ActivationCache(result, run.cached(),
          new ModelOutput(result, features, clsOut, plan));
    } catch (RuntimeException e) {
      result.close();
      throw e;
    }
  }

  @Override
  public void close() {
    root.close();
  }
}
