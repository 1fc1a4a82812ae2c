package io.anw.neuron;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.anw.activation.ActivationCounts;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Selection against an independent numpy implementation (src/test/python/make_selection_fixtures.py). */
class EntropySelectorGoldenTest {
  @TestFactory
  Stream<DynamicTest> matchesNumpyReference() throws IOException {
    JsonArray cases;
    try (Reader r = new InputStreamReader(
        getClass().getResourceAsStream("/neuron/selection_cases.json"), StandardCharsets.UTF_8)) {
      cases = JsonParser.parseReader(r).getAsJsonArray();
    }
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonElement e : cases) {
      JsonObject c = e.getAsJsonObject();
      List<String> classes = new ArrayList<>();
      c.getAsJsonArray("classes").forEach(x -> classes.add(x.getAsString()));
      ActivationCounts counts = new ActivationCounts(c.get("layers").getAsInt(),
          c.get("neurons").getAsInt(), classes, longs(c.getAsJsonArray("over_zero")),
          longs(c.getAsJsonArray("n")), "blocks.*.mlp.hook_post", Map.of());
      for (JsonElement re : c.getAsJsonArray("results")) {
        JsonObject res = re.getAsJsonObject();
        SelectionParams params = new SelectionParams(
            SelectionMethod.parse(res.get("method").getAsString()),
            res.get("filter_rate").getAsDouble(), res.get("top_rate").getAsDouble(),
            res.get("activation_bar").getAsDouble());
        tests.add(DynamicTest.dynamicTest(c.get("name").getAsString() + " " + params,
            () -> check(EntropySelector.select(counts, params), res)));
      }
    }
    return tests.stream();
  }

  private static void check(NeuronSelection s, JsonObject expected) {
    assertEquals(expected.get("v_filter").getAsDouble(), s.vFilter(), 0.0, "v_filter");
    assertEquals(expected.get("v_bar").getAsDouble(), s.vBar(), 0.0, "v_bar");
    double[] h = s.entropies();
    JsonArray eh = expected.getAsJsonArray("entropy");
    for (int i = 0; i < h.length; i++) {
      assertEquals(eh.get(i).getAsDouble(), h[i], 1e-12, "entropy " + i);
    }
    List<String> kept = new ArrayList<>();
    expected.getAsJsonArray("kept").forEach(k -> kept.add(
        new Neuron(k.getAsJsonArray().get(0).getAsInt(), k.getAsJsonArray().get(1).getAsInt())
            .toString()));
    assertEquals(kept, s.kept().stream().map(Neuron::toString).toList(), "kept neurons");
    List<String> assigned = new ArrayList<>();
    expected.getAsJsonArray("assignments").forEach(a -> {
      JsonArray x = a.getAsJsonArray();
      assigned.add(new Neuron(x.get(0).getAsInt(), x.get(1).getAsInt()) + "->" + x.get(2).getAsInt());
    });
    assertEquals(assigned, s.assignments().stream()
        .map(a -> a.neuron() + "->" + a.classIndex()).toList(), "assignments");
  }

  private static long[] longs(JsonArray a) {
    long[] out = new long[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).getAsLong();
    }
    return out;
  }
}
