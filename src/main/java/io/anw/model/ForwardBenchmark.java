package io.anw.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;

/**
 * Measures, in one run, the machine's fp32 matmul rate, the forward rate of a ViT-B shaped M2D
 * (random weights, 12 blocks, width 768, MLP 3072, a 608-frame unit = 191 tokens), and the
 * overhead of caching every {@code mlp.hook_post} or hooking it, against a bare forward.
 * A benchmark to run by hand ({@code scripts/bench-forward.jsh} or {@link #main}), not a test.
 */
public final class ForwardBenchmark {
  private ForwardBenchmark() {}

  /**
   * The figures of one benchmark run. Each time is the best of the rounds, measured both as
   * wall-clock time and as the process's CPU time; on a busy machine the CPU-time rates, per
   * core, are the steadier comparison.
   *
   * @param matmulGflops square fp32 matmul rate, GFLOP/s of wall time
   * @param forwardGflops the bare forward's rate (matmul FLOPs of the model), GFLOP/s
   * @param matmulCpuGflops matmul rate per CPU-second (per core)
   * @param forwardCpuGflops forward rate per CPU-second (per core)
   * @param bareMs bare forward, milliseconds per batch
   * @param cachedMs forward caching all {@code blocks.*.mlp.hook_post}, ms per batch
   * @param hookedMs forward zeroing 3 neurons in every layer, ms per batch
   * @param bareCpuMs bare forward, CPU milliseconds per batch
   * @param cachedCpuMs caching forward, CPU milliseconds per batch
   * @param hookedCpuMs hooked forward, CPU milliseconds per batch
   * @param batch clips per batch
   * @param tokens tokens per clip (CLS + patches)
   */
  public record Result(double matmulGflops, double forwardGflops, double matmulCpuGflops,
      double forwardCpuGflops, double bareMs, double cachedMs, double hookedMs, double bareCpuMs,
      double cachedCpuMs, double hookedCpuMs, int batch, int tokens) {

    /** Forward rate as a share of the matmul rate, wall time (target ≥ 0.7). */
    public double forwardShare() {
      return forwardGflops / matmulGflops;
    }

    /** Forward rate as a share of the matmul rate, CPU time. */
    public double forwardCpuShare() {
      return forwardCpuGflops / matmulCpuGflops;
    }

    /** Extra wall time of caching all {@code mlp.hook_post} (target ≤ 0.10). */
    public double cacheOverhead() {
      return cachedMs / bareMs - 1;
    }

    /** Extra wall time of a zero-ablation hook on every layer (target ≤ 0.10). */
    public double hookOverhead() {
      return hookedMs / bareMs - 1;
    }

    /** The figures as a few printable lines. */
    public String report() {
      return String.format(Locale.ROOT,
          "                          wall              CPU time (per core)%n"
              + "fp32 matmul 1024:    %8.1f GFLOP/s    %8.1f GFLOP/s%n"
              + "ViT-B forward:       %8.1f GFLOP/s    %8.1f GFLOP/s   (batch %d x %d tokens)%n"
              + "  share of matmul:   %8.0f %%          %8.0f %%%n"
              + "bare forward:        %8.0f ms         %8.0f ms%n"
              + "cache mlp.hook_post: %+8.1f %%          %+8.1f %%%n"
              + "hook mlp.hook_post:  %+8.1f %%          %+8.1f %%%n",
          matmulGflops, matmulCpuGflops, forwardGflops, forwardCpuGflops, batch, tokens,
          100 * forwardShare(), 100 * forwardCpuShare(), bareMs, bareCpuMs,
          100 * cacheOverhead(), 100 * (cachedCpuMs / bareCpuMs - 1),
          100 * hookOverhead(), 100 * (hookedCpuMs / bareCpuMs - 1));
    }
  }

  /** Matmul FLOPs of one forward pass of one clip of {@code tokens} tokens (CLS included). */
  public static double forwardFlops(VitDims d, int tokens) {
    double n = tokens;
    double w = d.width();
    double patches = tokens - 1;
    double embed = 2 * patches * w * d.patchFreq() * d.patchTime();
    double block = 2 * n * w * 3 * w + 4 * n * n * w + 2 * n * w * w + 4 * n * w * d.mlpDim();
    return embed + d.depth() * block;
  }

  /**
   * Runs the benchmark.
   *
   * @param batch clips per forward
   * @param iterations timed rounds after one warm-up round; each round runs every measurement
   *     once, interleaved so that a busy machine slows them alike; the best round counts
   */
  public static Result run(int batch, int iterations) {
    try (NDManager m = NDManager.newBaseManager()) {
      int n = 1024;
      NDArray a = m.randomNormal(0, 1, new Shape(n, n), DataType.FLOAT32);
      NDArray b = m.randomNormal(0, 1, new Shape(n, n), DataType.FLOAT32);
      ModelConfig cfg = ModelConfig.defaults().withName("vit-b-random").withUnitFrames(608);
      try (M2dViT model = M2dViT.random(cfg, 12, 768, 3072, 0, m)) {
        NDArray clip = m.randomNormal(0, 1, new Shape(batch, 80, 608), DataType.FLOAT32);
        int tokens = 1 + model.dims().freqPatches() * model.dims().unitPatches();
        Hooks zero = Hooks.of("blocks.*.mlp.hook_post", Hook.zeroUnits(1, 2, 3));
        Runnable[] cases = {
            () -> a.matMul(b).close(),
            () -> model.run(clip).close(),
            () -> model.runWithCache(clip, "blocks.*.mlp.hook_post").close(),
            () -> model.runWithHooks(clip, zero).close()};
        double[] wall = new double[cases.length];
        double[] cpu = new double[cases.length];
        Arrays.fill(wall, Double.MAX_VALUE);
        Arrays.fill(cpu, Double.MAX_VALUE);
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory
            .getOperatingSystemMXBean();
        for (int i = 0; i <= iterations; i++) {
          for (int c = 0; c < cases.length; c++) {
            long c0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            cases[c].run();
            double ms = (System.nanoTime() - t0) / 1e6;
            double cpuMs = (os.getProcessCpuTime() - c0) / 1e6;
            if (i > 0) {
              wall[c] = Math.min(wall[c], ms);
              cpu[c] = Math.min(cpu[c], cpuMs);
            }
          }
        }
        double matmulFlops = 2.0 * n * n * n;
        double forward = forwardFlops(model.dims(), tokens) * batch;
        return new Result(matmulFlops / wall[0] / 1e6, forward / wall[1] / 1e6,
            matmulFlops / cpu[0] / 1e6, forward / cpu[1] / 1e6, wall[1], wall[2], wall[3],
            cpu[1], cpu[2], cpu[3], batch, tokens);
      }
    }
  }

  /** Prints the figures; arguments: {@code [batch [iterations]]}, default 2 and 5. */
  public static void main(String[] args) {
    int batch = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    System.out.print(run(batch, iterations).report());
  }
}
