package io.anw.activation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.anw.PythonTorch;
import io.anw.WorkbenchException;
import io.anw.tensor.DType;
import io.anw.tensor.TensorFiles;
import io.anw.tensor.TensorTree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Counts in the Python tools' formats: golden files of src/test/python/make_interop_fixtures.py
 * (LAPE's activation files, stacked and per-class over_zero.pt), and what we write read by torch.
 */
class CountsInteropTest {
  @TempDir Path tmp;

  static Path dir() throws Exception {
    return Path.of(CountsInteropTest.class.getResource("/interop/expected.json").toURI()).getParent();
  }

  static JsonObject expected() throws Exception {
    return JsonParser.parseString(Files.readString(dir().resolve("expected.json"))).getAsJsonObject();
  }

  /** The expected counts: over_zero [l][j][c] and n from expected.json. */
  static ActivationCounts golden() throws Exception {
    JsonObject e = expected();
    JsonArray oz = e.getAsJsonArray("over_zero");
    long[][][] v = new long[oz.size()][][];
    for (int l = 0; l < v.length; l++) {
      JsonArray layer = oz.get(l).getAsJsonArray();
      v[l] = new long[layer.size()][];
      for (int j = 0; j < v[l].length; j++) {
        JsonArray cls = layer.get(j).getAsJsonArray();
        v[l][j] = new long[cls.size()];
        for (int c = 0; c < cls.size(); c++) {
          v[l][j][c] = cls.get(c).getAsLong();
        }
      }
    }
    long[] n = new long[3];
    List<String> classes = new ArrayList<>();
    for (int c = 0; c < 3; c++) {
      n[c] = e.getAsJsonArray("n").get(c).getAsLong();
      classes.add(e.getAsJsonArray("classes").get(c).getAsString());
    }
    return ActivationCounts.of(v, n, classes);
  }

  private static void assertSameCounts(ActivationCounts want, ActivationCounts got) {
    assertEquals(want.classes(), got.classes());
    assertEquals(want.layers(), got.layers());
    assertEquals(want.neurons(), got.neurons());
    assertArrayEquals(want.nPerClass(), got.nPerClass());
    assertArrayEquals(want.overZeroFlat(), got.overZeroFlat());
  }

  @Test
  void readsLapeActivationFiles() throws Exception {
    TensorTree raw = TensorFiles.read(dir().resolve("activation.en.train.tiny"));
    assertEquals(DType.I32, raw.tensor("over_zero").dtype()); // as activation.py saves it
    assertTrue(raw.tensors().containsKey("sum4"));
    ActivationCounts c = CountsFile.fromLape(dir(), "tiny", List.of("en", "zh", "fr"));
    assertSameCounts(golden(), c);
    assertEquals(1000, c.n(0));
    assertEquals(0, c.n(2)); // a class without tokens
    // the map form, in another class order
    ActivationCounts swapped = CountsFile.fromLape(new java.util.LinkedHashMap<>(Map.of(
        "zh", dir().resolve("activation.zh.train.tiny"))));
    assertEquals(golden().overZero(1, 2, 1), swapped.overZero(1, 2, 0));
  }

  @Test
  void readsBothOverZeroPtLayouts() throws Exception {
    ActivationCounts stacked = CountsFile.readAape(dir().resolve("aape_stacked.pt"), null);
    assertSameCounts(golden(), stacked); // class names from the file's 'classes' list
    ActivationCounts perClass = CountsFile.read(dir().resolve("aape_per_class.pt"));
    assertSameCounts(golden(), perClass); // class names from the dict's keys
    ActivationCounts renamed = CountsFile.readAape(dir().resolve("aape_stacked.pt"), List.of("x", "y", "z"));
    assertEquals(List.of("x", "y", "z"), renamed.classes());
    WorkbenchException e = assertThrows(WorkbenchException.class,
        () -> CountsFile.readAape(dir().resolve("aape_stacked.pt"), List.of("x")));
    assertTrue(e.getMessage().contains("1 class names (x) for 3 classes"), e.getMessage());
    WorkbenchException notCounts = assertThrows(WorkbenchException.class,
        () -> CountsFile.read(dir().resolve("tiny.neuron.pth")));
    assertTrue(notCounts.getMessage().contains("no 'over_zero'"), notCounts.getMessage());
  }

  @Test
  void writesLapeFilesThatIdentifyPyReads() throws Exception {
    ActivationCounts want = golden();
    List<Path> files = CountsFile.writeLape(want, tmp, "mymodel");
    assertEquals(List.of("activation.en.train.mymodel", "activation.zh.train.mymodel",
        "activation.fr.train.mymodel"), files.stream().map(p -> p.getFileName().toString()).toList());
    assertSameCounts(want, CountsFile.fromLape(tmp, "mymodel", want.classes()));
    // identify.py's loading code, then the same numbers as the golden LAPE files
    String script = String.join("\n",
        "import sys, torch",
        "d, g = sys.argv[1], sys.argv[2]",
        "def load(folder, model):",
        "  n, over_zero = [], []",
        "  for lang in ['en', 'zh', 'fr']:",
        "    data = torch.load(f'{folder}/activation.{lang}.train.{model}', weights_only=True)",
        "    assert type(data['n']) is int and data['over_zero'].dtype == torch.int64, data",
        "    n.append(data['n'])",
        "    over_zero.append(data['over_zero'])",
        "  return torch.tensor(n), torch.stack(over_zero, dim=-1)",
        "n, oz = load(d, 'mymodel')",
        "gn, goz = [], []",
        "for lang in ['en', 'zh', 'fr']:",
        "  x = torch.load(f'{g}/activation.{lang}.train.tiny')",
        "  gn.append(x['n']); goz.append(x['over_zero'].long())",
        "assert torch.equal(n, torch.tensor(gn)) and torch.equal(oz, torch.stack(goz, dim=-1))",
        "print('OK', list(oz.shape))");
    assertEquals("OK [3, 5, 3]", PythonTorch.run(script, tmp.toString(), dir().toString()));
  }

  @Test
  void writesStackedOverZeroPt() throws Exception {
    ActivationCounts want = golden();
    Path file = CountsFile.writeAape(want, tmp.resolve("over_zero.pt"));
    ActivationCounts back = CountsFile.read(file);
    assertSameCounts(want, back);
    assertEquals(want.hook(), back.hook());
    String script = String.join("\n",
        "import sys, torch",
        "d = torch.load(sys.argv[1], weights_only=True)",
        "assert d['classes'] == ['en', 'zh', 'fr'] and d['n'].tolist() == [1000, 2048, 0], d",
        "assert d['over_zero'].dtype == torch.int64 and list(d['over_zero'].shape) == [3, 5, 3]",
        "print('OK', int(d['over_zero'][1, 2, 1]))");
    assertEquals("OK " + want.overZero(1, 2, 1), PythonTorch.run(script, file.toString()));
  }

  @Test
  void refusesClassNamesThatAreNotFileNames() throws Exception {
    ActivationCounts bad = ActivationCounts.of(new long[][][] {{{1}}}, new long[] {1}, List.of("../x"));
    assertThrows(WorkbenchException.class, () -> CountsFile.writeLape(bad, tmp, "m"));
    assertEquals(0, Files.list(tmp).count());
  }
}
