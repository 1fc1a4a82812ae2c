package io.anw;

import ai.djl.pytorch.jni.JniUtils;

/**
 * PyTorch's autograd recording switch, which is per thread: DJL turns it off on the thread that
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
}
