package io.anw.neuron;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anw.PythonTorch;
import io.anw.WorkbenchException;
import io.anw.activation.ActivationCounts;
import io.anw.tensor.DType;
import io.anw.tensor.Tensor;
import io.anw.tensor.TensorFiles;
import io.anw.tensor.TensorTree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/** LAPE's {@code *.neuron.pth} masks: the authors' real file, round trips, torch.load of ours. */
class LapeMasksTest {
  static final Path REAL = Path.of("../shared/interop/LLaMA-2-7B.neuron.pth");

  @TempDir Path tmp;

  static Path real() {
    Assumptions.assumeTrue(Files.isRegularFile(REAL),
        "skipped: the LAPE authors' mask is absent: " + REAL.toAbsolutePath());
    return REAL;
  }

  /** 3 layers x 2 neurons x 3 classes: L0.N0 -> a, L2.N1 -> b and c, layer 1 has none. */
  static NeuronSelection threeLayers() {
    ActivationCounts counts = ActivationCounts.of(new long[][][] {
        {{10, 0, 0}, {2, 2, 2}},
        {{3, 3, 3}, {4, 4, 4}},
        {{1, 1, 1}, {0, 9, 9}}}, new long[] {10, 10, 10}, List.of("a", "b", "c"));
    return EntropySelector.select(counts, new SelectionParams(SelectionMethod.LAPE, 0.5, 2 / 6.0, 0.8));
  }

  @Test
  void importsTheAuthorsMaskWithTheSameNeurons() {
    TensorTree raw = TensorFiles.read(real());
    ClassNeurons m = LapeMasks.read(real(), LapeMasks.LAPE_LANGUAGES);
    assertEquals(LapeMasks.LAPE_LANGUAGES, m.classes());
    assertEquals(32, m.layers());
    Table perClass = m.perClass();
    long total = 0;
    for (int c = 0; c < 7; c++) {
      String lang = LapeMasks.LAPE_LANGUAGES.get(c);
      for (int l = 0; l < 32; l++) {
        Tensor t = raw.tensor(c + "." + l);
        assertArrayEquals(t.toLongArray(), m.indices(lang, l), lang + " layer " + l);
        assertEquals((int) t.numel(), perClass.intColumn("L" + l).get(c), lang + " layer " + l);
        total += t.numel();
      }
    }
    // published counts per language (en zh fr es vi id ja)
    assertEquals(List.of(95, 583, 1022, 838, 836, 1068, 582), perClass.intColumn("neurons").asList());
    Table table = m.table();
    assertEquals(List.of("layer", "neuron", "class", "aape"), table.columnNames());
    assertEquals(total, table.rowCount());
    assertTrue(table.doubleColumn("aape").isMissing().size() == table.rowCount(), "aape unknown: NaN");
    assertEquals(List.of(6147, 9114, 9292), m.byClass().get("zh").stream()
        .filter(n -> n.layer() == 4).map(Neuron::index).toList()); // the README's example
    assertEquals(1.0, m.coverage());
    assertEquals(21, m.sharing().rowCount());
  }

  @Test
  void readsTheGoldenMaskOfTheFixtureScript() throws Exception {
    Path file = Path.of(getClass().getResource("/interop/tiny.neuron.pth").toURI());
    com.google.gson.JsonArray want = com.google.gson.JsonParser.parseString(
        Files.readString(file.resolveSibling("expected.json"))).getAsJsonObject().getAsJsonArray("mask");
    ClassNeurons m = LapeMasks.read(file, List.of("en", "zh", "fr"));
    assertEquals(3, m.layers());
    for (int c = 0; c < 3; c++) {
      for (int l = 0; l < 3; l++) {
        com.google.gson.JsonArray cell = want.get(c).getAsJsonArray().get(l).getAsJsonArray();
        long[] idx = new long[cell.size()];
        for (int i = 0; i < idx.length; i++) {
          idx[i] = cell.get(i).getAsLong();
        }
        assertArrayEquals(idx, m.indices(m.classes().get(c), l), c + "/" + l);
      }
    }
    assertEquals(List.of(), m.neurons("en").stream().filter(n -> n.layer() == 0).toList());
    assertEquals(m, LapeMasks.read(LapeMasks.write(m, tmp.resolve("t.pth")), List.of("en", "zh", "fr")));
  }

  @Test
  void authorsMaskRoundTripsAndTorchLoadAgrees() {
    ClassNeurons m = LapeMasks.read(real(), LapeMasks.LAPE_LANGUAGES);
    Path ours = LapeMasks.write(m, tmp.resolve("ours.neuron.pth"));
    assertEquals(m, LapeMasks.read(ours, LapeMasks.LAPE_LANGUAGES));
    String script = String.join("\n",
        "import sys, torch",
        "a, b = torch.load(sys.argv[1], weights_only=True), torch.load(sys.argv[2])",
        "assert type(a) is list and len(a) == len(b) == 7",
        "for x, y in zip(a, b):",
        "  assert type(x) is list and len(x) == len(y) == 32",
        "  for s, t in zip(x, y):",
        "    assert s.dtype == t.dtype == torch.int64 and s.shape == t.shape and torch.equal(s, t), (s, t)",
        "print('OK', sum(t.numel() for x in a for t in x))");
    assertEquals("OK 5024", PythonTorch.run(script, ours.toString(), real().toString()));
  }

