package io.anw.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.ByteOrder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Views, typed conversions and DJL hand-over of tensors read from the golden files. */
class TensorTest {
  static TensorTree zip;
  static TensorTree safetensors;

  @BeforeAll
  static void read() {
    zip = TensorFiles.read(Fixtures.file("torch_zip.pt"));
    safetensors = TensorFiles.read(Fixtures.file("all.safetensors"));
  }

  @Test
  void transposedViewMaterialisesRowMajor() {
    Tensor t = zip.tensor("views.transposed");
    assertArrayEquals(new long[] {4, 3}, t.shape());
    assertArrayEquals(new long[] {1, 4}, t.strides());
    assertFalse(t.isContiguous());
    assertArrayEquals(new float[] {0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}, t.toFloatArray());
  }

  @Test
  void sliceKeepsStorageOffset() {
    Tensor t = zip.tensor("views.sliced"); // base[1:, 2] of a 3x4 arange
    assertEquals(6, t.storageOffset());
    assertArrayEquals(new long[] {6, 10}, t.toLongArray());
  }

  @Test
  void tensorsSharingAStorageShareIt() {
    Tensor a = zip.tensor("views.shared_a");
    Tensor b = zip.tensor("views.shared_b"); // shared[1, 1:4]
    assertSame(a.storage(), b.storage());
    assertArrayEquals(new int[] {6, 7, 8}, b.toIntArray());
  }

  @Test
  void halfAndBfloatConvertExactly() {
    float[] want = {0f, -0f, 1.5f, -2.25f, Float.POSITIVE_INFINITY, Float.NaN};
    assertArrayEquals(want, safetensors.tensor("f16").toFloatArray());
    assertArrayEquals(want, safetensors.tensor("bf16").toFloatArray());
    assertArrayEquals(new double[] {0, -0.0, 1.5, -2.25, Double.POSITIVE_INFINITY, Double.NaN},
        safetensors.tensor("f64").toDoubleArray());
  }

  @Test
  void integerAndBooleanConversions() {
    assertArrayEquals(new long[] {Long.MIN_VALUE, Long.MAX_VALUE}, safetensors.tensor("i64").toLongArray());
    assertArrayEquals(new int[] {0, 200, 255}, safetensors.tensor("u8").toIntArray());
    assertArrayEquals(new boolean[] {true, false, true}, safetensors.tensor("bool").toBooleanArray());
    assertArrayEquals(new float[] {-32768, 1, 32767}, safetensors.tensor("i16").toFloatArray());
    assertEquals(0, safetensors.tensor("empty").toFloatArray().length);
    assertArrayEquals(new float[] {2f}, safetensors.tensor("scalar").toFloatArray());
  }

  @Test
  void bigEndianAndFortranNpy() {
    Tensor be = TensorFiles.read(Fixtures.file("i64_be_fortran.npy")).tensor("i64_be_fortran");
    assertEquals(ByteOrder.BIG_ENDIAN, be.byteOrder());
    assertArrayEquals(new long[] {0, -7, -14, -21, -28, -35}, be.toLongArray());
    Tensor f16 = TensorFiles.read(Fixtures.file("f16_be.npy")).tensor("f16_be");
    assertArrayEquals(new float[] {0.5f, -1f, 65504f}, f16.toFloatArray());
    TensorTree u = TensorFiles.read(Fixtures.file("unicode.npy"));
    TextArray words = (TextArray) u.meta("unicode");
    assertEquals(java.util.List.of("alpha", "\u03b2", "", "d\u00e9j\u00e0"), words.values());
  }

