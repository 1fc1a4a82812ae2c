package io.anw.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The official LAPE code's mask file (torch.save of a list per language of per-layer index tensors). */
class InteropFileTest {
  static final Path LAPE = Path.of("../shared/interop/LLaMA-2-7B.neuron.pth");

  @Test
  void readsOfficialLapeNeuronMasks() {
    Assumptions.assumeTrue(Files.isRegularFile(LAPE), "interop file absent: " + LAPE.toAbsolutePath());
    TensorTree tree = TensorFiles.read(LAPE);
    assertEquals("pytorch-zip", tree.format());
    assertEquals(7 * 32, tree.tensors().size(), tree.toString());
    assertTrue(tree.metadata().isEmpty(), tree.toString());
    Tensor first = tree.tensor("0.0");
    assertEquals(DType.I64, first.dtype());
    assertArrayEquals(new long[] {17}, first.shape());
    assertArrayEquals(new long[] {162, 244, 1284, 2920, 3264}, Arrays.copyOf(first.toLongArray(), 5));
    for (Tensor t : tree.tensors().values()) {
      assertEquals(1, t.rank());
      assertTrue(Arrays.stream(t.toLongArray()).allMatch(i -> i >= 0 && i < 11008), "LLaMA-2-7B has 11008 neurons");
    }
    assertTrue(tree.tensors().containsKey("6.31"));
  }
}
