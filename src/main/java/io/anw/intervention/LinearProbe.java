package io.anw.intervention;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.anw.GradMode;
import io.anw.TorchArrays;
import io.anw.WorkbenchException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A linear probe on frozen embeddings, as EVAR's linear evaluation: embeddings standardised with
 * the training set's mean and standard deviation, a softmax linear classifier trained with Adam
 * (DJL autograd) on mini-batches, early stopping on a stratified validation split, the best
 * validation epoch's weights kept. Deterministic for a seed.
 *
 * <p>Once trained, the probe is fixed: {@link #evaluate} scores any embeddings (e.g. recomputed
 * with neurons deactivated) with the same standardisation and weights.
 */
public final class LinearProbe {
  private final List<String> classes;
  private final float[] mean; // [dim]
  private final float[] std; // [dim]
  private final float[] weight; // [dim, classes] row-major
  private final float[] bias; // [classes]
  private final int epochs;
  private final double validationAccuracy;

  private LinearProbe(List<String> classes, float[] mean, float[] std, float[] weight,
      float[] bias, int epochs, double validationAccuracy) {
    this.classes = List.copyOf(classes);
    this.mean = mean;
    this.std = std;
    this.weight = weight;
    this.bias = bias;
    this.epochs = epochs;
    this.validationAccuracy = validationAccuracy;
  }

