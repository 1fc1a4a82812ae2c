package io.anw.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import io.anw.GradMode;
import io.anw.TorchArrays;
import io.anw.WorkbenchException;
import io.anw.model.AdamW;
import io.anw.sae.SaeArchitecture;
import io.anw.sae.SaeConfig;
import io.anw.sae.SparseAutoencoder;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Trains a sparse autoencoder on rows streamed from a {@link MixingBuffer.Source} (a hooked
 * model's activations, or any rows): Adam, the architecture's loss (see {@link SaeOptions}),
 * activations scaled so that their mean norm is {@code sqrt(d_in)} (SAELens's
 * {@code expected_average_only_in}; the scale is folded into the saved weights), decoder rows
 * renormalised to unit length after every step, dead features (no activation on the last
 * {@link SaeOptions#deadWindowTokens()} tokens) given the AuxK loss. With a checkpoint the run
 * saves everything it needs (parameters, optimiser, buffer, source position, random state,
 * curves) and a run started again with the same checkpoint continues to the very same weights.
 */
public final class SaeTrainer {
  /** Told where training is after every step. */
  @FunctionalInterface
  public interface Listener {
    /** After step {@code step} (1-based) of {@code steps}. */
    void at(int step, int steps, String message);
  }

  private static final float JUMP_BANDWIDTH = 0.05f;
  private static final float JUMP_INIT_THRESHOLD = 0.01f;
  private static final float JUMP_TANH_SCALE = 4f;
  private static final int CURVES = SaeTrainingRun.CURVES.size();

  private SaeTrainer() {}

  /**
   * Trains an SAE on the activations of {@code hook} of {@code model} over {@code data} (every
   * token of every chunk; epochs in seeded shuffled clip orders, through the mixing buffer).
   *
   * @param cacheDir an activation cache folder ({@link ActivationShards}), or null
   * @param checkpoint snapshots ({@code null}: none)
   */
  public static SaeTrainingRun train(io.anw.model.AudioModel model, io.anw.audio.Dataset data,
      String hook, SaeOptions o, java.nio.file.Path cacheDir, TrainingCheckpoint checkpoint,
      Listener listener) {
    return train(model, data, hook, o, cacheDir, checkpoint, null, listener);
  }

  /**
   * {@link #train(io.anw.model.AudioModel, io.anw.audio.Dataset, String, SaeOptions,
   * java.nio.file.Path, TrainingCheckpoint, Listener)} with the input scale and the decoder
   * bias taken from statistics of the whole data ({@code sae stats}, {@code spark-stats})
   * instead of the first batch.
   *
   * @param stats statistics of {@code hook} (null: from the first batch)
   */
  public static SaeTrainingRun train(io.anw.model.AudioModel model, io.anw.audio.Dataset data,
      String hook, SaeOptions o, java.nio.file.Path cacheDir, TrainingCheckpoint checkpoint,
      io.anw.activation.HookStats stats, Listener listener) {
    HookActivations acts = new HookActivations(model, data, hook, o.batchClips(), cacheDir);
    int dIn = acts.width();
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("model", model.name());
    meta.put("weights_sha256", model.weightsSha256());
    meta.put("preset", model.frontEndProvenance().get("preset"));
    meta.put("data", data.name());
    meta.put("data_sha256", data.listHash());
    meta.put("clips", data.size());
    meta.put("hook_name", hook);
    meta.put("tokens_read", "all tokens of every chunk");
    meta.put("options", o.toString());
    meta.put("seed", o.seed());
    meta.put("workbench", io.anw.Version.workbench());
    if (stats != null) {
      meta.put("input_stats", stats.tokens() + " tokens of "
          + stats.provenance().getOrDefault("data", "?") + " (data_sha256 "
          + stats.provenance().getOrDefault("data_sha256", "?") + ")");
    }
    try (EpochSource source = new EpochSource(acts, o.seed())) {
      return train(source, dIn, hook, o, acts.fingerprint(), checkpoint, meta, stats,
          listener);
    }
  }

  /**
   * Trains an SAE of width {@code d_in × expansion} on {@code source}'s rows of width
   * {@code dIn}, for {@code hook}.
   *
   * @param fingerprint identifies the data stream (model, data, hook) for checkpoints
   * @param checkpoint snapshots ({@code null}: none)
   * @param metadata provenance written under the saved {@code cfg.json}'s {@code metadata}
   */
  public static SaeTrainingRun train(MixingBuffer.Source source, int dIn, String hook,
      SaeOptions o, String fingerprint, TrainingCheckpoint checkpoint,
      Map<String, Object> metadata, Listener listener) {
    return train(source, dIn, hook, o, fingerprint, checkpoint, metadata, null, listener);
  }

  /**
   * {@link #train(MixingBuffer.Source, int, String, SaeOptions, String, TrainingCheckpoint,
   * Map, Listener)} with the input scale and decoder bias from {@code stats} (null: from the
   * first batch).
   *
   * @throws WorkbenchException when the statistics are of another hook point or width
   */
  public static SaeTrainingRun train(MixingBuffer.Source source, int dIn, String hook,
      SaeOptions o, String fingerprint, TrainingCheckpoint checkpoint,
      Map<String, Object> metadata, io.anw.activation.HookStats inputStats,
      Listener listener) {
    GradMode.disableOnCurrentThread();
    if (inputStats != null && (!inputStats.hook().equals(hook) || inputStats.width() != dIn)) {
      throw new WorkbenchException("--stats are of " + inputStats.hook() + " ["
          + inputStats.width() + "], not of " + hook + " [" + dIn + "]");
    }
    int dSae = (int) Math.round(dIn * o.expansion());
    if (dSae < 1 || (o.arch().usesK() && o.k() > dSae)) {
      throw new WorkbenchException("--k " + o.k() + " is more than the SAE's " + dSae
          + " features (d_in " + dIn + " x expansion " + o.expansion() + ")");
    }
    int steps = o.steps();
    int b = o.batchTokens();
    Random rnd = new Random(o.seed());
    MixingBuffer buffer = new MixingBuffer(o.bufferTokens(), dIn);
    float[] curves = new float[steps * CURVES];
    long t0 = System.nanoTime();
    try (NDManager m = NDManager.newBaseManager()) {
      Map<String, NDArray> params = init(m, dIn, dSae, o, rnd);
      NDArray wEnc = params.get("W_enc");
      NDArray bEnc = params.get("b_enc");
      NDArray wDec = params.get("W_dec");
      NDArray bDec = params.get("b_dec");
      NDArray logThreshold = params.get("log_threshold");
      NDArray sinceFired = m.zeros(new Shape(dSae)); // steps since each feature fired
      NDArray scale = m.zeros(new Shape(1)); // 0 until the first batch sets it
      NDArray batchThreshold = m.zeros(new Shape(1)); // BatchTopK's running threshold
      params.values().forEach(a -> a.setRequiresGradient(true));
      try (AdamW opt = new AdamW(params, 0.9, 0.999, 0, m)) {
        Map<String, NDArray> live = new LinkedHashMap<>();
        params.forEach((k, a) -> live.put("param." + k, a));
        live.putAll(opt.stateArrays());
        live.put("dead.since_fired", sinceFired);
        live.put("input.scale", scale);
        live.put("batchtopk.threshold", batchThreshold);
        String fp = fingerprint + " | d_in " + dIn + " | " + hook + " | " + o;
        int start = 0;
        double before = 0;
        if (checkpoint != null) {
          try (NDManager tmp = NDManager.newBaseManager()) {
            NDArray rows = tmp.zeros(new Shape(o.bufferTokens(), dIn));
            Map<String, NDArray> all = new LinkedHashMap<>(live);
            all.put("buffer.rows", rows);
            TrainingCheckpoint.Progress p = checkpoint.restore(fp, all);
            if (p != null) {
              float[] saved = rows.toFloatArray();
              System.arraycopy(saved, 0, buffer.rows(), 0, saved.length);
              int[] fromInts = p.samplerOrder()[1];
              long[] from = fromInts.length == 0 ? null
                  : java.util.Arrays.stream(fromInts).asLongStream().toArray();
              buffer.restore(p.samplerOrder()[0], from, source);
              rnd = TrainingCheckpoint.restoreRandom(p.random());
              opt.restoreSteps(p.optimizerSteps());
              start = p.stepsDone();
              before = p.wallSeconds();
              double[] c = p.metric();
              for (int i = 0; i < Math.min(c.length, curves.length); i++) {
                curves[i] = (float) c[i];
              }
              listener.at(start, steps, "resuming at step " + start + " from "
                  + checkpoint.file());
            }
          }
        }
        int deadSteps = (int) Math.max(1, (o.deadWindowTokens() + b - 1) / b);
        float inputScale = scale.getFloat(); // 0 until the first batch sets it (or restored)
        if (inputScale == 0f && inputStats != null) {
          initialise(inputStats, scale, bDec, dIn);
          inputScale = scale.getFloat();
        }
        for (int step = start; step < steps; step++) {
          float[] rows = buffer.next(b, source, rnd);
          if (rows == null) {
            throw new WorkbenchException("the activation source ran dry at step " + (step + 1));
          }
          int n = rows.length / dIn;
          try (NDManager scope = m.newSubManager()) {
            NDArray raw = TorchArrays.of(scope, rows, new Shape(n, dIn));
            if (inputScale == 0f) {
              initialise(raw, scale, bDec, dIn);
              inputScale = scale.getFloat();
            }
            NDArray x = raw.mul(inputScale);
            float[] stats = step(x, wEnc, bEnc, wDec, bDec, logThreshold, sinceFired,
                batchThreshold, o, step, deadSteps, dSae);
            System.arraycopy(stats, 0, curves, step * CURVES, CURVES);
            if (!Float.isFinite(stats[0])) {
              throw new WorkbenchException("SAE training: the loss is " + stats[0] + " at step "
                  + (step + 1) + "; try a lower --lr");
            }
            opt.step(o.lrAt(step));
            normaliseDecoder(wDec);
          }
          listener.at(step + 1, steps, String.format(Locale.ROOT,
              "loss %.4g  L0 %.1f  expl.var %.3f  dead %.3f", curves[step * CURVES],
              curves[step * CURVES + 2], curves[step * CURVES + 3], curves[step * CURVES + 4]));
          if (checkpoint != null && checkpoint.due(step + 1, steps)) {
            snapshot(checkpoint, fp, step + 1, before, t0, curves, rnd, buffer, opt, live);
          }
        }
        if (checkpoint != null) {
          checkpoint.delete();
        }
        double wall = before + (System.nanoTime() - t0) / 1e9;
        SparseAutoencoder sae = fold(wEnc, bEnc, wDec, bDec, logThreshold, batchThreshold,
            scale.getFloat(), dIn, dSae, hook, o, metadata);
        return new SaeTrainingRun(sae, o, curves, wall, scale.getFloat(), (long) steps * b);
      }
    }
  }

  private static Map<String, NDArray> init(NDManager m, int dIn, int dSae, SaeOptions o,
      Random rnd) {
    float[] dec = new float[dSae * dIn];
    for (int i = 0; i < dSae; i++) {
      double norm = 0;
      for (int j = 0; j < dIn; j++) {
        float v = (float) rnd.nextGaussian();
        dec[i * dIn + j] = v;
        norm += v * v;
      }
      float inv = (float) (1 / Math.sqrt(norm));
      for (int j = 0; j < dIn; j++) {
        dec[i * dIn + j] *= inv;
      }
    }
    Map<String, NDArray> p = new LinkedHashMap<>();
    NDArray wDec = TorchArrays.of(m, dec, new Shape(dSae, dIn));
    // the encoder starts as the decoder's transpose (tied initialisation)
    p.put("W_enc", wDec.transpose().duplicate());
    p.put("b_enc", m.zeros(new Shape(dSae)));
    p.put("W_dec", wDec);
    p.put("b_dec", m.zeros(new Shape(dIn)));
    if (o.arch() == SaeOptions.Arch.JUMPRELU) {
      p.put("log_threshold", m.full(new Shape(dSae), (float) Math.log(JUMP_INIT_THRESHOLD)));
    }
    return p;
  }

  /** The input scale (mean norm → sqrt(d_in)) and b_dec (the scaled mean) from statistics. */
  private static void initialise(io.anw.activation.HookStats stats, NDArray scale, NDArray bDec,
      int dIn) {
    double meanNorm = stats.meanNorm();
    float s = meanNorm > 0 ? (float) (Math.sqrt(dIn) / meanNorm) : 1f;
    scale.set(new ai.djl.ndarray.index.NDIndex("0"), s);
    double[] mean = stats.mean();
    float[] scaled = new float[dIn];
    for (int i = 0; i < dIn; i++) {
      scaled[i] = (float) mean[i] * s;
    }
    try (NDManager m = NDManager.newBaseManager()) {
      bDec.set(new ai.djl.ndarray.index.NDIndex("..."), TorchArrays.of(m, scaled,
          new Shape(dIn)));
    }
  }

  /** The input scale (mean norm → sqrt(d_in)) and b_dec (the scaled mean) from the first batch. */
  private static void initialise(NDArray raw, NDArray scale, NDArray bDec, int dIn) {
    float meanNorm = raw.square().sum(new int[] {1}).sqrt().mean().getFloat();
    float s = meanNorm > 0 ? (float) (Math.sqrt(dIn) / meanNorm) : 1f;
    scale.set(new ai.djl.ndarray.index.NDIndex("0"), s);
    try (NDArray mean = raw.mean(new int[] {0}).mul(s)) {
      bDec.set(new ai.djl.ndarray.index.NDIndex("..."), mean);
    }
  }

  /**
   * One forward and backward pass; returns the curves' values: loss, mse, L0, explained
   * variance, dead fraction, aux loss.
   */
  private static float[] step(NDArray x, NDArray wEnc, NDArray bEnc, NDArray wDec, NDArray bDec,
      NDArray logThreshold, NDArray sinceFired, NDArray batchThreshold, SaeOptions o, int step,
      int deadSteps, int dSae) {
    NDManager sm = x.getManager();
    int n = (int) x.getShape().get(0);
    int dIn = (int) x.getShape().get(1);
    // arrays of this step live in the step's manager, not in the run's (they would pile up)
    NDArray since = sinceFired.duplicate();
    since.attach(sm);
    NDArray deadMask = since.gte(deadSteps).toType(DataType.FLOAT32, false);
    int dead = (int) deadMask.sum().getFloat();
    float[] out = new float[CURVES];
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray pre = x.sub(bDec).matMul(wEnc).add(bEnc);
      NDArray f;
      NDArray penalty = null;
      switch (o.arch()) {
        case RELU -> {
          f = Activation.relu(pre);
          penalty = f.sum(new int[] {1}).mean().mul((float) o.sparsityAt(step));
        }
        case TOPK -> {
          NDArray r = Activation.relu(pre);
          NDArray kth = r.stopGradient().topK(o.k(), -1, true, false).get(0)
              .get(":, -1:");
          f = r.mul(r.stopGradient().gte(kth).toType(DataType.FLOAT32, false));
        }
        case BATCHTOPK -> {
          NDArray r = Activation.relu(pre);
          int keep = (int) Math.min((long) o.k() * n, (long) n * dSae);
          NDArray top = r.stopGradient().flatten().topK(keep, -1, true, false).get(0);
          float t = top.get(keep - 1).getFloat();
          NDArray kept = r.stopGradient().gte(t).logicalAnd(r.stopGradient().gt(0f));
          f = r.mul(kept.toType(DataType.FLOAT32, false));
          // the smallest activation kept: its running mean becomes the saved threshold
          NDArray positive = top.get(top.gt(0f));
          if (positive.size() > 0) {
            float minPos = positive.min().getFloat();
            float old = batchThreshold.getFloat();
            float next = old == 0f ? minPos : 0.99f * old + 0.01f * minPos;
            batchThreshold.muli(0f).addi(next); // in place: no array left in the run's manager
          }
        }
        case JUMPRELU -> {
          NDArray theta = logThreshold.exp();
          theta.attach(sm);
          NDArray thetaD = theta.stopGradient();
          NDArray preD = pre.stopGradient();
          NDArray h = preD.gt(thetaD).toType(DataType.FLOAT32, false);
          // rectangle kernel of the pseudo-derivative, bandwidth eps
          NDArray kernel = preD.sub(thetaD).div(JUMP_BANDWIDTH).abs().lt(0.5f)
              .toType(DataType.FLOAT32, false).div(JUMP_BANDWIDTH);
          // d f / d theta = -(theta / eps) K; d L0 / d theta = -(1 / eps) K (straight-through)
          NDArray cF = kernel.mul(thetaD).neg();
          NDArray steF = theta.mul(cF).sub(theta.mul(cF).stopGradient());
          f = pre.mul(h).add(steF);
          // the sparsity penalty: tanh(4 f) per feature (SAELens's "tanh" mode), a smooth L0
          // that reaches the encoder as well as the thresholds
          NDArray l0 = f.mul(JUMP_TANH_SCALE).tanh().sum(new int[] {1}).mean();
          penalty = l0.mul((float) o.sparsityAt(step));
        }
        default -> throw new IllegalStateException(o.arch().toString());
      }
      NDArray xhat = f.matMul(wDec).add(bDec);
      NDArray err = x.sub(xhat);
      NDArray mse = err.square().sum(new int[] {1}).mean();
      NDArray loss = mse;
      if (penalty != null) {
        loss = loss.add(penalty);
      }
      float aux = 0;
      if (dead > 0 && o.auxCoefficient() > 0) {
        int kAux = Math.min(Math.max(1, dIn / 2), dead);
        NDArray r = Activation.relu(pre).mul(deadMask);
        NDArray kth = r.stopGradient().topK(kAux, -1, true, false).get(0)
            .get(":, -1:");
        NDArray fAux = r.mul(r.stopGradient().gte(kth).logicalAnd(r.stopGradient().gt(0f))
            .toType(DataType.FLOAT32, false));
        NDArray eHat = fAux.matMul(wDec);
        NDArray auxLoss = err.stopGradient().sub(eHat).square().sum(new int[] {1}).mean()
            .mul((float) (o.auxCoefficient() * Math.min(1.0, dead / (double) kAux)));
        aux = auxLoss.getFloat();
        loss = loss.add(auxLoss);
      }
      gc.backward(loss);
      NDArray fired = f.stopGradient().gt(0f);
      out[0] = loss.getFloat();
      out[1] = mse.getFloat();
      out[2] = fired.toType(DataType.FLOAT32, false).sum().getFloat() / n;
      NDArray centred = x.sub(x.mean(new int[] {0}, true));
      float total = centred.square().sum().getFloat();
      out[3] = total > 0 ? 1 - mse.getFloat() * n / total : 0;
      out[4] = dead / (float) dSae;
      out[5] = aux;
      NDArray firedAny = fired.sum(new int[] {0}).gt(0).toType(DataType.FLOAT32, false);
      sinceFired.addi(1f).muli(firedAny.neg().add(1f));
    }
    return out;
  }

  private static void normaliseDecoder(NDArray wDec) {
    GradMode.disableOnCurrentThread();
    try (NDArray norm = wDec.norm(new int[] {1}, true);
        NDArray safe = norm.maximum(1e-8f)) {
      wDec.divi(safe);
    }
  }

  private static void snapshot(TrainingCheckpoint checkpoint, String fp, int stepsDone,
      double before, long t0, float[] curves, Random rnd, MixingBuffer buffer, AdamW opt,
      Map<String, NDArray> live) {
    try (NDManager tmp = NDManager.newBaseManager()) {
      Map<String, NDArray> all = new LinkedHashMap<>(live);
      all.put("buffer.rows", TorchArrays.of(tmp, buffer.rows(), new Shape(buffer.capacity(),
          buffer.width())));
      double[] c = new double[stepsDone * CURVES];
      for (int i = 0; i < c.length; i++) {
        c[i] = curves[i];
      }
      long[] from = buffer.spillFrom();
      // the "sampler" of this run: the buffer's counters and the source position of its
      // last block
      int[][] sampler = {buffer.state(), from == null ? new int[0]
          : java.util.Arrays.stream(from).mapToInt(Math::toIntExact).toArray()};
      checkpoint.save(fp, new TrainingCheckpoint.Progress(stepsDone,
          before + (System.nanoTime() - t0) / 1e9, new float[0], c,
          TrainingCheckpoint.save(rnd), sampler, new int[2], opt.steps()), all);
    }
  }

  /** The trained SAE with the input scale folded in, applying to raw activations. */
  private static SparseAutoencoder fold(NDArray wEnc, NDArray bEnc, NDArray wDec, NDArray bDec,
      NDArray logThreshold, NDArray batchThreshold, float scale, int dIn, int dSae, String hook,
      SaeOptions o, Map<String, Object> metadata) {
    GradMode.disableOnCurrentThread();
    try (NDManager tmp = NDManager.newBaseManager()) {
      NDArray we = wEnc.stopGradient().mul(scale);
      we.attach(tmp);
      NDArray wd = wDec.stopGradient().div(scale);
      wd.attach(tmp);
      NDArray bd = bDec.stopGradient().div(scale);
      bd.attach(tmp);
      NDArray be = bEnc.stopGradient().duplicate();
      be.attach(tmp);
      NDArray threshold = null;
      SaeArchitecture arch;
      switch (o.arch()) {
        case RELU -> arch = SaeArchitecture.STANDARD;
        case TOPK -> arch = SaeArchitecture.TOPK;
        case BATCHTOPK -> {
          arch = SaeArchitecture.JUMPRELU;
          threshold = tmp.full(new Shape(dSae), batchThreshold.getFloat());
        }
        default -> {
          arch = SaeArchitecture.JUMPRELU;
          threshold = logThreshold.stopGradient().exp();
          threshold.attach(tmp);
        }
      }
      Map<String, Object> meta = new LinkedHashMap<>(metadata);
      meta.put("trained_architecture", o.arch().label());
      if (o.arch().usesK()) {
        meta.put("trained_k", o.k());
      }
      meta.put("input_scale_folded", (double) scale);
      meta.put("dead_features", "auxk (coefficient " + o.auxCoefficient() + ", window "
          + o.deadWindowTokens() + " tokens), not resampled");
      meta.put("decoder", "unit-norm rows during training, divided by the input scale at save");
      SaeConfig cfg = new SaeConfig(arch, dIn, dSae, hook, o.arch() == SaeOptions.Arch.TOPK
          ? o.k() : 0, true, meta);
      return SparseAutoencoder.of(cfg, we, be, wd, bd, threshold);
    }
  }
}
