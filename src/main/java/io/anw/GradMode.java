package io.anw;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Per-thread settings of the PyTorch engine. Autograd recording is per thread: DJL turns it off on the thread that
 * starts the engine, but new threads (each REPL snippet runs on one) start with it on, so every
 * operation would build an autograd graph and in-place updates of trainable arrays would fail.
 * Call {@link #disableOnCurrentThread()} at the entry of tensor work; a
 * {@link ai.djl.training.GradientCollector} turns recording on for its own scope.
 */
public final class GradMode {
  private GradMode() {}

  /** Turns autograd recording off for the calling thread. */
  public static void disableOnCurrentThread() {
    ai.djl.engine.Engine.getInstance(); // make sure the native library is loaded
    JniUtils.setGradMode(false);
  }

  /**
   * Sets the number of threads PyTorch's kernels use on the calling thread (OpenMP and MKL
   * settings are per thread). One thread makes float results identical from run to run even on
   * a loaded machine, where several threads may split reductions differently.
   */
  public static void setThreads(int threads) {
    if (threads < 1) {
      throw new WorkbenchException("--threads must be at least 1, got " + threads);
    }
    ai.djl.engine.Engine.getInstance();
    JniUtils.setNumThreads(threads);
  }
}
