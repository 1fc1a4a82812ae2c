package io.anw.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where a forward pass's time goes: each family of operations of a ViT block (linear layers,
 * attention, GELU, layer norms, residual adds, and the counting reductions on
 * {@code mlp.hook_post}) timed on its own at the model's shapes on random arrays, for all
 * blocks, the best of several rounds. Set beside a measured forward, what is left is the patch
 * embedding, hook dispatch, JNI calls and allocation.
 */
public final class ForwardProfile {
  private ForwardProfile() {}

  /**
   * One family's time.
   *
   * @param part what ran
   * @param seconds wall seconds for one forward pass of the batch (all blocks)
   */
  public record Part(String part, double seconds) {}

  /**
   * Times the families of one forward pass of {@code rows} chunks of {@code tokens} tokens.
   *
   * @param rounds timed rounds after one warm-up; the best counts
   * @param classes classes of the counting reduction
   */
  public static List<Part> of(VitDims d, int rows, int tokens, int rounds, int classes) {
    io.anw.GradMode.disableOnCurrentThread();
    long b = rows;
    long n = tokens;
    long w = d.width();
    long h = d.heads();
    long dh = w / h;
    long m = d.mlpDim();
    try (NDManager nd = NDManager.newBaseManager()) {
      NDArray x = nd.randomNormal(0, 1, new Shape(b, n, w), DataType.FLOAT32);
      NDArray hidden = nd.randomNormal(0, 1, new Shape(b, n, m), DataType.FLOAT32);
      Linear qkv = linear(nd, w, 3 * w);
      Linear proj = linear(nd, w, w);
      Linear fc1 = linear(nd, w, m);
      Linear fc2 = linear(nd, m, w);
      Norm norm = new Norm(nd.ones(new Shape(w)), nd.zeros(new Shape(w)));
      NDArray qkvOut = qkv.apply(x);
      NDArray onehot = nd.zeros(new Shape(b, classes), DataType.FLOAT32);
      Map<String, Runnable> parts = new LinkedHashMap<>();
      parts.put("linear layers (qkv, proj, fc1, fc2)", () -> {
        qkv.apply(x).close();
        proj.apply(x).close();
        fc1.apply(x).close();
        fc2.apply(hidden).close();
      });
      parts.put("attention (heads, scores, softmax, mix)", () -> {
        List<NDArray> temps = new ArrayList<>();
        NDArray heads = keep(temps, keep(temps, keep(temps, qkvOut.reshape(b, n, 3, h, dh))
            .transpose(2, 0, 3, 1, 4)).reshape(3, b * h, n, dh));
        NDArray q = keep(temps, heads.get(0));
        NDArray k = keep(temps, heads.get(1));
        NDArray v = keep(temps, heads.get(2));
        NDArray scores = keep(temps, keep(temps, q.mul(0.125f)).batchMatMul(
            keep(temps, k.transpose(0, 2, 1))));
        NDArray p = keep(temps, scores.softmax(-1));
        NDArray mix = keep(temps, p.batchMatMul(v));
        keep(temps, keep(temps, keep(temps, mix.reshape(b, h, n, dh)).transpose(0, 2, 1, 3))
            .reshape(b, n, w));
        temps.forEach(NDArray::close);
      });
      parts.put("GELU", () -> hidden.getNDArrayInternal().gelu().close());
      parts.put("layer norms", () -> {
        norm.apply(x).close();
        norm.apply(x).close();
      });
      parts.put("residual adds", () -> {
        x.add(x).close();
        x.add(x).close();
      });
      parts.put("counting reductions (> 0, sums)", () -> {
        List<NDArray> temps = new ArrayList<>();
        NDArray active = keep(temps, keep(temps, keep(temps, hidden.gt(0f))
            .toType(DataType.FLOAT32, false)).sum(new int[] {1}));
        keep(temps, keep(temps, keep(temps, active.transpose()).matMul(onehot))
            .toType(DataType.INT64, false));
        temps.forEach(NDArray::close);
      });
      double[] best = new double[parts.size()];
      java.util.Arrays.fill(best, Double.MAX_VALUE);
      List<Runnable> runs = new ArrayList<>(parts.values());
      for (int r = 0; r <= rounds; r++) {
        for (int i = 0; i < runs.size(); i++) {
          long t0 = System.nanoTime();
          for (int layer = 0; layer < d.depth(); layer++) {
            runs.get(i).run();
          }
          double s = (System.nanoTime() - t0) / 1e9;
          if (r > 0) {
            best[i] = Math.min(best[i], s);
          }
        }
      }
      List<Part> out = new ArrayList<>();
      List<String> names = new ArrayList<>(parts.keySet());
      for (int i = 0; i < names.size(); i++) {
        out.add(new Part(names.get(i), best[i]));
      }
      return out;
    }
  }

  private static NDArray keep(List<NDArray> temps, NDArray a) {
    temps.add(a);
    return a;
  }

  private static Linear linear(NDManager nd, long in, long out) {
    return new Linear(nd.randomNormal(0, 0.02f, new Shape(out, in), DataType.FLOAT32),
        nd.zeros(new Shape(out)));
  }

  /** The parts as lines: seconds and share of {@code forwardSeconds}, with the remainder. */
  public static String report(List<Part> parts, double forwardSeconds) {
    StringBuilder s = new StringBuilder();
    double sum = 0;
    for (Part p : parts) {
      s.append(String.format(Locale.ROOT, "  %-40s %8.1f ms %6.1f %%%n", p.part(),
          1e3 * p.seconds(), 100 * p.seconds() / forwardSeconds));
      if (!p.part().startsWith("counting")) {
        sum += p.seconds();
      }
    }
    s.append(String.format(Locale.ROOT, "  %-40s %8.1f ms %6.1f %%%n",
        "rest of the forward (embed, hooks, copies)", 1e3 * (forwardSeconds - sum),
        100 * (forwardSeconds - sum) / forwardSeconds));
    return s.toString();
  }
}
