package io.anw.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every golden file reads to exactly the keys, dtypes, shapes, bytes and metadata Python wrote. */
class GoldenFilesTest {
  static Stream<String> goldenFiles() {
    return Fixtures.expected().keySet().stream();
  }

  @ParameterizedTest
  @MethodSource("goldenFiles")
  void readsLikePython(String name) {
    JsonObject want = Fixtures.expected().getAsJsonObject(name);
    TensorTree tree = TensorFiles.read(Fixtures.file(name));

    JsonObject tensors = want.getAsJsonObject("tensors");
    assertEquals(new ArrayList<>(tensors.keySet()), new ArrayList<>(tree.tensors().keySet()), "tensor keys");
    for (Map.Entry<String, JsonElement> e : tensors.entrySet()) {
      JsonObject w = e.getValue().getAsJsonObject();
      Tensor t = tree.tensor(e.getKey());
      assertEquals(w.get("dtype").getAsString(), t.dtype().name(), e.getKey() + " dtype");
      long[] shape = new long[w.getAsJsonArray("shape").size()];
      for (int i = 0; i < shape.length; i++) {
        shape[i] = w.getAsJsonArray("shape").get(i).getAsLong();
      }
      assertArrayEquals(shape, t.shape(), e.getKey() + " shape");
      assertEquals(w.get("hex").getAsString(), Fixtures.hex(t), e.getKey() + " values");
    }

    JsonObject meta = want.getAsJsonObject("metadata");
    List<String> wantMeta = new ArrayList<>();
    meta.entrySet().forEach(e -> wantMeta.add(e.getKey() + "=" + e.getValue().getAsString()));
    List<String> gotMeta = new ArrayList<>();
    tree.metadataText().forEach((k, v) -> gotMeta.add(k + "=" + v));
    assertEquals(wantMeta, gotMeta, "metadata");
  }
}
