package io.anw.listen;

/**
 * One clip's strongest token per unit, while the clip's chunks go through the model: the
 * highest activation, and the chunk, token and chunk width (time patches) where it occurred.
 * Ties keep the earliest chunk and token.
 */
final class ClipBest {
  final float[] act;
  final int[] chunk;
  final int[] token;
  final int[] timePatches;

  ClipBest(int units) {
    act = new float[units];
    chunk = new int[units];
    token = new int[units];
    timePatches = new int[units];
    java.util.Arrays.fill(act, Float.NEGATIVE_INFINITY);
  }

  /** Takes {@code value} at {@code (chunk, token)} for unit {@code u} if it beats the best so far. */
  void offer(int u, float value, int c, int t, int tp) {
    if (value > act[u] || (Float.isNaN(act[u]) && !Float.isNaN(value))) {
      act[u] = value;
      chunk[u] = c;
      token[u] = t;
      timePatches[u] = tp;
    }
  }
}
