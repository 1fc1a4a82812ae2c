package io.anw.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.anw.model.AdamW;
import io.anw.model.VitEncoder;
import io.anw.GradMode;
import io.anw.TorchArrays;
import io.anw.model.NormStats;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The two training recipes of the sample models, on a {@link TrainableViT}:
 * {@link #supervised} (mean-pooled patch tokens, a linear head, cross-entropy) and {@link #m2d}
 * (Masked Modeling Duo: the online encoder sees the visible patches, a predictor with mask
 * tokens predicts the EMA target encoder's outputs on the masked patches, which only the target
 * sees; loss on L2-normalised features). Both use AdamW (β 0.9/0.95, weight decay 0.05) with a
 * linear warm-up and a cosine decay, and all randomness (batches, crops, masks) comes from one
 * seeded {@link Random}.
 */
public final class Trainers {
  private static final NDIndex ALL = new NDIndex(":");

  private Trainers() {}

  /**
   * Optimisation settings.
   *
   * @param steps optimiser steps
   * @param batch clips per step (fewer when a length group is smaller)
   * @param lr peak learning rate
   * @param warmupSteps linear warm-up steps, then cosine decay to 0
   * @param weightDecay AdamW decoupled weight decay
   * @param seed seed of batches, crops, masks and head initialisation
   * @param logEvery steps between progress lines
   */
  public record Settings(int steps, int batch, double lr, int warmupSteps, double weightDecay,
      long seed, int logEvery) {

    /** The learning rate at a 0-based step. */
    public double lrAt(int step) {
      if (step < warmupSteps) {
        return lr * (step + 1) / warmupSteps;
      }
      double p = (step - warmupSteps) / (double) Math.max(1, steps - warmupSteps);
      return lr * 0.5 * (1 + Math.cos(Math.PI * p));
    }
  }

  /**
   * The M2D parts beyond the encoder.
   *
   * @param maskRatio fraction of patches masked per clip (M2D: 0.6–0.7)
   * @param predictorDepth predictor blocks
   * @param predictorWidth predictor width
   * @param predictorHeads predictor attention heads
   * @param emaStart target EMA decay at the first step
   * @param emaEnd target EMA decay at the last step (cosine schedule between them)
   */
  public record M2dSettings(double maskRatio, int predictorDepth, int predictorWidth,
      int predictorHeads, double emaStart, double emaEnd) {

    /** The EMA decay at a 0-based step of {@code steps}. */
    public double emaAt(int step, int steps) {
      double p = step / (double) Math.max(1, steps - 1);
      return emaEnd - (emaEnd - emaStart) * (Math.cos(Math.PI * p) + 1) / 2;
    }
  }

  /**
   * Trains {@code vit} in place with labels: mean of the final patch tokens, a linear head,
   * softmax cross-entropy. A model with a text pathway reads each clip's caption too (the
   * head still reads the audio patch tokens, which see the caption through attention).
   */
  public static TrainingRun supervised(String name, TrainableViT vit, TrainingData data,
      NormStats stats, Settings s, Consumer<String> log) {
    return supervised(name, vit, data, stats, s, null, log);
  }

  /**
   * {@link #supervised(String, TrainableViT, TrainingData, NormStats, Settings, Consumer)} with
   * snapshots every {@code checkpoint.every()} steps; a run started again with the same
   * checkpoint file continues from the last snapshot (null: no snapshots).
   */
  public static TrainingRun supervised(String name, TrainableViT vit, TrainingData data,
      NormStats stats, Settings s, TrainingCheckpoint checkpoint, Consumer<String> log) {
    GradMode.disableOnCurrentThread();
    Random rnd = new Random(s.seed());
    int classes = data.classes().size();
    int d = vit.dims().width();
    int[] labels = data.labels();
    boolean text = vit.vocabulary() != null;
    if (text && !data.hasCaptions()) {
      throw new io.anw.WorkbenchException(name + ": the model reads captions but the training"
          + " data has none");
    }
    try (NDManager m = vit.manager().newSubManager()) {
      Map<String, NDArray> head = new LinkedHashMap<>();
      head.put("head.weight", TorchArrays.of(m, TrainableViT.xavier(rnd, classes * d, d, classes),
          new Shape(classes, d)));
      head.put("head.bias", m.zeros(new Shape(classes)));
      head.values().forEach(a -> a.setRequiresGradient(true));
      Map<String, NDArray> all = new LinkedHashMap<>(vit.trainable());
      all.putAll(head);
      TrainingData.Sampler sampler = data.new Sampler(vit.dims().unitFrames(), s.batch(), rnd);
      double wallBefore;
      float[] losses = new float[s.steps()];
      double[] accuracy = new double[s.steps()];
      long t0 = System.nanoTime();
      try (AdamW opt = new AdamW(all, 0.9, 0.95, s.weightDecay(), m)) {
        Map<String, NDArray> live = live(all, opt, Map.of());
        String fingerprint = fingerprint(name, "supervised", vit, data, stats, s, null);
        Resumed resumed = resume(checkpoint, fingerprint, live, losses, accuracy, sampler, opt,
            name, log);
        if (resumed != null) {
          rnd = resumed.random();
        }
        int start = resumed == null ? 0 : resumed.stepsDone();
        double before = resumed == null ? 0 : resumed.wallSeconds();
        for (int step = start; step < s.steps(); step++) {
          int[] idx = sampler.next();
          try (NDManager scope = m.newSubManager()) {
            NDArray x = data.batch(idx, vit.dims().unitFrames(), stats, rnd, scope);
            float[] onehot = new float[idx.length * classes];
            for (int b = 0; b < idx.length; b++) {
              onehot[b * classes + labels[idx[b]]] = 1;
            }
            NDArray target = TorchArrays.of(scope, onehot, new Shape(idx.length, classes));
            NDArray ids = text ? data.captionBatch(idx, scope) : null;
            long patches = (long) vit.dims().freqPatches() * x.getShape().get(3)
                / vit.dims().patchTime();
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
              // the audio patch tokens only, as the hooked model's scene embedding
              NDArray feat = vit.forward(x, ids).get(new NDIndex(":, 1:{}, :", 1 + patches))
                  .mean(new int[] {1});
              NDArray logits = VitEncoder.linear(feat, head, "head");
              NDArray loss = io.anw.model.Losses.crossEntropy(logits, target);
              gc.backward(loss);
              losses[step] = finite(loss.getFloat(), name, step);
              long[] pred = logits.argMax(-1).toLongArray();
              int ok = 0;
              for (int b = 0; b < idx.length; b++) {
                ok += pred[b] == labels[idx[b]] ? 1 : 0;
              }
              accuracy[step] = ok / (double) idx.length;
            }
            opt.step(s.lrAt(step));
          }
          progress(log, name, step, start, s, losses, t0, String.format(Locale.ROOT,
              "train acc %.2f", mean(accuracy, step, 20)));
          snapshot(checkpoint, fingerprint, step + 1, s, before, t0, losses, accuracy, rnd,
              sampler, opt, live);
        }
        if (checkpoint != null) {
          checkpoint.delete();
        }
        wallBefore = before;
      }
      double wall = wallBefore + (System.nanoTime() - t0) / 1e9;
      return new TrainingRun(name, "supervised", s, wall, losses, data.dataHash(), data.size(),
          vit.parameterCount(), List.of(org.apache.commons.text.WordUtils.wrap(data.classes().size() + " classes: "
              + String.join(", ", data.classes()), 100, "\n  ", false),
              String.format(Locale.ROOT, "final training accuracy (last 20 steps): %.3f",
                  mean(accuracy, s.steps() - 1, 20))));
    }
  }

  /**
   * Trains {@code online} in place by the M2D recipe on unlabelled clips; the predictor and the
   * EMA target are made here and freed at the end (M2D keeps the online encoder).
   */
  public static TrainingRun m2d(String name, TrainableViT online, TrainingData data,
      NormStats stats, Settings s, M2dSettings ms, Consumer<String> log) {
    return m2d(name, online, data, stats, s, ms, null, log);
  }

  /**
   * {@link #m2d(String, TrainableViT, TrainingData, NormStats, Settings, M2dSettings, Consumer)}
   * with snapshots every {@code checkpoint.every()} steps (the online and target encoders, the
   * predictor and the optimiser); a run started again with the same checkpoint file continues
   * from the last snapshot (null: no snapshots).
   */
  public static TrainingRun m2d(String name, TrainableViT online, TrainingData data,
      NormStats stats, Settings s, M2dSettings ms, TrainingCheckpoint checkpoint,
      Consumer<String> log) {
    GradMode.disableOnCurrentThread();
    Random rnd = new Random(s.seed());
    int d = online.dims().width();
    int dp = ms.predictorWidth();
    int fp = online.dims().freqPatches();
    int unitPatches = online.dims().unitPatches();
    try (NDManager m = online.manager().newSubManager();
        TrainableViT target = online.copy(m)) {
      target.stateDict().values().forEach(a -> a.setRequiresGradient(false));
      Map<String, NDArray> pred = new LinkedHashMap<>();
      pred.put("decoder_embed.weight", TorchArrays.of(m, TrainableViT.xavier(rnd, dp * d, d, dp),
          new Shape(dp, d)));
      pred.put("decoder_embed.bias", m.zeros(new Shape(dp)));
      pred.put("mask_token", TorchArrays.of(m, TrainableViT.normal(rnd, dp, 0.02f), new Shape(1, 1, dp)));
      for (int i = 0; i < ms.predictorDepth(); i++) {
        String b = "decoder_blocks." + i + ".";
        int mlp = 4 * dp;
        pred.put(b + "norm1.weight", m.ones(new Shape(dp)));
        pred.put(b + "norm1.bias", m.zeros(new Shape(dp)));
        pred.put(b + "attn.qkv.weight", TorchArrays.of(m, TrainableViT.xavier(rnd, 3 * dp * dp, dp,
            3L * dp), new Shape(3L * dp, dp)));
        pred.put(b + "attn.qkv.bias", m.zeros(new Shape(3L * dp)));
        pred.put(b + "attn.proj.weight", TorchArrays.of(m, TrainableViT.xavier(rnd, dp * dp, dp, dp),
            new Shape(dp, dp)));
        pred.put(b + "attn.proj.bias", m.zeros(new Shape(dp)));
        pred.put(b + "norm2.weight", m.ones(new Shape(dp)));
        pred.put(b + "norm2.bias", m.zeros(new Shape(dp)));
        pred.put(b + "mlp.fc1.weight", TorchArrays.of(m, TrainableViT.xavier(rnd, mlp * dp, dp, mlp),
            new Shape(mlp, dp)));
        pred.put(b + "mlp.fc1.bias", m.zeros(new Shape(mlp)));
        pred.put(b + "mlp.fc2.weight", TorchArrays.of(m, TrainableViT.xavier(rnd, mlp * dp, mlp, dp),
            new Shape(dp, mlp)));
        pred.put(b + "mlp.fc2.bias", m.zeros(new Shape(dp)));
      }
      pred.put("decoder_norm.weight", m.ones(new Shape(dp)));
      pred.put("decoder_norm.bias", m.zeros(new Shape(dp)));
      pred.put("decoder_pred.weight", TorchArrays.of(m, TrainableViT.xavier(rnd, d * dp, dp, d),
          new Shape(d, dp)));
      pred.put("decoder_pred.bias", m.zeros(new Shape(d)));
      pred.values().forEach(a -> a.setRequiresGradient(true));
      NDArray predPos = TorchArrays.of(m, TrainableViT.sinCos2d(dp, fp, unitPatches, false),
          new Shape(1, fp, unitPatches, dp));

      Map<String, NDArray> all = new LinkedHashMap<>(online.trainable());
      all.putAll(pred);
      Map<String, NDArray> onlineParams = online.trainable();
      Map<String, NDArray> targetParams = target.trainable();
      TrainingData.Sampler sampler = data.new Sampler(online.dims().unitFrames(), s.batch(),
          rnd);
      float[] losses = new float[s.steps()];
      long t0 = System.nanoTime();
      double wallBefore;
      try (AdamW opt = new AdamW(all, 0.9, 0.95, s.weightDecay(), m)) {
        Map<String, NDArray> live = live(all, opt, targetParams);
        String fingerprint = fingerprint(name, "m2d", online, data, stats, s, ms);
        Resumed resumed = resume(checkpoint, fingerprint, live, losses, new double[0], sampler,
            opt, name, log);
        if (resumed != null) {
          rnd = resumed.random();
        }
        int start = resumed == null ? 0 : resumed.stepsDone();
        double before = resumed == null ? 0 : resumed.wallSeconds();
        for (int step = start; step < s.steps(); step++) {
          int[] idx = sampler.next();
          try (NDManager scope = m.newSubManager()) {
            NDArray x = data.batch(idx, online.dims().unitFrames(), stats, rnd, scope);
            int rows = idx.length;
            int tp = (int) x.getShape().get(3) / online.dims().patchTime();
            int n = fp * tp;
            int masked = (int) Math.round(n * ms.maskRatio());
            int keep = n - masked;
            long[] keepIdx = new long[rows * keep];
            long[] maskIdx = new long[rows * masked];
            long[] restore = new long[rows * n];
            for (int b = 0; b < rows; b++) {
              int[] perm = permutation(n, rnd);
              int[] vis = java.util.Arrays.copyOfRange(perm, 0, keep);
              int[] msk = java.util.Arrays.copyOfRange(perm, keep, n);
              java.util.Arrays.sort(vis);
              java.util.Arrays.sort(msk);
              for (int i = 0; i < keep; i++) {
                keepIdx[b * keep + i] = vis[i];
                restore[b * n + vis[i]] = i;
              }
              for (int i = 0; i < masked; i++) {
                maskIdx[b * masked + i] = msk[i];
                restore[b * n + msk[i]] = keep + i;
              }
            }
            // the target sees only the masked patches; no graph is recorded for it
            NDArray targetOut = target.encode(gatherTokens(target.embed(x), maskIdx, rows,
                masked, d, scope)).get(":, 1:, :");
            NDArray targetNorm = l2normalise(targetOut);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
              NDArray visible = online.encode(gatherTokens(online.embed(x), keepIdx, rows, keep,
                  d, scope)).get(":, 1:, :");
              NDArray z = VitEncoder.linear(visible, pred, "decoder_embed");
              NDArray maskTokens = pred.get("mask_token").get(scope, ALL)
                  .broadcast(new Shape(rows, masked, dp));
              NDArray full = gatherTokens(NDArrays.concat(new NDList(z, maskTokens), 1),
                  restore, rows, n, dp, scope);
              NDArray pos = predPos.get(scope, new NDIndex(":, :, :{}, :", tp))
                  .reshape(1, n, dp);
              NDArray h = full.add(pos);
              for (int i = 0; i < ms.predictorDepth(); i++) {
                h = VitEncoder.block(h, pred, "decoder_blocks." + i + ".", ms.predictorHeads());
              }
              h = VitEncoder.layerNorm(h, pred, "decoder_norm");
              NDArray p = VitEncoder.linear(gatherTokens(h, maskIdx, rows, masked, dp, scope),
                  pred, "decoder_pred");
              NDArray loss = l2normalise(p).sub(targetNorm).square().sum(new int[] {-1}).mean();
              gc.backward(loss);
              losses[step] = finite(loss.getFloat(), name, step);
            }
            opt.step(s.lrAt(step));
            double tau = ms.emaAt(step, s.steps());
            for (Map.Entry<String, NDArray> e : targetParams.entrySet()) {
              NDArray src = onlineParams.get(e.getKey()).get(scope, ALL).mul(1 - tau);
              e.getValue().muli(tau).addi(src);
            }
          }
          progress(log, name, step, start, s, losses, t0, String.format(Locale.ROOT, "ema %.5f",
              ms.emaAt(step, s.steps())));
          snapshot(checkpoint, fingerprint, step + 1, s, before, t0, losses, new double[0], rnd,
              sampler, opt, live);
        }
        if (checkpoint != null) {
          checkpoint.delete();
        }
        wallBefore = before;
      }
      double wall = wallBefore + (System.nanoTime() - t0) / 1e9;
      return new TrainingRun(name, "m2d", s, wall, losses, data.dataHash(), data.size(),
          online.parameterCount(), List.of(String.format(Locale.ROOT,
              "mask ratio %.2f, predictor depth %d width %d heads %d, EMA %.4f -> %.5f (cosine)",
              ms.maskRatio(), ms.predictorDepth(), ms.predictorWidth(), ms.predictorHeads(),
              ms.emaStart(), ms.emaEnd())));
    }
  }

  /** A run continued from a checkpoint: where it stopped and its random generator. */
  private record Resumed(int stepsDone, double wallSeconds, Random random) {}

  /** The arrays a checkpoint saves: trained parameters, optimiser moments, EMA target. */
  private static Map<String, NDArray> live(Map<String, NDArray> params, AdamW opt,
      Map<String, NDArray> target) {
    Map<String, NDArray> live = new LinkedHashMap<>();
    params.forEach((k, a) -> live.put("param." + k, a));
    live.putAll(opt.stateArrays());
    target.forEach((k, a) -> live.put("target." + k, a));
    return live;
  }

  /** What a checkpoint must match to be continued: the run's name, recipe, shape, settings, data. */
  private static String fingerprint(String name, String recipe, TrainableViT vit,
      TrainingData data, NormStats stats, Settings s, M2dSettings ms) {
    return name + " | " + recipe + " | " + vit.dims() + " | " + s + (ms == null ? "" : " | " + ms)
        + " | " + stats + " | data " + data.dataHash()
        + (vit.vocabulary() == null ? "" : " | text " + vit.vocabulary().stored());
  }

  private static Resumed resume(TrainingCheckpoint checkpoint, String fingerprint,
      Map<String, NDArray> live, float[] losses, double[] metric, TrainingData.Sampler sampler,
      AdamW opt, String name, Consumer<String> log) {
    if (checkpoint == null) {
      return null;
    }
    TrainingCheckpoint.Progress p = checkpoint.restore(fingerprint, live);
    if (p == null) {
      return null;
    }
    System.arraycopy(p.losses(), 0, losses, 0, p.stepsDone());
    System.arraycopy(p.metric(), 0, metric, 0, Math.min(metric.length, p.metric().length));
    Random rnd = TrainingCheckpoint.restoreRandom(p.random());
    sampler.restore(p.samplerOrder(), p.samplerCursor(), rnd);
    opt.restoreSteps(p.optimizerSteps());
    log.accept(name + ": resuming at step " + p.stepsDone() + " from " + checkpoint.file());
    return new Resumed(p.stepsDone(), p.wallSeconds(), rnd);
  }

  private static void snapshot(TrainingCheckpoint checkpoint, String fingerprint, int stepsDone,
      Settings s, double before, long t0, float[] losses, double[] metric, Random rnd,
      TrainingData.Sampler sampler, AdamW opt, Map<String, NDArray> live) {
    if (checkpoint == null || !checkpoint.due(stepsDone, s.steps())) {
      return;
    }
    checkpoint.save(fingerprint, new TrainingCheckpoint.Progress(stepsDone,
        before + (System.nanoTime() - t0) / 1e9, java.util.Arrays.copyOf(losses, stepsDone),
        java.util.Arrays.copyOf(metric, Math.min(metric.length, stepsDone)),
        TrainingCheckpoint.save(rnd), sampler.order(), sampler.cursor(), opt.steps()), live);
  }

  /** Rows {@code idx[b]} of each batch row of {@code tokens [B, N, w]}: {@code [B, k, w]}. */
  private static NDArray gatherTokens(NDArray tokens, long[] idx, int rows, int k, int w,
      NDManager scope) {
    long[] full = new long[rows * k * w];
    for (int i = 0; i < rows * k; i++) {
      java.util.Arrays.fill(full, i * w, (i + 1) * w, idx[i]);
    }
    NDArray index = TorchArrays.of(scope, full, new Shape(rows, k, w));
    return tokens.gather(index, 1);
  }

  /** The loss, or a one-line error when it is not finite (nothing is saved then). */
  private static float finite(float loss, String name, int step) {
    if (!Float.isFinite(loss)) {
      throw new io.anw.WorkbenchException(name + ": the loss is " + loss + " at step "
          + (step + 1) + "; training stopped");
    }
    return loss;
  }

  private static NDArray l2normalise(NDArray x) {
    // eps inside the root: the root's gradient stays finite for a zero vector
    return x.div(x.square().sum(new int[] {-1}, true)
        .add(TorchArrays.scalar(x.getManager(), 1e-12f)).sqrt());
  }

  /** A uniformly random permutation of {@code 0..n-1} (Fisher–Yates with {@code rnd}). */
  static int[] permutation(int n, Random rnd) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  private static double mean(double[] v, int upTo, int window) {
    int from = Math.max(0, upTo - window + 1);
    double sum = 0;
    for (int i = from; i <= upTo; i++) {
      sum += v[i];
    }
    return sum / (upTo - from + 1);
  }

  private static void progress(Consumer<String> log, String name, int step, int start,
      Settings s, float[] losses, long t0, String extra) {
    boolean last = step == s.steps() - 1;
    if ((step + 1) % s.logEvery() != 0 && !last && step != start) {
      return;
    }
    double elapsed = (System.nanoTime() - t0) / 1e9;
    double rate = (step + 1 - start) / elapsed;
    double eta = (s.steps() - step - 1) / rate;
    int width = 20;
    int filled = (int) Math.round(width * (step + 1) / (double) s.steps());
    double[] l = new double[step + 1];
    for (int i = 0; i <= step; i++) {
      l[i] = losses[i];
    }
    log.accept(String.format(Locale.ROOT, "%s [%s%s] %d/%d loss %.4f (%s) %.2f steps/s, %s"
        + " elapsed, ETA %s", name, "#".repeat(filled), ".".repeat(width - filled), step + 1,
        s.steps(), mean(l, step, Math.max(1, s.logEvery())), extra, rate,
        TrainingRun.duration(elapsed), TrainingRun.duration(eta)));
  }
}
