package io.anw.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.anw.WorkbenchException;
import java.util.Arrays;

/**
 * A function at a hook point: it sees the activation and returns the one that flows on,
 * either the activation itself (to observe) or a replacement of the same shape (to ablate,
 * patch or steer). Hooks must not modify the activation in place.
 *
 * <p>The factories cover the usual interventions on the last axis (neurons for
 * {@code mlp.hook_post}, residual dimensions for {@code hook_resid_*}).
 */
@FunctionalInterface
public interface Hook {

  /**
   * Called once per chunk of the input at every hook point the hook is registered for, with
   * that chunk's {@code [batch, ...]} activation. Equal-length chunks may run in one pass, so
   * calls follow the chunks in order at each point, not whole passes one after the other.
   *
   * @param ctx the hook point, chunk and batch
   * @param activation the activation, see {@link HookNames} for shapes
   * @return the activation to continue with, of the same shape
   */
  NDArray apply(HookContext ctx, NDArray activation);

  /** This hook, then {@code next} on its result. */
  default Hook andThen(Hook next) {
    return (ctx, x) -> next.apply(ctx, apply(ctx, x));
  }

  /** Leaves the activation as it is. */
  static Hook identity() {
    return (ctx, x) -> x;
  }

  /** Replaces the whole activation with zeros. */
  static Hook zero() {
    return (ctx, x) -> x.zerosLike();
  }

  /** Zeroes the given indices of the last axis (e.g. neurons of {@code mlp.hook_post}). */
  static Hook zeroUnits(int... units) {
    return scaleUnits(0f, units);
  }

  /**
   * Sets the given indices of the last axis to fixed values (mean ablation with the means).
   *
   * @param units indices along the last axis
   * @param values one value per index
   */
  static Hook setUnits(int[] units, float[] values) {
    if (units.length != values.length) {
      throw new WorkbenchException("setUnits: " + units.length + " indices but " + values.length
          + " values");
    }
    int[] idx = units.clone();
    float[] val = values.clone();
    return (ctx, x) -> {
      int width = lastAxis(ctx, x);
      float[] keep = new float[width];
      float[] set = new float[width];
      Arrays.fill(keep, 1f);
      for (int i = 0; i < idx.length; i++) {
        checkUnit(ctx, idx[i], width);
        keep[idx[i]] = 0f;
        set[idx[i]] = val[i];
      }
      NDManager m = ctx.manager();
      // PyTorch-owned constants: a hooked run may be differentiated (attribution patching)
      return x.mul(io.anw.TorchArrays.of(m, keep))
          .add(io.anw.TorchArrays.of(m, set));
    };
  }

  /** Multiplies the given indices of the last axis by a factor (0 = zero-ablation). */
  static Hook scaleUnits(float factor, int... units) {
    int[] idx = units.clone();
    return (ctx, x) -> {
      int width = lastAxis(ctx, x);
      float[] scale = new float[width];
      Arrays.fill(scale, 1f);
      for (int u : idx) {
        checkUnit(ctx, u, width);
        scale[u] = factor;
      }
      return x.mul(io.anw.TorchArrays.of(ctx.manager(), scale));
    };
  }

  /** Adds a vector along the last axis at every token (steering). */
  static Hook addVector(float[] vector) {
    float[] v = vector.clone();
    return (ctx, x) -> {
      int width = lastAxis(ctx, x);
      if (v.length != width) {
        throw new WorkbenchException(ctx.name() + ": vector of " + v.length
            + " values, the last axis has " + width);
      }
      return x.add(io.anw.TorchArrays.of(ctx.manager(), v));
    };
  }

  /**
   * Replaces the activation with the one a cached run had at the same hook point and chunk
   * (activation patching from a clean or corrupted run of the same length).
   */
  static Hook patchFrom(ActivationCache source) {
    return (ctx, x) -> {
      NDArray other = source.get(ctx.name(), ctx.chunk().index());
      if (!other.getShape().equals(x.getShape())) {
        throw new WorkbenchException(ctx.name() + ": cached activation has shape "
            + other.getShape() + ", this run has " + x.getShape());
      }
      return other;
    };
  }

  private static int lastAxis(HookContext ctx, NDArray x) {
    Shape s = x.getShape();
    return (int) s.get(s.dimension() - 1);
  }

  private static void checkUnit(HookContext ctx, int unit, int width) {
    if (unit < 0 || unit >= width) {
      throw new WorkbenchException(ctx.name() + ": index " + unit + " out of range [0, " + width
          + ")");
    }
  }
}
