package io.anw.intervention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.anw.GradMode;
import io.anw.WorkbenchException;
import io.anw.model.PartedInput;
import io.anw.model.TokenGroup;
import io.anw.model.TwoPartToyModel;
import io.anw.neuron.Neuron;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Grounding by class on the hand-set two-part toy of {@link GroundingCoefficientTest}: class
 * {@code on} has audio and text feature 0 switched on, class {@code off} neither; neuron 0
 * reads audio, 1 text, 2 both, 3 nothing that changes.
 */
class ClassGroundingTest {
  static final List<String> CLASSES = List.of("off", "on");

  static List<PartedInput> examples(NDManager m, int on, int off) {
    List<PartedInput> out = new ArrayList<>();
    Shape s = new Shape(3, 2);
    NDArray one = m.create(new float[] {1, 0}).broadcast(s);
    for (int i = 0; i < on; i++) {
      out.add(PartedInput.of(one, one));
    }
    for (int i = 0; i < off; i++) {
      out.add(PartedInput.of(m.zeros(s), m.zeros(s)));
    }
    return out;
  }

  static int[] labels(int on, int off) {
    int[] y = new int[on + off];
    for (int i = 0; i < on; i++) {
      y[i] = 1;
    }
    return y;
  }

  @Test
  void eachClassNeuronGetsTheCoefficientOfThePartItReads() {
    GradMode.disableOnCurrentThread();
    try (TwoPartToyModel model = GroundingCoefficientTest.toy(1f);
        NDManager m = NDManager.newBaseManager()) {
      Map<String, List<Neuron>> byClass = Map.of("on", List.of(new Neuron(0, 0),
          new Neuron(0, 1), new Neuron(0, 2)), "off", List.of(new Neuron(0, 3)));
      ClassGroundingResult r = ClassGrounding.compute(model, byClass, CLASSES, examples(m, 4, 6),
          labels(4, 6), GroundingStat.PROBABILITY, TokenGroup.ALL, 64, 1);
      assertEquals(List.of("class", "layer", "neuron", "delta_audio", "delta_text", "gc",
          "grounding"), r.table().columnNames());
      assertEquals(List.of("off", "audio", "text", "mixed"),
          List.of(r.table().stringColumn("class").get(0), r.table().stringColumn("grounding").get(1),
              r.table().stringColumn("grounding").get(2), r.table().stringColumn("grounding").get(3)));
      assertEquals("none", r.table().stringColumn("grounding").get(0), "nothing moves neuron 3");
      double[] gc = r.gc();
      assertEquals(1.0, gc[1], 1e-9);
      assertEquals(0.0, gc[2], 1e-9);
      assertEquals(0.5, gc[3], 1e-9);
      assertEquals(4, r.size());
      assertEquals(Map.of("off", 6, "on", 4), r.examples());
      assertEquals(List.of(1, 1, 1, 1), r.labels().intColumn("neurons").asList());
      assertEquals(2, r.summary().rowCount());
      assertEquals(1, r.perLayer().rowCount());
      var hist = r.histogram();
      assertEquals(List.of("L0"), List.copyOf(hist.getSeriesMap().keySet()));
      assertTrue(r.toString().contains("audio 1, mixed 1, text 1, none 1"), r.toString());
    }
  }

  @Test
  void conditionsAreCappedAndOtherClassesCycled() {
    GradMode.disableOnCurrentThread();
    try (TwoPartToyModel model = GroundingCoefficientTest.toy(1f);
        NDManager m = NDManager.newBaseManager()) {
      ClassGroundingResult r = ClassGrounding.compute(model, Map.of("on", List.of(
          new Neuron(0, 0))), CLASSES, examples(m, 5, 2), labels(5, 2), GroundingStat.MEAN,
          TokenGroup.ALL, 3, 7);
      assertEquals(Map.of("on", 3), r.examples(), "at most 3 per condition; 2 'off' reused");
      assertEquals(1.0, r.gc()[0], 1e-9);
      assertThrows(WorkbenchException.class, () -> ClassGrounding.compute(model,
          Map.of("on", List.of(new Neuron(0, 0))), CLASSES, examples(m, 2, 2), labels(1, 1),
          GroundingStat.MEAN, TokenGroup.ALL, 3, 7));
      WorkbenchException none = assertThrows(WorkbenchException.class,
          () -> ClassGrounding.compute(model, Map.of("on", List.of(new Neuron(0, 0))), CLASSES,
              examples(m, 3, 0), labels(3, 0), GroundingStat.MEAN, TokenGroup.ALL, 3, 7));
      assertTrue(none.getMessage().contains("no examples of other classes"), none.getMessage());
    }
  }
}
