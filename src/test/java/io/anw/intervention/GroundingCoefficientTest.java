package io.anw.intervention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.anw.GradMode;
import io.anw.WorkbenchException;
import io.anw.model.M2dViT;
import io.anw.model.ModelConfig;
import io.anw.model.PartedInput;
import io.anw.model.TwoPartToyModel;
import io.anw.neuron.Neuron;
import java.util.List;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/**
 * GC on a two-input model with hand-set weights: neuron 0 reads only audio, 1 only text, 2 both
 * equally, 3 an input dimension that no condition changes.
 */
class GroundingCoefficientTest {
  static final List<Neuron> ALL = List.of(new Neuron(0, 0), new Neuron(0, 1), new Neuron(0, 2),
      new Neuron(0, 3));

  static TwoPartToyModel toy(float textWeightOfMixed) {
    float[][] wa = {{1, 0, 1, 0}, {0, 0, 0, 1}};
    float[][] wt = {{0, 1, textWeightOfMixed, 0}, {0, 0, 0, 0}};
    return new TwoPartToyModel(wa, wt, new float[] {-0.5f, -0.5f, -0.5f, 0.5f});
  }

  @Test
  void audioOnlyTextOnlyAndBothGiveOneZeroAndAHalf() {
    GradMode.disableOnCurrentThread();
    try (TwoPartToyModel model = toy(1f); NDManager m = NDManager.newBaseManager()) {
      Shape s = new Shape(2, 3, 2);
      PartedInput a = PartedInput.of(m.zeros(s), m.zeros(s));
      NDArray on = m.create(new float[] {1, 0}).broadcast(s);
      PartedInput b = PartedInput.of(on, on);
      for (GroundingStat stat : GroundingStat.values()) {
        GroundingResult r = GroundingCoefficient.compute(model, ALL, a, b, stat);
        assertEquals(1.0, r.gc(0), 1e-9, stat.toString());
        assertEquals(0.0, r.gc(1), 1e-9);
        assertEquals(0.5, r.gc(2), 1e-9);
        assertTrue(Double.isNaN(r.gc(3)));
        assertEquals(List.of("audio", "text", "mixed", "none"),
            List.of(r.label(0), r.label(1), r.label(2), r.label(3)));
        Table t = r.table();
        assertEquals(List.of("layer", "neuron", "delta_audio", "delta_text", "gc", "grounding"),
            t.columnNames());
        assertEquals(1, r.summary().where(r.summary().stringColumn("grounding").isEqualTo("mixed"))
            .intColumn("neurons").get(0));
        assertTrue(r.toString().contains("mixed 1"), r.toString());
      }
    }
  }

  @Test
  void aNeuronReadingBothPartsOnRandomConditionsIsNearAHalf() {
    GradMode.disableOnCurrentThread();
    try (TwoPartToyModel model = toy(0.9f); NDManager m = NDManager.newBaseManager()) {
      Shape s = new ai.djl.ndarray.types.Shape(8, 16, 2);
      PartedInput a = PartedInput.of(m.randomUniform(0f, 0.5f, s), m.randomUniform(0f, 0.5f, s));
      PartedInput b = PartedInput.of(m.randomUniform(0.5f, 1.5f, s),
          m.randomUniform(0.5f, 1.5f, s));
      GroundingResult r = GroundingCoefficient.compute(model, ALL, a, b, GroundingStat.MEAN);
      assertEquals(0.5, r.gc(2), 0.08);
      assertEquals("mixed", r.label(2));
      assertTrue(r.gc(0) > 0.9 && r.gc(1) < 0.1, r.table().print());
    }
  }

  @Test
  void m2dIsAudioGroundedByConstruction() {
    GradMode.disableOnCurrentThread();
    try (NDManager m = NDManager.newBaseManager();
        M2dViT model = M2dViT.random(ModelConfig.defaults().withUnitFrames(32), 2, 32, 64, 2, m)) {
      NDArray x = m.randomNormal(0, 1, new Shape(1, 80, 32), DataType.FLOAT32);
      NDArray y = m.randomNormal(0, 1, new Shape(1, 80, 32), DataType.FLOAT32);
      GroundingResult r = GroundingCoefficient.compute(model,
          List.of(new Neuron(1, 3), new Neuron(0, 7)), x, y, GroundingStat.PROBABILITY);
      assertTrue(r.audioOnly());
      assertTrue(r.note().contains("by construction"), r.note());
      assertEquals(new Neuron(0, 7), r.neurons().get(0));
      for (int i = 0; i < 2; i++) {
        assertEquals(1.0, r.gc(i));
        assertEquals("audio", r.label(i));
        assertEquals(0.0, r.deltaText()[i]);
      }
      assertThrows(WorkbenchException.class, () -> GroundingCoefficient.compute(model,
          List.of(new Neuron(0, 64)), x, y, GroundingStat.MEAN));
      assertThrows(WorkbenchException.class, () -> GroundingCoefficient.compute(model,
          List.of(new Neuron(0, 1)), PartedInput.of(x, x), PartedInput.of(y, y),
          GroundingStat.MEAN));
    }
  }
}
