package io.anw.neuron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anw.WorkbenchException;
import io.anw.activation.ActivationCounts;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-computed selections: ties, n = 0, never-active neurons, two-class neurons, quotas. */
class EntropySelectorTest {
  static final List<String> ABC = List.of("a", "b", "c");

  /** One layer of 4 neurons, 3 classes with 10 tokens each. */
  static ActivationCounts fourNeurons() {
    return ActivationCounts.of(new long[][][] {{
        {10, 0, 0},   // N0: only class a -> H = 0
        {5, 5, 0},    // N1: a and b equally -> H = ln 2
        {0, 0, 0},    // N2: never active -> excluded
        {3, 3, 3},    // N3: uniform -> H = ln 3
    }}, new long[] {10, 10, 10}, ABC);
  }

  @Test
  void entropyOfHandCases() {
    NeuronSelection s = EntropySelector.select(fourNeurons(), SelectionMethod.AAPE.defaults());
    assertEquals(0.0, s.entropy(0, 0), 1e-15);
    assertEquals(Math.log(2), s.entropy(0, 1), 1e-15);
    assertEquals(0.0, s.entropy(0, 2), 0.0); // 0 ln 0 = 0 and Q = 0 where the sum is 0
    assertEquals(Math.log(3), s.entropy(0, 3), 1e-15);
  }

  @Test
  void keepsLowestEntropyAndAssignsAboveBar() {
    // 12 probabilities sorted: 0 x7, .3 x3, .5 x2... filter 0.5 -> k=6 -> v_filter = 0;
    // top 0.5 of 4 neurons -> 2 kept: N0 (H=0), N1 (ln 2); bar 0.75 -> k = 9 -> v_bar = 0.3.
    SelectionParams params = new SelectionParams(SelectionMethod.LAPE, 0.5, 0.5, 0.75);
    NeuronSelection s = EntropySelector.select(fourNeurons(), params);
    assertEquals(0.0, s.vFilter());
    assertEquals(0.3, s.vBar(), 1e-15);
    assertEquals(List.of(new Neuron(0, 0), new Neuron(0, 1)), s.kept());
    assertEquals(List.of(new Neuron(0, 0), new Neuron(0, 1)), s.neurons("a"));
    assertEquals(List.of(new Neuron(0, 1)), s.neurons("b")); // N1 is specific to two classes
    assertEquals(List.of(), s.neurons("c"));
    assertEquals(2.0 / 3.0, s.coverage(), 1e-15);
    assertEquals(3, s.table().rowCount());
    assertEquals(List.of("layer", "neuron", "class", "aape"), s.table().columnNames());
  }

  @Test
  void neverActiveNeuronsAreNotKeptEvenWithLowEntropy() {
    // N2 has H = 0 (like N0) but no P above v_filter.
    SelectionParams params = new SelectionParams(SelectionMethod.AAPE, 0.5, 1.0, 0.0);
    NeuronSelection s = EntropySelector.select(fourNeurons(), params);
    assertTrue(!s.kept().contains(new Neuron(0, 2)));
    assertEquals(3, s.kept().size()); // fewer eligible than the quota of 4: keep those there are
    assertTrue(s.warnings().stream().anyMatch(w -> w.contains("keeping all of them")));
  }

  @Test
  void tiesAreBrokenByLayerThenNeuron() {
    ActivationCounts counts = ActivationCounts.of(new long[][][] {
        {{0, 4, 0}, {2, 2, 2}},
        {{4, 0, 0}, {0, 0, 4}},
    }, new long[] {4, 4, 4}, ABC);
    // Three neurons with H = 0: L0.N0, L1.N0, L1.N1, kept in that order with top 0.75 -> 3.
    NeuronSelection s = EntropySelector.select(counts,
        new SelectionParams(SelectionMethod.LAPE, 0.0, 0.75, 0.5));
    assertEquals(List.of(new Neuron(0, 0), new Neuron(1, 0), new Neuron(1, 1)), s.kept());
  }

  @Test
  void classWithoutTokensHasZeroProbabilityAndAWarning() {
    ActivationCounts counts = ActivationCounts.of(new long[][][] {{{5, 0, 0}, {1, 0, 4}}},
        new long[] {10, 0, 8}, ABC);
    NeuronSelection s = EntropySelector.select(counts, SelectionMethod.AAPE.defaults());
    assertEquals(0.0, s.probability(0, 0, 1));
    assertTrue(s.warnings().get(0).contains("class b has no tokens"));
  }

  @Test
  void roundingIsHalfToEvenAsPython() {
    double[] sorted = {1, 2, 3, 4};
    assertEquals(2.0, EntropySelector.kthSmallest(sorted, 0.625)); // 2.5 -> 2
    assertEquals(4.0, EntropySelector.kthSmallest(sorted, 0.875)); // 3.5 -> 4
    assertEquals(1.0, EntropySelector.kthSmallest(sorted, 0.0)); // clamped to the first
  }

  @Test
  void invalidRatesAreOneLineErrors() {
    WorkbenchException e = assertThrows(WorkbenchException.class,
        () -> SelectionMethod.AAPE.defaults().withTopRate(1.5));
    assertEquals("--top-rate must be in [0, 1], got 1.5", e.getMessage());
  }

  @Test
  void countsAboveTokensAreRejected() {
    assertThrows(WorkbenchException.class,
        () -> ActivationCounts.of(new long[][][] {{{11, 0, 0}}}, new long[] {10, 10, 10}, ABC));
  }
}
