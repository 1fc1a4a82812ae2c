package io.anw.repl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.anw.WorkbenchException;
import io.anw.activation.ActivationCounts;
import io.anw.neuron.ClassNeurons;
import io.anw.neuron.LapeMasks;
import io.anw.tensor.Tensor;
import io.anw.tensor.TensorFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The interop methods of the facade, on the golden files of make_interop_fixtures.py. */
class WBInteropTest {
  @TempDir Path tmp;

  static String interop(String name) throws Exception {
    return Path.of(WBInteropTest.class.getResource("/interop/" + name).toURI()).toString();
  }

  @Test
  void masksAndCountsThroughTheFacade() throws Exception {
    ClassNeurons m = WB.lapeMask(interop("tiny.neuron.pth"), "en", "zh", "fr");
    assertEquals(List.of("en", "zh", "fr"), m.classes());
    assertEquals(List.of("class0", "class1", "class2"), WB.lapeMask(interop("tiny.neuron.pth")).classes());
    Path saved = WB.saveLapeMask(m, tmp.resolve("m.neuron.pth").toString());
    assertEquals(m, LapeMasks.read(saved, m.classes()));

    ActivationCounts stacked = WB.overZero(interop("aape_stacked.pt"));
    String dir = Path.of(interop("expected.json")).getParent().toString();
    ActivationCounts lape = WB.lapeCounts(dir, "tiny", "en", "zh", "fr");
    assertArrayEquals(stacked.overZeroFlat(), lape.overZeroFlat());
    assertThrows(WorkbenchException.class, () -> WB.lapeCounts(dir, "tiny"));
    List<Path> files = WB.saveLapeCounts(lape, tmp.resolve("lape").toString(), "x");
    assertEquals(3, files.size());
    Path pt = WB.saveOverZero(lape, tmp.resolve("oz.pt").toString());
    assertArrayEquals(lape.nPerClass(), WB.overZero(pt.toString()).nPerClass());

    var sel = WB.aape(lape);
    Path selMask = WB.saveLapeMask(sel, tmp.resolve("sel.neuron.pth").toString());
    assertEquals(sel.neuronSets(), WB.lapeMask(selMask.toString(), "en", "zh", "fr"));

    Path t = WB.saveTorch(Map.of("w", Tensor.ofFloats(new float[] {1, 2}, 2)), tmp.resolve("w.pt").toString());
    assertArrayEquals(new float[] {1, 2}, TensorFiles.read(t).tensor("w").toFloatArray());
  }
}
