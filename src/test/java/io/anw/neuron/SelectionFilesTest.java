package io.anw.neuron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A selection written to a folder: the CSV contract and the plots. */
class SelectionFilesTest {
  @TempDir Path dir;

  @Test
  void writesNeuronsCsvSummaryAndPlots() throws Exception {
    NeuronSelection s = EntropySelector.select(EntropySelectorTest.fourNeurons(),
        new SelectionParams(SelectionMethod.LAPE, 0.5, 0.5, 0.75));
    SelectionFiles.write(s, dir);
    List<String> lines = Files.readAllLines(dir.resolve("neurons.csv"));
    assertEquals("layer,neuron,class,aape", lines.get(0));
    assertEquals("0,0,a,0.0", lines.get(1));
    assertTrue(lines.get(2).startsWith("0,1,a,0.693147180559945"), lines.get(2));
    assertEquals(4, lines.size());
    assertTrue(Files.readString(dir.resolve("summary.csv")).startsWith("method,filter_rate"));
    for (String plot : List.of("entropy", "layers", "class_layer", "sharing")) {
      assertTrue(Files.size(dir.resolve("plots/" + plot + ".png")) > 1000, plot);
      assertTrue(Files.readString(dir.resolve("plots/" + plot + ".svg")).contains("<svg"), plot);
    }
    try (var files = Files.list(dir)) {
      assertTrue(files.noneMatch(p -> p.getFileName().toString().contains(".tmp-")));
    }
  }
}
