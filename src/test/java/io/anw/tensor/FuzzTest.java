package io.anw.tensor;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import io.anw.WorkbenchException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded random mutations of golden files (byte flips, truncation, random size fields,
 * insertions): reading and touching the result may only fail with the workbench's own
 * exception, within bounded time and memory.
 */
class FuzzTest {
  private static final int MUTATIONS = 150;

  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"all.safetensors", "torch_zip.pt", "torch_legacy.pt", "plain.pkl", "arrays.npz",
      "lape_like.neuron.pth"})
  void mutatedFilesFailCleanly(String name) throws Exception {
    byte[] golden = Files.readAllBytes(Fixtures.file(name));
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      for (int i = 0; i < MUTATIONS; i++) {
        long seed = name.hashCode() * 1000L + i;
        byte[] bytes = mutate(golden, new Random(seed));
        Path f = tmp.resolve(i + "-" + name); // a fresh file: never rewrite a file that may still be mapped
        Files.write(f, bytes);
        try {
          touch(TensorFiles.read(f));
        } catch (WorkbenchException expected) {
          // the one allowed failure
        } catch (Throwable t) {
          fail(name + " mutation seed " + seed + " escaped with " + t, t);
        }
      }
    });
  }

  private static void touch(TensorTree tree) {
    tree.toString();
    tree.metadataText();
    for (Tensor t : tree.tensors().values()) {
      if (t.byteSize() < (1 << 20)) {
        t.toDoubleArray();
      }
    }
  }

  static byte[] mutate(byte[] golden, Random r) {
    byte[] b = golden.clone();
    switch (r.nextInt(5)) {
      case 0 -> { // flip a few bytes
        for (int k = 1 + r.nextInt(8); k > 0; k--) {
          b[r.nextInt(b.length)] ^= (byte) (1 + r.nextInt(255));
        }
      }
      case 1 -> b = Arrays.copyOf(b, r.nextInt(b.length)); // truncate
      case 2 -> { // a random 64-bit or 32-bit size field
        int at = r.nextInt(Math.max(1, b.length - 8));
        long v = r.nextBoolean() ? r.nextLong() : (r.nextInt(3) == 0 ? 0xffffffffL : r.nextInt(1 << 20));
        ByteBuffer.wrap(b, at, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(v);
      }
      case 3 -> { // insert or delete a run of bytes
        int at = r.nextInt(b.length);
        int n = 1 + r.nextInt(16);
        byte[] out;
        if (r.nextBoolean()) {
          out = new byte[b.length + n];
          System.arraycopy(b, 0, out, 0, at);
          for (int k = 0; k < n; k++) {
            out[at + k] = (byte) r.nextInt(256);
          }
          System.arraycopy(b, at, out, at + n, b.length - at);
        } else {
          n = Math.min(n, b.length - at);
          out = new byte[b.length - n];
          System.arraycopy(b, 0, out, 0, at);
          System.arraycopy(b, at + n, out, at, b.length - at - n);
        }
        b = out;
      }
      default -> { // set bytes to pickle opcodes and JSON punctuation
        byte[] interesting = {'(', ')', ']', '}', 'a', 'e', 's', 'u', 'R', 'b', 'h', 'q', '.', (byte) 0x80,
            (byte) 0x8c, (byte) 0x93, (byte) 0x94, (byte) 0x95, '[', '{', '"', ':', ',', '0', '9'};
        for (int k = 1 + r.nextInt(4); k > 0; k--) {
          b[r.nextInt(b.length)] = interesting[r.nextInt(interesting.length)];
        }
      }
    }
    return b;
  }
}
