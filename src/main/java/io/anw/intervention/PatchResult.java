package io.anw.intervention;

/**
 * One activation-patching experiment: the metric of the clean, corrupted and patched runs
 * (means over the batch) and the normalised effect.
 *
 * @param direction denoising (corrupted run, clean activations) or noising
 * @param target what was patched
 * @param clean metric of the clean run
 * @param corrupted metric of the corrupted run
 * @param patched metric of the patched run
 */
public record PatchResult(PatchDirection direction, String target, double clean,
    double corrupted, double patched) {

  /**
   * {@code (patched - corrupted) / (clean - corrupted)}; NaN when the clean and corrupted
   * runs give the same metric.
   */
  public double effect() {
    return normalise(patched, clean, corrupted);
  }

  /** {@code (patched - corrupted) / (clean - corrupted)}, NaN when the denominator is ~0. */
  static double normalise(double patched, double clean, double corrupted) {
    double d = clean - corrupted;
    return Math.abs(d) <= 1e-12 * Math.max(1, Math.abs(clean)) ? Double.NaN
        : (patched - corrupted) / d;
  }

  @Override
  public String toString() {
    return String.format("%s %s: clean %.4f, corrupted %.4f, patched %.4f, effect %.3f",
        direction, target, clean, corrupted, patched, effect());
  }
}