  /**
   * Trains a probe.
   *
   * @param x embeddings {@code [examples][dim]}
   * @param y class index of each example, in [0, classes.size())
   * @param classes class names
   */
  public static LinearProbe train(float[][] x, int[] y, List<String> classes, ProbeOptions opt) {
    int n = x.length;
    if (n == 0 || n != y.length) {
      throw new WorkbenchException("probe needs as many labels as embeddings (got " + n + " and "
          + y.length + ")");
    }
    int dim = x[0].length;
    int k = classes.size();
    for (int i = 0; i < n; i++) {
      if (x[i].length != dim) {
        throw new WorkbenchException("embedding " + i + " has " + x[i].length + " values, not "
            + dim);
      }
      if (y[i] < 0 || y[i] >= k) {
        throw new WorkbenchException("label " + y[i] + " of example " + i + " is not a class"
            + " index in [0, " + k + ")");
      }
    }
    float[] mean = new float[dim];
    float[] std = new float[dim];
    standardisation(x, mean, std);

    Random rng = new Random(opt.seed());
    int[][] split = stratifiedSplit(y, k, opt.validationFraction(), rng);
    int[] trainIdx = split[0];
    int[] valIdx = split[1];

    GradMode.disableOnCurrentThread();
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray xs = TorchArrays.of(manager, flatten(x, mean, std), new Shape(n, dim));
      NDArray labels = TorchArrays.of(manager, toLong(y));
      NDArray w = TorchArrays.of(manager, initialWeights(dim, k, rng), new Shape(dim, k));
      NDArray b = manager.zeros(new Shape(k));
      w.setRequiresGradient(true);
      b.setRequiresGradient(true);
      // Adam (the trainers' optimiser without decoupled decay; the L2 term is in the loss)
      java.util.Map<String, NDArray> params = new java.util.LinkedHashMap<>();
      params.put("w", w);
      params.put("b", b);
      io.anw.model.AdamW adam = new io.anw.model.AdamW(params, 0.9, 0.999, 0, manager);

      float[] bestW = w.toFloatArray();
      float[] bestB = b.toFloatArray();
      double bestAcc = -1;
      double bestLoss = Double.POSITIVE_INFINITY;
      int bestEpoch = 0;
      int epoch = 0;
      NDArray xVal = valIdx.length > 0 ? xs.get(TorchArrays.of(manager, toLong(valIdx))) : null;
      int[] yVal = select(y, valIdx);
      for (epoch = 1; epoch <= opt.maxEpochs(); epoch++) {
        int[] order = trainIdx.clone();
        shuffle(order, rng);
        for (int start = 0; start < order.length; start += opt.batchSize()) {
          int[] batch = Arrays.copyOfRange(order, start, Math.min(order.length, start + opt.batchSize()));
          try (NDScope step = new NDScope()) {
            NDArray idx = TorchArrays.of(manager, toLong(batch));
            NDArray xb = xs.get(idx);
            NDArray yb = labels.get(idx);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
              NDArray loss = io.anw.model.Losses.crossEntropy(xb.matMul(w).add(b), yb.oneHot(k));
              if (opt.weightDecay() > 0) {
                loss = loss.add(w.square().sum().mul(TorchArrays.scalar(
                    loss.getManager(), (float) (opt.weightDecay() / 2))));
              }
              gc.backward(loss);
            }
            adam.step(opt.learningRate());
          }
        }
        if (xVal == null) {
          bestW = w.toFloatArray();
          bestB = b.toFloatArray();
          bestEpoch = epoch;
          continue;
        }
        try (NDScope eval = new NDScope()) {
          NDArray logits = xVal.matMul(w).add(b);
          int[] pred = argmax(logits.toFloatArray(), k);
          double acc = ProbeEvaluation.of(classes, yVal, pred).accuracy();
          // Early stopping on validation accuracy: patience counts epochs since it last rose.
          // The weights kept are those of the best accuracy, ties going to the lower loss.
          double loss = io.anw.model.Losses.crossEntropy(logits,
              TorchArrays.of(manager, toLong(yVal)).oneHot(k)).getFloat();
          if (acc > bestAcc) {
            bestEpoch = epoch;
          }
          if (acc > bestAcc || (acc == bestAcc && loss < bestLoss)) {
            bestAcc = acc;
            bestLoss = loss;
            bestW = w.toFloatArray();
            bestB = b.toFloatArray();
          }
          if (epoch - bestEpoch >= opt.patience()) {
            break;
          }
        }
      }
      return new LinearProbe(classes, mean, std, bestW, bestB, Math.min(epoch, opt.maxEpochs()),
          bestAcc);
    }
  }

  /** Mean softmax cross-entropy of {@code logits [b, k]} against {@code labels [b]}. */
  /** Class names, in label order. */
  public List<String> classes() {
    return classes;
  }

  /** Embedding width the probe expects. */
  public int dim() {
    return mean.length;
  }

  /** Epochs trained before stopping. */
  public int epochs() {
    return epochs;
  }

  /** Best validation accuracy reached (NaN without a validation split). */
  public double validationAccuracy() {
    return validationAccuracy < 0 ? Double.NaN : validationAccuracy;
  }

  /** Logits {@code [examples][classes]} for embeddings {@code [examples][dim]}. */
  public float[][] logits(float[][] x) {
    int k = classes.size();
    float[][] out = new float[x.length][k];
    for (int i = 0; i < x.length; i++) {
      if (x[i].length != mean.length) {
        throw new WorkbenchException("embedding " + i + " has " + x[i].length
            + " values; the probe was trained on " + mean.length);
      }
      for (int c = 0; c < k; c++) {
        double s = bias[c];
        for (int d = 0; d < mean.length; d++) {
          s += (x[i][d] - mean[d]) / std[d] * weight[d * k + c];
        }
        out[i][c] = (float) s;
      }
    }
    return out;
  }

  /** Logits {@code [classes]} of one embedding {@code [dim]}. */
  public float[] logits(float[] embedding) {
    return logits(new float[][] {embedding})[0];
  }

  /**
   * Logits {@code [rows, classes]} of embeddings {@code [rows, dim]} as array operations
   * (differentiable under a {@link GradientCollector}); the probe's constants are made in the
   * embeddings' manager.
   */
  public NDArray logits(NDArray embeddings) {
    Shape s = embeddings.getShape();
    if (s.dimension() != 2 || s.get(1) != mean.length) {
      throw new WorkbenchException("probe expects embeddings [rows, " + mean.length + "], got "
          + s);
    }
    NDManager m = embeddings.getManager();
    int k = classes.size();
    // PyTorch-owned constants: attribution patching takes gradients through these products
    NDArray z = embeddings.sub(TorchArrays.of(m, mean))
        .div(TorchArrays.of(m, std));
    return z.matMul(TorchArrays.of(m, weight, new Shape(mean.length, k)))
        .add(TorchArrays.of(m, bias));
  }

  /** Predicted class index for each embedding. */
  public int[] predict(float[][] x) {
    float[][] logits = logits(x);
    int[] out = new int[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = argmax(logits[i], classes.size())[0];
    }
    return out;
  }

  /**
   * Accuracy, macro-F1, per-class accuracy and mean true-class probability on labelled
   * embeddings.
   */
  public ProbeEvaluation evaluate(float[][] x, int[] y) {
    return ProbeEvaluation.ofLogits(classes, y, logits(x));
  }

  @Override
  public String toString() {
    String names = classes.toString();
    if (names.length() > 48) {
      names = "[" + classes.get(0) + ", ..., " + classes.get(classes.size() - 1) + "]";
    }
    return String.format("LinearProbe %d -> %d classes %s, %d epochs, validation accuracy %s",
        mean.length, classes.size(), names, epochs,
        io.anw.report.NumberText.decimal(validationAccuracy()));
  }

  // ---- helpers -------------------------------------------------------------------------------

  private static void standardisation(float[][] x, float[] mean, float[] std) {
    int dim = mean.length;
    double[] sum = new double[dim];
    double[] sq = new double[dim];
    for (float[] row : x) {
      for (int d = 0; d < dim; d++) {
        sum[d] += row[d];
        sq[d] += (double) row[d] * row[d];
      }
    }
    for (int d = 0; d < dim; d++) {
      double m = sum[d] / x.length;
      double var = Math.max(0, sq[d] / x.length - m * m);
      mean[d] = (float) m;
      std[d] = var > 1e-12 ? (float) Math.sqrt(var) : 1f;
    }
  }

  private static float[] flatten(float[][] x, float[] mean, float[] std) {
    int dim = mean.length;
    float[] out = new float[x.length * dim];
    for (int i = 0; i < x.length; i++) {
      for (int d = 0; d < dim; d++) {
        out[i * dim + d] = (x[i][d] - mean[d]) / std[d];
      }
    }
    return out;
  }

  private static float[] initialWeights(int dim, int k, Random rng) {
    float[] w = new float[dim * k];
    double bound = 1.0 / Math.sqrt(dim); // as torch.nn.Linear's default
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
    }
    return w;
  }

  /** Per class, the given fraction (rounded, at least one when a class has two or more) to validation. */
  static int[][] stratifiedSplit(int[] y, int k, double fraction, Random rng) {
    List<Integer> train = new ArrayList<>();
    List<Integer> val = new ArrayList<>();
    for (int c = 0; c < k; c++) {
      List<Integer> members = new ArrayList<>();
      for (int i = 0; i < y.length; i++) {
        if (y[i] == c) {
          members.add(i);
        }
      }
      java.util.Collections.shuffle(members, rng);
      int nVal = fraction <= 0 || members.size() < 2 ? 0
          : Math.max(1, (int) Math.round(members.size() * fraction));
      val.addAll(members.subList(0, nVal));
      train.addAll(members.subList(nVal, members.size()));
    }
    java.util.Collections.sort(train);
    java.util.Collections.sort(val);
    return new int[][] {train.stream().mapToInt(Integer::intValue).toArray(),
        val.stream().mapToInt(Integer::intValue).toArray()};
  }

  private static void shuffle(int[] a, Random rng) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  private static long[] toLong(int[] a) {
    return Arrays.stream(a).asLongStream().toArray();
  }

  private static int[] select(int[] y, int[] idx) {
    int[] out = new int[idx.length];
    for (int i = 0; i < idx.length; i++) {
      out[i] = y[idx[i]];
    }
    return out;
  }

  /** Row-wise argmax of a flat {@code [rows, k]} array (first maximum on ties). */
  private static int[] argmax(float[] flat, int k) {
    int[] out = new int[flat.length / k];
    for (int r = 0; r < out.length; r++) {
      int best = 0;
      for (int c = 1; c < k; c++) {
        if (flat[r * k + c] > flat[r * k + best]) {
          best = c;
        }
      }
      out[r] = best;
    }
    return out;
  }
}
