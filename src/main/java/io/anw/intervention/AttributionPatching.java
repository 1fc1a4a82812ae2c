package io.anw.intervention;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.anw.GradMode;
import io.anw.WorkbenchException;
import io.anw.model.ActivationCache;
import io.anw.model.HookNames;
import io.anw.model.HookPattern;
import io.anw.model.Hooks;
import io.anw.model.Model;
import io.anw.model.PartedInput;
import java.util.ArrayList;
import java.util.List;

/**
 * Attribution patching (Nanda 2023): the first-order estimate of patching each unit alone,
 * {@code Σ_tokens ∂metric/∂a · (a_source − a_base)}, for every unit of the selected hook points
 * from one forward and one backward pass (DJL autograd). The gradient is taken on the run that
 * is patched: the corrupted run when denoising, the clean run when noising. Exact when the
 * metric is linear in the activation (e.g. a probe logit of {@code hook_final}); an
 * approximation elsewhere, to be checked on the top units with
 * {@link AttributionResult#check(int)}.
 *
 * <p>The gradient reaches the activations through a hook that adds a zero leaf array marked to
 * require a gradient, so the model needs no change and its weights get no gradient.
 */
public final class AttributionPatching {
  private AttributionPatching() {}

  /** Attribution of every neuron ({@code blocks.*.mlp.hook_post}) on audio inputs. */
  public static AttributionResult neurons(Model model, PatchDirection direction, NDArray clean,
      NDArray corrupted, PatchMetric metric) {
    return run(model, direction, PartedInput.audio(clean), PartedInput.audio(corrupted), metric,
        "blocks.*." + HookNames.MLP_POST);
  }

  /**
   * Attribution of every unit (last axis) of the hook points a glob selects.
   *
   * @param metric a per-row metric made of array operations (not {@link PatchMetric#of})
   * @throws WorkbenchException when the metric is not differentiable or the layouts differ
   */
  public static AttributionResult run(Model model, PatchDirection direction, PartedInput clean,
      PartedInput corrupted, PatchMetric metric, String glob) {
    if (!metric.perRow()) {
      throw new WorkbenchException("attribution patching needs a differentiable metric made of"
          + " array operations (e.g. PatchMetric.probeLogitDiff), not PatchMetric.of(...)");
    }
    GradMode.disableOnCurrentThread();
    TokenLayout.requireSame(clean, corrupted);
    List<String> names = HookPattern.of(glob).select(model.hookNames());
    if (names.isEmpty()) {
      throw new WorkbenchException("no hook point matches '" + glob + "'");
    }
    String[] cacheNames = names.toArray(String[]::new);
    boolean denoise = direction == PatchDirection.DENOISE;
    try (ActivationCache c = model.run(clean, Hooks.none(), cacheNames);
        ActivationCache k = model.run(corrupted, Hooks.none(), cacheNames);
        NDManager leaves = NDManager.newBaseManager()) {
      double cleanMetric = metric.value(c.output());
      double corruptedMetric = metric.value(k.output());
      ActivationCache base = denoise ? k : c;
      ActivationCache source = denoise ? c : k;
      List<String> leafNames = new ArrayList<>();
      List<Integer> leafChunks = new ArrayList<>();
      List<NDArray> leafArrays = new ArrayList<>();
      Hooks grad = Hooks.of(glob, (ctx, x) -> {
        NDArray leaf = leaves.zeros(x.getShape(), x.getDataType());
        leaf.setRequiresGradient(true);
        leafNames.add(ctx.name());
        leafChunks.add(ctx.chunk().index());
        leafArrays.add(leaf);
        NDArray r = x.add(leaf);
        r.attach(ctx.manager()); // owned by the pass; the run's copy (x · 1) keeps the gradient
        return r;
      });
      try (GradientCollector gc = Engine.getInstance().newGradientCollector();
          ActivationCache run = model.run(denoise ? corrupted : clean, grad)) {
        gc.backward(metric.apply(run.output()).mean());
      } catch (EngineException e) {
        throw new WorkbenchException("attribution patching: the metric has no gradient with"
            + " respect to " + glob + " (is it made of array operations on the output?)", e);
      }
      int width = (int) base.get(names.get(0), 0).getShape().tail();
      double[][] attr = new double[names.size()][width];
      for (int i = 0; i < leafArrays.size(); i++) {
        String n = leafNames.get(i);
        int ch = leafChunks.get(i);
        NDArray g = leafArrays.get(i).getGradient();
        NDArray diff = source.get(n, ch).sub(base.get(n, ch));
        int rank = diff.getShape().dimension();
        int[] axes = new int[rank - 1];
        for (int a = 0; a < rank - 1; a++) {
          axes[a] = a;
        }
        float[] contrib = g.mul(diff).sum(axes).toFloatArray();
        double[] row = attr[names.indexOf(n)];
        for (int u = 0; u < contrib.length; u++) {
          row[u] += contrib[u];
        }
        diff.close();
        g.close();
      }
      return new AttributionResult(direction, glob, names, attr, cleanMetric, corruptedMetric,
          new AttributionResult.Rerun(model, clean, corrupted, metric));
    }
  }
}
