package io.anw.neuron;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/** Overlap and Jaccard index between class neuron sets. */
class SharingTest {
  @Test
  void jaccardAndOverlap() {
    List<Neuron> a = List.of(new Neuron(0, 1), new Neuron(0, 2), new Neuron(1, 3));
    List<Neuron> b = List.of(new Neuron(0, 2), new Neuron(1, 3), new Neuron(2, 0), new Neuron(2, 1));
    assertEquals(2, Sharing.overlap(a, b));
    assertEquals(2.0 / 5.0, Sharing.jaccard(a, b), 1e-15);
    assertEquals(0.0, Sharing.jaccard(List.of(), List.of()));
  }

  @Test
  void pairTablesWithinAndAcrossTasks() {
    NeuronSelection s = EntropySelector.select(EntropySelectorTest.fourNeurons(),
        new SelectionParams(SelectionMethod.LAPE, 0.5, 0.5, 0.75));
    Table within = s.sharing();
    assertEquals(3, within.rowCount()); // a-b, a-c, b-c
    assertEquals(1, within.intColumn("overlap").get(0)); // a and b share L0.N1
    assertEquals(0.5, within.doubleColumn("jaccard").get(0), 1e-15);
    assertEquals(9, Sharing.between(s, s).rowCount()); // every class against every class
  }
}
