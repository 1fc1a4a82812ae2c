package io.anw.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anw.activation.ActivationCounts;
import io.anw.activation.CountsFile;
import io.anw.neuron.ClassNeurons;
import io.anw.neuron.LapeMasks;
import io.anw.neuron.SelectionFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code masks import|export}, {@code counts import|export} and {@code aape --lape-mask}. */
class InteropCommandsTest {
  static final List<String> EN_ZH_FR = List.of("en", "zh", "fr");

  @TempDir Path tmp;

  static Path interop(String name) throws Exception {
    return Path.of(InteropCommandsTest.class.getResource("/interop/" + name).toURI());
  }

  @Test
  void masksImportThenExportGivesTheSameMask() throws Exception {
    Path mask = interop("tiny.neuron.pth");
    Path dir = tmp.resolve("imported");
    TensorCommandsTest.Run r = TensorCommandsTest.run("masks", "import", mask.toString(),
        "--classes", "en,zh,fr", "--out", dir.toString());
    assertEquals(0, r.code(), r.err());
    ClassNeurons original = LapeMasks.read(mask, EN_ZH_FR);
    for (String f : List.of("neurons.csv", "summary.csv", "per_class.csv", "per_layer.csv",
        "sharing.csv", "plots/layers.png", "plots/class_layer.svg", "plots/sharing.png")) {
      assertTrue(Files.isRegularFile(dir.resolve(f)), f);
    }
    List<String> lines = Files.readAllLines(dir.resolve("neurons.csv"));
    assertEquals("layer,neuron,class,aape", lines.get(0));
    assertEquals(original.assignments(), lines.size() - 1);
    assertTrue(lines.get(1).endsWith(",en,NaN"), lines.get(1));
    // classes (from per_class.csv) and layers (from summary.csv) survive even for empty layers
    Path back = tmp.resolve("back.neuron.pth");
    r = TensorCommandsTest.run("masks", "export", dir.resolve("neurons.csv").toString(),
        "--out", back.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals(original, LapeMasks.read(back, EN_ZH_FR));
    assertEquals(1, TensorCommandsTest.run("masks", "import", mask.toString(), "--classes", "a,b",
        "--out", dir.toString()).code());
  }

  @Test
  void countsImportExportAndAapeWritesALapeMask() throws Exception {
    Path npz = tmp.resolve("c.npz");
    TensorCommandsTest.Run r = TensorCommandsTest.run("counts", "import", "--lape",
        interop("expected.json").getParent().toString(), "--lape-model", "tiny", "--classes", "en,zh,fr",
        "--out", npz.toString());
    assertEquals(0, r.code(), r.err());
    ActivationCounts c = CountsFile.read(npz);
    assertEquals(CountsFile.read(interop("aape_stacked.pt")).overZeroFlat().length, c.overZeroFlat().length);
    assertArrayEquals(CountsFile.read(interop("aape_stacked.pt")).overZeroFlat(), c.overZeroFlat());
    assertEquals(EN_ZH_FR, c.classes());

    r = TensorCommandsTest.run("counts", "export", npz.toString(), "--lape",
        tmp.resolve("lape").toString(), "--lape-model", "m", "--pt", tmp.resolve("oz.pt").toString());
    assertEquals(0, r.code(), r.err());
    assertEquals(c.nPerClass()[1], CountsFile.fromLape(tmp.resolve("lape"), "m", EN_ZH_FR).n(1));
    assertArrayEquals(c.overZeroFlat(), CountsFile.read(tmp.resolve("oz.pt")).overZeroFlat());

    Path sel = tmp.resolve("sel");
    Path mask = tmp.resolve("sel.neuron.pth");
    r = TensorCommandsTest.run("aape", tmp.resolve("oz.pt").toString(), "--out", sel.toString(),
        "--method", "lape", "--top-rate", "0.4", "--lape-mask", mask.toString());
    assertEquals(0, r.code(), r.err());
    ClassNeurons fromCsv = SelectionFiles.readNeurons(sel.resolve("neurons.csv"), null, 0);
    ClassNeurons fromMask = LapeMasks.read(mask, EN_ZH_FR);
    assertEquals(fromCsv, fromMask);
    assertEquals(3, fromMask.layers());
    assertTrue(fromMask.assignments() > 0, fromMask.toString());
  }
}
