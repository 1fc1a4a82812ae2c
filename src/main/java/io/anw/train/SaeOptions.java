package io.anw.train;

import io.anw.WorkbenchException;
import java.util.Locale;

/**
 * How a sparse autoencoder is trained ({@code sae train}'s flags). Immutable; each {@code with}
 * method returns a copy: {@code SaeOptions.topK(32).expansion(8).tokens(2_000_000)}.
 *
 * <p>Architectures: {@code relu} (ReLU, L1 penalty; saved as SAELens {@code standard}),
 * {@code topk} (k largest per token), {@code batchtopk} (the k·B largest over a batch of B
 * tokens; saved as {@code jumprelu} with the threshold it learnt, as SAELens does) and
 * {@code jumprelu} (per-feature thresholds trained through a straight-through estimator with a
 * rectangle kernel; sparsity penalty {@code Σ tanh(4 f)}, SAELens's "tanh" mode, a smooth L0
 * that also reaches the encoder). Every architecture keeps decoder rows at unit norm after each step (folded with the
 * input scale at save) and gives dead features an auxiliary loss (AuxK: the dead features'
 * top-{@code d_in/2} pre-activations reconstruct the residual, weight {@link #auxCoefficient});
 * none are resampled.
 *
 * @param arch the architecture
 * @param k features per token (topk, batchtopk)
 * @param expansion {@code d_sae / d_in}
 * @param tokens training tokens (steps = tokens / batchTokens)
 * @param batchTokens tokens per optimiser step
 * @param lr Adam's learning rate (constant, linear decay to 0 over the last 20 % of steps)
 * @param l1 sparsity coefficient: L1 for relu, tanh-L0 for jumprelu (ramped up over the first 5 % of
 *     steps); NaN: the default, 1
 * @param seed seed of the initialisation, the clip order of every epoch and the buffer shuffle
 * @param bufferTokens rows of the mixing buffer (at least 2 batches)
 * @param deadWindowTokens a feature that fired on none of this many recent tokens is dead
 * @param auxCoefficient weight of the dead features' auxiliary loss (1/32 as Gao et al.)
 * @param checkpointEvery steps between checkpoints (0: none)
 * @param batchClips clips per forward pass of the model
 */