  @Test
  void becomesNDArrayForEveryDType() {
    try (NDManager m = NDManager.newBaseManager()) {
      for (String key : new String[] {"f16", "bf16", "f32", "f64", "i8", "u8", "i16", "i32", "i64", "bool"}) {
        Tensor t = safetensors.tensor(key);
        NDArray nd = t.toNDArray(m);
        assertEquals(t.dtype().engineType(), nd.getDataType(), key);
        assertArrayEquals(t.shape(), nd.getShape().getShape(), key);
        assertArrayEquals(t.toDoubleArray(), nd.toType(DataType.FLOAT64, false).toDoubleArray(), key);
      }
      NDArray u16 = TensorFiles.read(Fixtures.file("u16.npy")).tensor("u16").toNDArray(m);
      assertArrayEquals(new int[] {0, 1, 65535}, u16.toIntArray());
      NDArray transposed = zip.tensor("views.transposed").toNDArray(m);
      assertArrayEquals(zip.tensor("views.transposed").toFloatArray(), transposed.toFloatArray());
      Tensor back = Tensor.of(transposed);
      assertEquals(Fixtures.hex(zip.tensor("views.transposed")), Fixtures.hex(back));
    }
  }

  @Test
  void storagesStayMappedUntilCopied() {
    // NumPy arrays pickled inside a torch file are the exception: their bytes are in the pickle
    for (String name : new String[] {"m2d_like.pth", "torch_legacy.pt", "all.safetensors", "f32.npy", "arrays.npz"}) {
      for (java.util.Map.Entry<String, Tensor> e : TensorFiles.read(Fixtures.file(name)).tensors().entrySet()) {
        Tensor t = e.getValue();
        if (t.numel() > 0 && t.isContiguous() && t.byteOrder() == ByteOrder.LITTLE_ENDIAN
            && !e.getKey().startsWith("np.")) {
          assertTrue(t.contiguousBytes().isDirect(), name + ": contiguous values are read in place");
        }
      }
    }
  }

  @Test
  void viewsOutsideTheirStorageAreRejected() {
    Storage s = Storage.of(new byte[16]);
    assertThrows(IllegalArgumentException.class,
        () -> new Tensor(DType.F32, new long[] {2, 2}, new long[] {2, 1}, 1, s, ByteOrder.LITTLE_ENDIAN));
    assertThrows(IllegalArgumentException.class,
        () -> new Tensor(DType.F32, new long[] {Long.MAX_VALUE, 2}, new long[] {2, 1}, 0, s, ByteOrder.LITTLE_ENDIAN));
    assertTrue(new Tensor(DType.F32, new long[] {0, 9}, new long[] {9, 1}, 0, s, ByteOrder.LITTLE_ENDIAN)
        .isContiguous());
    Tensor emptyFarOff = new Tensor(DType.F32, new long[] {0}, new long[] {1}, 93, Storage.of(new byte[0]),
        ByteOrder.LITTLE_ENDIAN);
    assertEquals(0, emptyFarOff.toFloatArray().length);
  }

  @Test
  void summaryIsCompact() {
    String s = zip.toString();
    assertTrue(s.startsWith("torch_zip.pt (pytorch-zip): 25 tensors"), s);
    assertTrue(s.contains("dtypes.f16  F16[2, 3]"), s);
    assertTrue(s.contains("... 17 more"), s);
    assertTrue(s.contains("args.lr=0.0003"), s);
    assertTrue(s.lines().count() <= 12, s);
  }

  @Test
  void repeatedKeysGetSuffixesInLinearTime() {
    TensorTree.Builder b = TensorTree.builder("test", "memory");
    assertTimeoutPreemptively(java.time.Duration.ofSeconds(5), () -> {
      for (int i = 0; i < 200_000; i++) {
        b.meta("a.b", (long) i);
      }
    });
    TensorTree t = b.tensor("a.b", Tensor.of(DType.U8, new long[] {1}, new byte[] {7})).build();
    assertEquals(0L, t.meta("a.b"));
    assertEquals(199_999L, t.meta("a.b#200000"));
    assertArrayEquals(new int[] {7}, t.tensor("a.b#200001").toIntArray());
  }

  @Test
  void subtreeStripsPrefix() {
    TensorTree m2d = TensorFiles.read(Fixtures.file("m2d_like.pth"));
    TensorTree model = m2d.subtree("model");
    assertTrue(model.tensors().containsKey("blocks.0.mlp.fc1.weight"), model.toString());
    assertEquals(299L, m2d.meta("epoch"));
    assertEquals("m2d_vit_base", m2d.meta("args.model"));
  }
}
