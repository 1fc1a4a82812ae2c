package io.anw.intervention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.anw.WorkbenchException;
import io.anw.model.ModelOutput;
import java.util.function.Function;

/**
 * What activation patching measures: a number per row of a run's batch, computed from the
 * model output with array operations (so that attribution patching can differentiate it).
 * The metric of a run is the mean over its rows.
 *
 * <p>Patching sweeps run several patched variants stacked along the batch axis: row
 * {@code r} of such a run is example {@code r % B} of the base input of {@code B} examples.
 */
@FunctionalInterface
public interface PatchMetric {

  /**
   * The metric of each row, {@code [rows]}.
   *
   * @param out a run's output, {@code features [rows, steps, F·D]}
   */
  NDArray apply(ModelOutput out);

  /**
   * Whether variants may be stacked along the batch axis (the metric is per row); false for
   * metrics of a whole output ({@link #of(Function)}).
   */
  default boolean perRow() {
    return true;
  }

  /** The metric of a run: the mean of {@link #apply} over rows. */
  default double value(ModelOutput out) {
    float[] v = apply(out).toFloatArray();
    double s = 0;
    for (float x : v) {
      s += x;
    }
    return s / v.length;
  }

  /**
   * Any number computed from a whole output (not per row, not differentiable): patched
   * variants run one at a time, and attribution patching refuses it.
   */
  static PatchMetric of(Function<ModelOutput, Double> metric) {
    return new PatchMetric() {
      @Override
      public NDArray apply(ModelOutput out) {
        NDManager m = out.features().getManager();
        return io.anw.TorchArrays.of(m, new float[] {metric.apply(out).floatValue()});
      }

      @Override
      public boolean perRow() {
        return false;
      }

      @Override
      public String toString() {
        return "PatchMetric.of(" + metric + ")";
      }
    };
  }

  /**
   * The probe's logit difference on the scene embedding: the logit of the correct class minus
   * the largest other logit (positive when the probe is right).
   *
   * @param probe a probe trained on scene embeddings ({@link ModelOutput#sceneEmbedding()})
   * @param classes the correct class index of each example of the base input, or one for all
   */
  static PatchMetric probeLogitDiff(LinearProbe probe, int... classes) {
    int[] cls = checkClasses(probe, classes);
    return out -> {
      NDArray logits = probe.logits(out.sceneEmbedding());
      NDArray onehot = onehot(logits, cls, probe.classes().size());
      NDArray correct = logits.mul(onehot).sum(new int[] {1});
      NDArray other = logits.sub(onehot.mul(1e9f)).max(new int[] {1});
      return correct.sub(other);
    };
  }

  /**
   * The probe's logit of one class per example on the scene embedding (linear in the
   * embedding).
   */
  static PatchMetric probeLogit(LinearProbe probe, int... classes) {
    int[] cls = checkClasses(probe, classes);
    return out -> {
      NDArray logits = probe.logits(out.sceneEmbedding());
      return logits.mul(onehot(logits, cls, probe.classes().size())).sum(new int[] {1});
    };
  }

  /**
   * Cosine similarity of each row's scene embedding to a fixed vector, e.g. the clean run's
   * scene embedding (1 = the clean behaviour); needs no probe.
   *
   * @param target {@code [F/16·D]}
   */
  static PatchMetric similarityTo(float[] target) {
    float[] t = target.clone();
    double norm = 0;
    for (float v : t) {
      norm += (double) v * v;
    }
    if (norm == 0) {
      throw new WorkbenchException("similarity to an all-zero vector is undefined");
    }
    float inv = (float) (1 / Math.sqrt(norm));
    return out -> {
      NDArray e = out.sceneEmbedding();
      if (e.getShape().get(1) != t.length) {
        throw new WorkbenchException("target has " + t.length + " values, the scene embedding "
            + e.getShape().get(1));
      }
      // PyTorch-owned constants: attribution patching differentiates this metric
      NDManager m = e.getManager();
      NDArray dot = e.matMul(io.anw.TorchArrays.of(m, t))
          .mul(io.anw.TorchArrays.scalar(m, inv));
      return dot.div(e.square().sum(new int[] {1}).sqrt()
          .add(io.anw.TorchArrays.scalar(m, 1e-12f)));
    };
  }

  private static int[] checkClasses(LinearProbe probe, int[] classes) {
    if (classes.length == 0) {
      throw new WorkbenchException("give the correct class index of each example (or one)");
    }
    for (int c : classes) {
      if (c < 0 || c >= probe.classes().size()) {
        throw new WorkbenchException("class index " + c + " is not in [0, "
            + probe.classes().size() + ") " + probe.classes());
      }
    }
    return classes.clone();
  }

  /** One-hot {@code [rows, k]} of {@code classes[r % classes.length]} in the logits' manager. */
  private static NDArray onehot(NDArray logits, int[] classes, int k) {
    int rows = (int) logits.getShape().get(0);
    if (rows % classes.length != 0) {
      throw new WorkbenchException(classes.length + " class indices for a batch of " + rows
          + " rows");
    }
    float[] h = new float[rows * k];
    for (int r = 0; r < rows; r++) {
      h[r * k + classes[r % classes.length]] = 1f;
    }
    return io.anw.TorchArrays.of(logits.getManager(), h,
        new ai.djl.ndarray.types.Shape(rows, k));
  }
}
