package io.anw.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.anw.WorkbenchException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A test model with two input pathways and hand-set weights: parts {@code audio}
 * {@code [B, N, Da]} and {@code text} {@code [B, N, Dt]}, one layer of neurons
 * {@code blocks.0.mlp.hook_post = relu(audio·Wa + text·Wt + bias)} {@code [B, N, M]}, output
 * features = the neurons.
 */
public final class TwoPartToyModel implements Model {
  private static final NDIndex ALL = new NDIndex(":");
  private static final String PRE = HookNames.block(0, HookNames.MLP_PRE);
  private static final String POST = HookNames.neurons(0);
  private static final List<String> NAMES = List.of(PRE, POST, HookNames.FINAL);
  private final NDManager root;
  private final NDArray wa;
  private final NDArray wt;
  private final NDArray bias;
  private final int neurons;

  /**
   * @param wa audio weights {@code [Da][M]}
   * @param wt text weights {@code [Dt][M]}
   * @param bias {@code [M]}
   */
  public TwoPartToyModel(float[][] wa, float[][] wt, float[] bias) {
    root = NDManager.newBaseManager();
    neurons = bias.length;
    this.wa = root.create(wa);
    this.wt = root.create(wt);
    this.bias = root.create(bias);
  }

  @Override
  public String name() {
    return "two-part-toy";
  }

  @Override
  public List<String> hookNames() {
    return NAMES;
  }

  @Override
  public int layers() {
    return 1;
  }

  @Override
  public int neuronsPerLayer() {
    return neurons;
  }

  @Override
  public List<String> inputParts() {
    return List.of(PartedInput.AUDIO, PartedInput.TEXT);
  }

  @Override
  public NDArray normalize(NDArray logMel) {
    return logMel;
  }

  @Override
  public ActivationCache run(NDArray input, Hooks hooks, String... cacheNames) {
    throw new WorkbenchException(name() + " reads the input parts " + inputParts()
        + "; run it on a PartedInput");
  }

  @Override
  public ActivationCache run(PartedInput input, Hooks hooks, String... cacheNames) {
    input.requireParts(inputParts(), name());
    NDArray audio = input.part(PartedInput.AUDIO);
    NDArray text = input.part(PartedInput.TEXT);
    Shape s = audio.getShape();
    int b = (int) s.get(0);
    int n = (int) s.get(1);
    Set<String> cached = cacheNames.length == 0 ? Set.of()
        : HookPattern.selectAll(NAMES, cacheNames);
    Map<String, Hook> resolved = hooks.resolve(NAMES);
    ChunkPlan plan = ChunkPlan.of(n, n, 1);
    NDManager result = root.newSubManager();
    HookRun run = new HookRun(resolved, cached, java.util.List.of(), result);
    run.group(plan.chunks(), 1, b);
    try (NDManager scope = root.newSubManager()) {
      run.scope(scope);
      NDArray a = audio.get(scope, ALL).toType(DataType.FLOAT32, false);
      NDArray t = text.get(scope, ALL).toType(DataType.FLOAT32, false);
      NDArray pre = run.at(PRE, a.matMul(wa).add(t.matMul(wt)).add(bias));
      NDArray post = run.at(POST, pre.maximum(0f));
      NDArray fin = run.at(HookNames.FINAL, post.duplicate());
      NDArray cls = fin.mean(new int[] {1}, true);
      fin.attach(result);
      cls.attach(result);
      return new ActivationCache(result, run.cached(), new ModelOutput(result, fin, cls, plan));
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