  @Test
  void selectionWritesTheOfficialLayout() {
    NeuronSelection s = threeLayers();
    assertEquals(List.of(new Neuron(0, 0)), s.neurons("a"));
    assertEquals(List.of(new Neuron(2, 1)), s.neurons("b"));
    assertEquals(List.of(new Neuron(2, 1)), s.neurons("c"));
    Path file = LapeMasks.write(s, tmp.resolve("sel.neuron.pth"));
    TensorTree tree = TensorFiles.read(file);
    assertEquals(9, tree.tensors().size()); // every class has every layer
    for (Tensor t : tree.tensors().values()) {
      assertEquals(DType.I64, t.dtype());
    }
    assertArrayEquals(new long[] {0}, tree.tensor("0.0").toLongArray());
    assertArrayEquals(new long[0], tree.tensor("0.1").toLongArray());
    assertArrayEquals(new long[] {1}, tree.tensor("2.2").toLongArray());
    ClassNeurons back = LapeMasks.read(file, List.of("a", "b", "c"));
    assertEquals(s.neuronSets(), back);
    assertEquals(s.perClass().toString(), back.perClass().toString());
    assertEquals(s.sharing().toString(), back.sharing().toString());
    assertEquals(s.coverage(), back.coverage());
    String script = String.join("\n",
        "import sys, torch",
        "m = torch.load(sys.argv[1], weights_only=True)",
        "want = [[[0], [], []], [[], [], [1]], [[], [], [1]]]",
        "assert [[t.tolist() for t in x] for x in m] == want, m",
        "assert all(t.dtype == torch.int64 for x in m for t in x)",
        "print('OK')");
    assertEquals("OK", PythonTorch.run(script, file.toString()));
  }

  @Test
  void importedMasksShareTheAnalysisWithSelections() {
    NeuronSelection s = threeLayers();
    ClassNeurons imported = ClassNeurons.of("other.neuron.pth", 3, Map.of("x", List.of(new Neuron(2, 1),
        new Neuron(0, 0), new Neuron(2, 1))));
    assertEquals(List.of(new Neuron(0, 0), new Neuron(2, 1)), imported.neurons("x")); // sorted, merged
    Table across = Sharing.between(s.neuronSets(), imported);
    assertEquals(3, across.rowCount());
    assertEquals(List.of(1, 1, 1), across.intColumn("overlap").asList());
    assertEquals(0.5, across.doubleColumn("jaccard").get(0), 1e-15);
    assertThrows(WorkbenchException.class, () -> Sharing.between(imported,
        ClassNeurons.of("deeper", 4, Map.of("y", List.of()))));
    // neurons.csv-style table -> sets, keeping the entropies
    ClassNeurons fromTable = ClassNeurons.fromTable("neurons.csv", s.table(), s.classes(), 3);
    assertEquals(s.neuronSets(), fromTable);
    assertEquals(s.entropy(2, 1), fromTable.table().doubleColumn("aape").get(1), 1e-15);
    assertEquals(s.perLayer().toString(), fromTable.perLayer().toString());
  }

  @Test
  void neuronSetsCheckTheirInput() {
    assertThrows(WorkbenchException.class, () -> ClassNeurons.of("m", 2, Map.of("a", List.of(new Neuron(2, 0)))));
    assertThrows(WorkbenchException.class, () -> ClassNeurons.of("m", 2, Map.of("a", List.of(new Neuron(0, -1)))));
    assertThrows(WorkbenchException.class, () -> ClassNeurons.of("m", 2, Map.of()));
    Table t = threeLayers().table();
    WorkbenchException e = assertThrows(WorkbenchException.class,
        () -> ClassNeurons.fromTable("n.csv", t, List.of("a", "b"), 3));
    assertTrue(e.getMessage().contains("class 'c', not one of [a, b]"), e.getMessage());
    assertThrows(WorkbenchException.class, () -> ClassNeurons.fromTable("n.csv", t.removeColumns("class"), null, 3));
    // without a class order: first appearance; without layers: highest + 1
    ClassNeurons guessed = ClassNeurons.fromTable("n.csv", threeLayers().table(), null, 0);
    assertEquals(List.of("a", "b", "c"), guessed.classes());
    assertEquals(3, guessed.layers());
  }

  @Test
  void refusesWhatIsNotAMask() {
    Path counts = tmp.resolve("c.pt");
    io.anw.tensor.TorchWriter.write(counts, Map.of("n", 3L, "over_zero", Tensor.ofLongs(new long[] {1}, 1, 1)));
    WorkbenchException e = assertThrows(WorkbenchException.class, () -> LapeMasks.read(counts, null));
    assertTrue(e.getMessage().startsWith("c.pt: not a LAPE mask"), e.getMessage());
    Path ragged = tmp.resolve("r.pth");
    io.anw.tensor.TorchWriter.write(ragged, List.of(List.of(Tensor.ofLongs(new long[] {1}, 1)),
        List.of(Tensor.ofLongs(new long[] {1}, 1), Tensor.ofLongs(new long[] {2}, 1))));
    assertTrue(assertThrows(WorkbenchException.class, () -> LapeMasks.read(ragged, null))
        .getMessage().contains("every class needs every layer"));
    Path ok = LapeMasks.write(threeLayers(), tmp.resolve("ok.pth"));
    assertTrue(assertThrows(WorkbenchException.class, () -> LapeMasks.read(ok, List.of("a", "b")))
        .getMessage().contains("3 classes, 2 names"));
    assertEquals(List.of("class0", "class1", "class2"), LapeMasks.read(ok, null).classes());
  }
}
