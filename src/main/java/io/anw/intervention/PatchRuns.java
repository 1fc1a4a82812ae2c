package io.anw.intervention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.anw.WorkbenchException;
import io.anw.model.ActivationCache;
import io.anw.model.Hook;
import io.anw.model.Hooks;
import io.anw.model.Model;
import io.anw.model.PartedInput;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs patched variants of a base input, several stacked along the batch axis in one run:
 * variant {@code v} occupies rows {@code [v·B, (v+1)·B)} and is patched, from a source cache of
 * the same layout, only at its own targets. Each run's arrays are freed before the next.
 */
final class PatchRuns {
  private static final NDIndex ALL = new NDIndex(":");

  /** Default most rows (variants × examples) of one patched run. */
  static final int DEFAULT_MAX_ROWS = 32;

  private PatchRuns() {}

  /** The hook patterns of the targets, to cache in the source run. */
  static String[] patterns(List<List<PatchTarget>> variants) {
    Set<String> p = new LinkedHashSet<>();
    variants.forEach(v -> v.forEach(t -> p.add(t.hook())));
    return p.toArray(String[]::new);
  }

  /**
   * The metric of the base input run with each variant's targets patched from {@code source}.
   *
   * @param maxRows most rows per run (at least one variant per run)
   */
  static double[] metrics(Model model, PartedInput base, ActivationCache source,
      PatchMetric metric, List<List<PatchTarget>> variants, int maxRows) {
    return metrics(model, Hooks.none(), base, source, metric, variants, maxRows);
  }

  /**
   * Rows per run: {@code maxRows}, fewer for long token sequences, so that the attention
   * scores of a run ({@code rows · tokens²}) stay those of {@code maxRows} rows of
   * {@value #ROOMY_TOKENS} tokens (Whisper's 1500 frames: one row per run).
   */
  private static int rowsFor(ActivationCache source, int maxRows) {
    long tokens = 0;
    for (String n : source.names()) {
      NDArray a = source.get(n, 0);
      if (a.getShape().dimension() >= 3) {
        tokens = Math.max(tokens, a.getShape().get(1));
      }
    }
    if (tokens <= ROOMY_TOKENS) {
      return maxRows;
    }
    double scale = (double) ROOMY_TOKENS / tokens;
    return Math.max(1, (int) (maxRows * scale * scale));
  }

  /** Tokens up to which {@link #DEFAULT_MAX_ROWS} rows run together. */
  static final int ROOMY_TOKENS = 256;

  /** {@link #metrics} with {@code always} hooks (e.g. an SAE splice) before the patching ones. */
  static double[] metrics(Model model, Hooks always, PartedInput base, ActivationCache source,
      PatchMetric metric, List<List<PatchTarget>> variants, int maxRows) {
    int b = TokenLayout.batch(base);
    int per = metric.perRow() ? Math.max(1, rowsFor(source, maxRows) / b) : 1;
    double[] out = new double[variants.size()];
    for (int start = 0; start < variants.size(); start += per) {
      List<List<PatchTarget>> group = variants.subList(start,
          Math.min(variants.size(), start + per));
      int g = group.size();
      try (NDManager tmp = NDManager.newBaseManager()) {
        PartedInput input = g == 1 ? base : tile(base, g, tmp);
        try (ActivationCache run = model.run(input, always.and(hooks(group, source, b)))) {
          if (!metric.perRow()) {
            out[start] = metric.value(run.output());
            continue;
          }
          float[] v = metric.apply(run.output()).toFloatArray();
          if (v.length != g * b) {
            throw new WorkbenchException("metric gave " + v.length + " values for " + g * b
                + " rows; a per-row metric returns one value per row");
          }
          for (int i = 0; i < g; i++) {
            double s = 0;
            for (int r = 0; r < b; r++) {
              s += v[i * b + r];
            }
            out[start + i] = s / b;
          }
        }
      }
    }
    return out;
  }

