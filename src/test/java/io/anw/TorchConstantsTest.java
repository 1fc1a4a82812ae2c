package io.anw;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * PyTorch-owned constants survive a garbage collection between the forward and the backward
 * pass. (DJL's own {@code x.mul(2.5f)} does not: its scalar lives in a direct buffer that is
 * released at once, and the gradient then reads freed memory — NaN or garbage in about half of
 * such trials here.)
 */
class TorchConstantsTest {
  /** Frees unreachable direct buffers and fills the freed memory with NaNs. */
  private static void collectAndScribble() {
    System.gc();
    for (int i = 0; i < 2000; i++) {
      ByteBuffer b = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
      for (int j = 0; j < 4; j++) {
        b.putFloat(4 * j, Float.NaN);
      }
    }
  }

  @Test
  void gradientsThroughConstantsStayExactAcrossGarbageCollections() {
    GradMode.disableOnCurrentThread();
    try (NDManager m = NDManager.newBaseManager()) {
      for (int trial = 0; trial < 10; trial++) {
        try (NDManager scope = m.newSubManager()) {
          NDArray x = scope.create(new float[] {1, 2, 3, 4});
          x.setRequiresGradient(true);
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray y = x.mul(TorchConstants.scalar(scope, 2.5f))
                .mul(TorchConstants.array(scope, new float[] {1, 0, -1, 2}))
                .div(TorchConstants.scalar(scope, 0.5f)).sum();
            collectAndScribble();
            gc.backward(y);
          }
          assertArrayEquals(new float[] {5, 0, -5, 10}, x.getGradient().toFloatArray(),
              "trial " + trial);
        }
      }
    }
  }
}
