package io.anw;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * Arrays made from Java data live in PyTorch memory: views and autograd's saved tensors survive
 * the closing of the array they came from and garbage collections that free direct buffers.
 * (DJL's own {@code manager.create(float[])} wraps a direct buffer that dies with its Java
 * object; {@code x.mul(2.5f)} frees its scalar at once — NaN or garbage gradients in about half
 * of such trials here.)
 */
class TorchArraysTest {
  /** Frees unreachable direct buffers and fills freshly allocated native memory with NaNs. */
  static void collectAndScribble() {
    System.gc();
    for (int i = 0; i < 2000; i++) {
      ByteBuffer b = ByteBuffer.allocateDirect(4096).order(ByteOrder.nativeOrder());
      for (int j = 0; j < 1024; j += 64) {
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
          NDArray x = TorchArrays.of(scope, new float[] {1, 2, 3, 4});
          x.setRequiresGradient(true);
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray y = x.mul(TorchArrays.scalar(scope, 2.5f))
                .mul(TorchArrays.of(scope, new float[] {1, 0, -1, 2}))
                .div(TorchArrays.scalar(scope, 0.5f)).sum();
            collectAndScribble();
            gc.backward(y);
          }
          assertArrayEquals(new float[] {5, 0, -5, 10}, x.getGradient().toFloatArray(),
              "trial " + trial);
        }
      }
    }
  }

  @Test
  void viewsOutliveTheArrayTheyWereCutFrom() {
    try (NDManager m = NDManager.newBaseManager()) {
      float[] values = new float[1 << 16];
      for (int i = 0; i < values.length; i++) {
        values[i] = i % 251;
      }
      NDArray view;
      NDArray wide;
      NDArray bytes;
      try (NDManager scope = m.newSubManager()) {
        NDArray a = TorchArrays.of(scope, values, new Shape(256, 256));
        view = a.get("1:3, :").reshape(512);
        view.attach(m);
        NDArray w = TorchArrays.of(scope, new long[] {7, 8, 9}).toType(DataType.INT64, false);
        wide = w.reshape(3, 1);
        wide.attach(m);
        ByteBuffer le = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
            .putFloat(1.5f).putFloat(-2f).flip();
        bytes = TorchArrays.of(scope, le, new Shape(2), DataType.FLOAT32).toType(
            DataType.FLOAT32, false);
        bytes.attach(m);
      }
      for (int round = 0; round < 3; round++) {
        collectAndScribble();
      }
      float[] got = view.toFloatArray();
      for (int i = 0; i < got.length; i++) {
        assertEquals((256 + i) % 251, got[i], 0f, "element " + i);
      }
      assertArrayEquals(new long[] {7, 8, 9}, wide.toLongArray());
      assertArrayEquals(new float[] {1.5f, -2f}, bytes.toFloatArray());
    }
  }

  @Test
  void matricesAreRowMajor() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray a = TorchArrays.of(m, new float[][] {{1, 2, 3}, {4, 5, 6}});
      assertEquals(new Shape(2, 3), a.getShape());
      assertArrayEquals(new float[] {4, 5, 6}, a.get(1).toFloatArray());
    }
  }
}
