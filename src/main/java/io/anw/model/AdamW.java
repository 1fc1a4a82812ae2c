package io.anw.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.anw.GradMode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam with decoupled weight decay (Loshchilov &amp; Hutter), updating parameters in place with
 * autograd recording off, as {@code torch.optim.AdamW} does. Weight decay applies to matrices
 * and convolution kernels only (arrays of two or more dimensions), not to biases, norms or
 * tokens. Gradients are read from the parameters and zeroed after each step.
 */
public final class AdamW implements AutoCloseable {
  private final Map<String, NDArray> params;
  private final Map<String, NDArray> m = new LinkedHashMap<>();
  private final Map<String, NDArray> v = new LinkedHashMap<>();
  private final NDManager state;
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double weightDecay;
  private int steps;

  /**
   * An optimiser over {@code params} (arrays with gradients required).
   *
   * @param params the parameters by name
   * @param beta1 first-moment decay (0.9)
   * @param beta2 second-moment decay (0.95 as MAE/M2D, 0.999 as PyTorch's default)
   * @param weightDecay decoupled weight decay per unit learning rate (M2D: 0.05)
   * @param parent the manager the optimiser's moment arrays are made under
   */
  public AdamW(Map<String, NDArray> params, double beta1, double beta2, double weightDecay,
      NDManager parent) {
    this.params = new LinkedHashMap<>(params);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = 1e-8;
    this.weightDecay = weightDecay;
    this.state = parent.newSubManager();
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      m.put(e.getKey(), state.zeros(e.getValue().getShape()));
      v.put(e.getKey(), state.zeros(e.getValue().getShape()));
    }
  }

  /** Steps taken. */
  public int steps() {
    return steps;
  }

  /**
   * The optimiser's state arrays, {@code adam_m.NAME} and {@code adam_v.NAME} (first and second
   * moments), live: a training checkpoint reads them and restores into them.
   */
  public Map<String, NDArray> stateArrays() {
    Map<String, NDArray> out = new LinkedHashMap<>();
    m.forEach((k, a) -> out.put("adam_m." + k, a));
    v.forEach((k, a) -> out.put("adam_v." + k, a));
    return out;
  }

  /** Sets the step count (bias correction) when continuing from a checkpoint. */
  public void restoreSteps(int stepsTaken) {
    this.steps = stepsTaken;
  }

  /**
   * One update with learning rate {@code lr} from the gradients the last backward pass left on
   * the parameters; zeroes them afterwards.
   */
  public void step(double lr) {
    GradMode.disableOnCurrentThread();
    steps++;
    double c1 = 1 - Math.pow(beta1, steps);
    double c2 = 1 - Math.pow(beta2, steps);
    double stepSize = lr / c1;
    double sqrtC2 = Math.sqrt(c2);
    try (NDManager scratch = state.newSubManager()) {
      for (Map.Entry<String, NDArray> e : params.entrySet()) {
        NDArray p = e.getValue();
        NDArray g = p.getGradient();
        g.attach(scratch);
        NDArray mi = m.get(e.getKey());
        NDArray vi = v.get(e.getKey());
        mi.muli(beta1).addi(g.mul(1 - beta1));
        vi.muli(beta2).addi(g.square().muli(1 - beta2));
        if (weightDecay > 0 && p.getShape().dimension() >= 2) {
          p.muli(1 - lr * weightDecay);
        }
        NDArray denom = vi.sqrt();
        denom.attach(scratch);
        denom.divi(sqrtC2).addi(eps);
        NDArray update = mi.div(denom);
        update.attach(scratch);
        p.subi(update.muli(stepSize));
        g.muli(0);
      }
    }
  }

  /** Frees the moment estimates. */
  @Override
  public void close() {
    state.close();
  }
}
