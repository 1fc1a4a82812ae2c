package io.anw.neuron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anw.WorkbenchException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading neuron lists back from neurons.csv. */
class NeuronCsvTest {
  @TempDir Path dir;

  @Test
  void readsAllOrOneClassSortedAndDistinct() throws Exception {
    Path csv = dir.resolve("neurons.csv");
    Files.writeString(csv, "layer,neuron,class,aape\n2,5,hum,0.1\n0,7,hum,0.2\n0,7,chirp,0.2\n"
        + "1,1,chirp,0.3\n");
    assertEquals(List.of(new Neuron(0, 7), new Neuron(2, 5)), NeuronCsv.read(csv, "hum"));
    assertEquals(List.of(new Neuron(0, 7), new Neuron(1, 1), new Neuron(2, 5)),
        NeuronCsv.read(csv, null));
    WorkbenchException e = assertThrows(WorkbenchException.class,
        () -> NeuronCsv.read(csv, "clicks"));
    assertTrue(e.getMessage().endsWith("no neurons of class 'clicks' (classes: hum, chirp)"),
        e.getMessage());
  }

  @Test
  void badFilesAreOneLineErrors() throws Exception {
    Path csv = dir.resolve("bad.csv");
    Files.writeString(csv, "a,b\n1,2\n");
    assertThrows(WorkbenchException.class, () -> NeuronCsv.read(csv, null));
    Files.writeString(csv, "layer,neuron\nx,2\n");
    WorkbenchException e = assertThrows(WorkbenchException.class, () -> NeuronCsv.read(csv, null));
    assertTrue(e.getMessage().contains("line 2"), e.getMessage());
  }
}
