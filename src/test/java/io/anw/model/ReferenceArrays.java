package io.anw.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.anw.tensor.Tensor;
import io.anw.tensor.TensorTree;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the parity tests of the other audio encoders share: parameters read from a reference
 * file under a prefix, a hook run that caches some points, and the comparison within 1e-4 of
 * the largest reference value.
 */
final class ReferenceArrays {
  private ReferenceArrays() {}

  /** The tensors of {@code tree} whose keys start with {@code prefix}, the prefix removed. */
  static Map<String, NDArray> params(TensorTree tree, String prefix, NDManager m) {
    Map<String, NDArray> p = new HashMap<>();
    for (Map.Entry<String, Tensor> e : tree.tensors().entrySet()) {
      if (e.getKey().startsWith(prefix)) {
        p.put(e.getKey().substring(prefix.length()), e.getValue().toNDArray(m));
      }
    }
    return p;
  }

  /** A hook run of one single-chunk group that caches {@code names}, in {@code m}. */
  static HookRun caching(NDManager m, String... names) {
    HookRun run = new HookRun(Map.of(), Set.of(names), List.of(), m);
    run.group(List.of(new ChunkPlan.Chunk(0, 0, 1, 0, 1)), 1, 1);
    run.scope(m);
    return run;
  }

  /** Asserts {@code actual} equals {@code expected} within 1e-4 of its largest magnitude. */
  static void assertClose(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what);
    double scale = 0;
    double diff = 0;
    for (int i = 0; i < expected.length; i++) {
      scale = Math.max(scale, Math.abs(expected[i]));
      diff = Math.max(diff, Math.abs(expected[i] - actual[i]));
    }
    assertTrue(diff <= 1e-4 * scale, what + ": max |diff| " + diff + " of max " + scale);
    // the measured error, for the record (surefire keeps it with the test's output)
    System.out.printf(java.util.Locale.ROOT, "parity %s: max |diff| / max |ref| = %.2e%n",
        what, scale == 0 ? diff : diff / scale);
  }
}