public record SaeOptions(Arch arch, int k, double expansion, long tokens, int batchTokens,
    double lr, double l1, long seed, int bufferTokens, long deadWindowTokens,
    double auxCoefficient, int checkpointEvery, int batchClips) {

  /** The training objective and activation. */
  public enum Arch {
    /** ReLU with an L1 penalty (SAELens {@code standard}). */
    RELU,
    /** Per-token top-k. */
    TOPK,
    /** Top k·B over a batch, saved as JumpReLU with one learnt threshold. */
    BATCHTOPK,
    /** JumpReLU: learnt thresholds (straight-through), a tanh-L0 penalty. */
    JUMPRELU;

    /** {@code relu}, {@code topk}, {@code batchtopk} or {@code jumprelu} (also {@code standard}). */
    public static Arch parse(String s) {
      String n = s.toLowerCase(Locale.ROOT).strip();
      return switch (n) {
        case "relu", "standard" -> RELU;
        case "topk" -> TOPK;
        case "batchtopk" -> BATCHTOPK;
        case "jumprelu" -> JUMPRELU;
        default -> throw new WorkbenchException("--arch " + s
            + ": not an SAE architecture (topk, batchtopk, jumprelu, relu)");
      };
    }

    /** The name on the command line. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Whether k applies. */
    public boolean usesK() {
      return this == TOPK || this == BATCHTOPK;
    }
  }

  /** Checks the values, one flag per message. */
  public SaeOptions {
    if (arch.usesK() && k < 1) {
      throw new WorkbenchException("--k must be at least 1, got " + k);
    }
    if (!(expansion > 0)) {
      throw new WorkbenchException("--expansion must be positive, got " + expansion);
    }
    if (batchTokens < 1) {
      throw new WorkbenchException("--batch-tokens must be at least 1, got " + batchTokens);
    }
    if (tokens < batchTokens) {
      throw new WorkbenchException("--tokens " + tokens + " is less than one batch ("
          + batchTokens + ")");
    }
    if (!(lr > 0)) {
      throw new WorkbenchException("--lr must be positive, got " + lr);
    }
    if (l1 < 0) {
      throw new WorkbenchException("--l1 must not be negative, got " + l1);
    }
    if (bufferTokens < 2 * batchTokens) {
      throw new WorkbenchException("--buffer-tokens " + bufferTokens
          + " must hold at least two batches (" + 2 * batchTokens + ")");
    }
    if (deadWindowTokens < 1 || auxCoefficient < 0 || checkpointEvery < 0 || batchClips < 1) {
      throw new WorkbenchException("dead window, aux coefficient, checkpoint interval or batch"
          + " out of range");
    }
  }

  /** Top-k with the defaults: expansion 8, 1 M tokens of 1024 per step, lr 3e-4, seed 0. */
  public static SaeOptions topK(int k) {
    return new SaeOptions(Arch.TOPK, k, 8, 1_000_000, 1024, 3e-4, Double.NaN, 0, 32_768,
        100_000, 1 / 32.0, 0, io.anw.model.Batcher.DEFAULT_BATCH);
  }

  /** BatchTopK with the defaults of {@link #topK}. */
  public static SaeOptions batchTopK(int k) {
    return topK(k).arch(Arch.BATCHTOPK);
  }

  /** ReLU + L1 with the defaults of {@link #topK} (L1 coefficient 1). */
  public static SaeOptions relu() {
    return topK(32).arch(Arch.RELU);
  }

  /** JumpReLU with the defaults of {@link #topK} (L0 coefficient 1). */
  public static SaeOptions jumpRelu() {
    return topK(32).arch(Arch.JUMPRELU);
  }

  /** The sparsity coefficient in use (the architecture's default when not set). */
  public double sparsityCoefficient() {
    if (!Double.isNaN(l1)) {
      return l1;
    }
    return 1.0;
  }

  /** Optimiser steps: {@code tokens / batchTokens}. */
  public int steps() {
    return (int) Math.min(Integer.MAX_VALUE, tokens / batchTokens);
  }

  /** Learning rate at a step (0-based): constant, then linear decay over the last 20 %. */
  public double lrAt(int step) {
    int decay = Math.max(1, steps() / 5);
    int left = steps() - step;
    return left >= decay ? lr : lr * left / decay;
  }

  /** Sparsity coefficient at a step: ramped linearly over the first 5 % of steps. */
  public double sparsityAt(int step) {
    int warm = Math.max(1, steps() / 20);
    return sparsityCoefficient() * Math.min(1.0, (step + 1) / (double) warm);
  }

  /** Another architecture. */
  public SaeOptions arch(Arch a) {
    return new SaeOptions(a, k, expansion, tokens, batchTokens, lr, l1, seed, bufferTokens,
        deadWindowTokens, auxCoefficient, checkpointEvery, batchClips);
  }

  /** Another k. */
  public SaeOptions k(int kk) {
    return new SaeOptions(arch, kk, expansion, tokens, batchTokens, lr, l1, seed, bufferTokens,
        deadWindowTokens, auxCoefficient, checkpointEvery, batchClips);
  }

  /** Another expansion factor. */
  public SaeOptions expansion(double e) {
    return new SaeOptions(arch, k, e, tokens, batchTokens, lr, l1, seed, bufferTokens,
        deadWindowTokens, auxCoefficient, checkpointEvery, batchClips);
  }

  /** Another training length in tokens. */
  public SaeOptions tokens(long n) {
    return new SaeOptions(arch, k, expansion, n, batchTokens, lr, l1, seed, bufferTokens,
        deadWindowTokens, auxCoefficient, checkpointEvery, batchClips);
  }

  /** Another batch size in tokens (the buffer grows to 32 batches when smaller). */
  public SaeOptions batchTokens(int b) {
    return new SaeOptions(arch, k, expansion, tokens, b, lr, l1, seed,
        Math.max(bufferTokens, 2 * b), deadWindowTokens, auxCoefficient, checkpointEvery,
        batchClips);
  }

  /** Another learning rate. */
  public SaeOptions lr(double r) {
    return new SaeOptions(arch, k, expansion, tokens, batchTokens, r, l1, seed, bufferTokens,
        deadWindowTokens, auxCoefficient, checkpointEvery, batchClips);
  }

  /** Another sparsity coefficient. */
  public SaeOptions l1(double c) {
    return new SaeOptions(arch, k, expansion, tokens, batchTokens, lr, c, seed, bufferTokens,
        deadWindowTokens, auxCoefficient, checkpointEvery, batchClips);
  }

  /** Another seed. */
  public SaeOptions seed(long s) {
    return new SaeOptions(arch, k, expansion, tokens, batchTokens, lr, l1, s, bufferTokens,
        deadWindowTokens, auxCoefficient, checkpointEvery, batchClips);
  }

  /** Another buffer size in tokens. */
  public SaeOptions bufferTokens(int n) {
    return new SaeOptions(arch, k, expansion, tokens, batchTokens, lr, l1, seed, n,
        deadWindowTokens, auxCoefficient, checkpointEvery, batchClips);
  }

  /** Another dead-feature window in tokens. */
  public SaeOptions deadWindowTokens(long n) {
    return new SaeOptions(arch, k, expansion, tokens, batchTokens, lr, l1, seed, bufferTokens,
        n, auxCoefficient, checkpointEvery, batchClips);
  }

  /** Another auxiliary-loss weight. */
  public SaeOptions auxCoefficient(double c) {
    return new SaeOptions(arch, k, expansion, tokens, batchTokens, lr, l1, seed, bufferTokens,
        deadWindowTokens, c, checkpointEvery, batchClips);
  }

  /** Checkpoints every {@code steps} steps (0: none). */
  public SaeOptions checkpointEvery(int steps) {
    return new SaeOptions(arch, k, expansion, tokens, batchTokens, lr, l1, seed, bufferTokens,
        deadWindowTokens, auxCoefficient, steps, batchClips);
  }

  /** Clips per forward pass. */
  public SaeOptions batchClips(int n) {
    return new SaeOptions(arch, k, expansion, tokens, batchTokens, lr, l1, seed, bufferTokens,
        deadWindowTokens, auxCoefficient, checkpointEvery, n);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%s%s x%s, %,d tokens in batches of %d, lr %.2g, %s"
        + "seed %d, buffer %,d tokens", arch.label(), arch.usesK() ? " k=" + k : "",
        expansion == Math.rint(expansion) ? Long.toString((long) expansion)
            : io.anw.report.NumberText.fixed(expansion, 2), tokens, batchTokens, lr,
        arch == Arch.RELU || arch == Arch.JUMPRELU ? String.format(Locale.ROOT,
            "sparsity %.3g, ", sparsityCoefficient()) : "", seed, bufferTokens);
  }
}