  /** Every part repeated {@code g} times along a leading batch axis, in {@code tmp}. */
  private static PartedInput tile(PartedInput base, int g, NDManager tmp) {
    Map<String, NDArray> parts = new LinkedHashMap<>();
    for (String name : base.names()) {
      NDArray x = base.part(name).get(tmp, ALL);
      if (name.equals(PartedInput.AUDIO) && x.getShape().dimension() == 2) {
        x = x.expandDims(0);
      }
      parts.put(name, tileRows(x, g));
    }
    return new PartedInput(parts);
  }

  /** {@code x} repeated {@code g} times along axis 0 (whole blocks, not row by row). */
  private static NDArray tileRows(NDArray x, int g) {
    long[] reps = new long[x.getShape().dimension()];
    java.util.Arrays.fill(reps, 1);
    reps[0] = g;
    return x.tile(reps);
  }

  /** One hook per distinct target pattern, patching each variant's rows at its targets. */
  static Hooks hooks(List<List<PatchTarget>> group, ActivationCache source, int b) {
    Hooks hooks = Hooks.none();
    for (String p : patterns(group)) {
      hooks = hooks.and(p, hook(p, group, source, b));
    }
    return hooks;
  }

  private static Hook hook(String pattern, List<List<PatchTarget>> group, ActivationCache source,
      int b) {
    List<List<PatchTarget>> mine = new ArrayList<>();
    boolean byToken = false;
    boolean byUnit = false;
    for (List<PatchTarget> v : group) {
      List<PatchTarget> ts = v.stream().filter(t -> t.hook().equals(pattern)).toList();
      mine.add(ts);
      for (PatchTarget t : ts) {
        byToken |= t.byToken();
        byUnit |= t.byUnit();
      }
    }
    final boolean tok = byToken;
    final boolean unit = byUnit;
    int g = group.size();
    return (ctx, x) -> {
      NDArray src = source.get(ctx.name(), ctx.chunk().index());
      Shape xs = x.getShape();
      Shape ss = src.getShape();
      if (ss.get(0) != b || xs.get(0) != (long) g * b
          || !xs.slice(1).equals(ss.slice(1))) {
        throw new WorkbenchException(ctx.name() + " chunk " + ctx.chunk().index()
            + ": source activation " + ss + " does not match this run's " + xs
            + "; clean and corrupted inputs must share the token layout");
      }
      int rank = xs.dimension();
      int tokenAxis = PatchTarget.tokenAxis(ctx.name());
      int tokens = (int) xs.get(tokenAxis);
      int width = (int) xs.get(rank - 1);
      int nt = tok ? tokens : 1;
      int nu = unit ? width : 1;
      int cell = nt * nu;
      boolean[] all = new boolean[g * cell];
      boolean any = false;
      for (int v = 0; v < g; v++) {
        for (PatchTarget t : mine.get(v)) {
          boolean[] m = t.mask(ctx, tokens, width, tok, unit);
          if (m == null) {
            continue;
          }
          for (int i = 0; i < cell; i++) {
            if (m[i]) {
              all[v * cell + i] = true;
              any = true;
            }
          }
        }
      }
      if (!any) {
        return x;
      }
      NDManager m = ctx.manager();
      long[] dims = new long[rank + 1]; // [g, 1 (batch), axes 1.. of x]
      dims[0] = g;
      for (int i = 1; i <= rank; i++) {
        dims[i] = 1;
      }
      if (tok) {
        dims[tokenAxis + 1] = nt;
      }
      if (unit) {
        dims[rank] = nu;
      }
      NDArray mask = io.anw.TorchArrays.of(m, all, new Shape(dims));
      NDArray s = src.get(m, ALL);
      if (g > 1) {
        long[] full = dims.clone();
        full[1] = b;
        long[] rows = new long[rank];
        rows[0] = (long) g * b;
        System.arraycopy(full, 2, rows, 1, rank - 1);
        mask = mask.broadcast(new Shape(full)).reshape(new Shape(rows));
        s = tileRows(s, g);
      } else {
        mask = mask.reshape(new Shape(java.util.Arrays.copyOfRange(dims, 1, rank + 1)));
      }
      return NDArrays.where(mask.broadcast(xs), s, x); // DJL's where does not broadcast
    };
  }
}
