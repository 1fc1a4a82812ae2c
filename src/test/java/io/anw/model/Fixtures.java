package io.anw.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Test helpers: the golden npz written by src/test/python/make_model_fixtures.py, closeness. */
final class Fixtures {
  private Fixtures() {}

  /** Heads of the tiny fixture model (its width 64 would otherwise give 1). */
  static final int TINY_HEADS = 2;

  /** The arrays of a test resource npz by name, owned by {@code manager}. */
  static Map<String, NDArray> npz(String resource, NDManager manager) {
    try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + resource);
      }
      NDList list = NDList.decode(manager, in.readAllBytes());
      Map<String, NDArray> out = new LinkedHashMap<>();
      for (NDArray a : list) {
        out.put(a.getName(), a);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The entries under a prefix with the prefix removed. */
  static Map<String, NDArray> under(Map<String, NDArray> all, String prefix) {
    Map<String, NDArray> out = new LinkedHashMap<>();
    all.forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        out.put(k.substring(prefix.length()), v);
      }
    });
    return out;
  }

  /** Asserts equal shapes and max |actual - expected| <= rel * max |expected|. */
  static void assertClose(NDArray expected, NDArray actual, double rel, String what) {
    assertEquals(expected.getShape(), actual.getShape(), what + ": shape");
    float[] e = expected.toFloatArray();
    float[] a = actual.toFloatArray();
    double maxErr = 0;
    double scale = 0;
    for (int i = 0; i < e.length; i++) {
      maxErr = Math.max(maxErr, Math.abs(a[i] - e[i]));
      scale = Math.max(scale, Math.abs(e[i]));
    }
    assertTrue(maxErr <= rel * Math.max(scale, 1e-6),
        what + ": max abs error " + maxErr + " over max |expected| " + scale);
  }

  /** Max |a - b| over all elements. */
  static double maxAbsDiff(NDArray a, NDArray b) {
    return a.sub(b).abs().max().getFloat();
  }
}
