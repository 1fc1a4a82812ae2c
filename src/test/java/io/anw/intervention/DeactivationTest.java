package io.anw.intervention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anw.neuron.Neuron;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import io.anw.WorkbenchException;
import org.junit.jupiter.api.Test;

/**
 * Deactivation on a hand-built "model": 2 layers x 12 neurons whose activations feed a 3-d
 * embedding; in one model a single neuron carries class a, in the other every neuron carries a
 * little of every class.
 */
class DeactivationTest {
  static final List<String> CLASSES = List.of("a", "b", "c");
  static final int LAYERS = 2;
  static final int NEURONS = 12;

  /** act[i][l*N+j]: a neuron's activation on example i; emb = Σ act · w over live neurons. */
  record ToyModel(float[][] act, float[][] weights) implements AblatedEmbedder {
    @Override
    public float[][] embed(Collection<Neuron> ablated) {
      Set<Integer> off = new HashSet<>();
      ablated.forEach(n -> off.add(n.layer() * NEURONS + n.index()));
      float[][] out = new float[act.length][3];
      for (int i = 0; i < act.length; i++) {
        for (int u = 0; u < act[i].length; u++) {
          if (!off.contains(u)) {
            for (int d = 0; d < 3; d++) {
              out[i][d] += act[i][u] * weights[u][d];
            }
          }
        }
      }
      return out;
    }
  }

  static int[] labels(int n) {
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % 3;
    }
    return y;
  }

  /** Class c's signal lives in neuron carrier[c] alone (weight on embedding dim c). */
  static ToyModel singleCarrier(int n, long seed) {
    Random r = new Random(seed);
    int[] carrier = {3, NEURONS + 5, 7}; // L0.N3 for a, L1.N5 for b, L0.N7 for c
    float[][] act = new float[n][LAYERS * NEURONS];
    float[][] w = new float[LAYERS * NEURONS][3];
    for (int c = 0; c < 3; c++) {
      w[carrier[c]][c] = 1f;
    }
    for (int u = 0; u < w.length; u++) {
      for (int d = 0; d < 3; d++) {
        w[u][d] += 0.05f * (float) r.nextGaussian();
      }
    }
    for (int i = 0; i < n; i++) {
      for (int u = 0; u < act[i].length; u++) {
        act[i][u] = 0.3f * (float) r.nextGaussian();
      }
      act[i][carrier[i % 3]] += 3f;
    }
    return new ToyModel(act, w);
  }

  /** Every neuron carries a share of every class: no single neuron is necessary. */
  static ToyModel distributed(int n, long seed) {
    Random r = new Random(seed);
    float[][] act = new float[n][LAYERS * NEURONS];
    float[][] w = new float[LAYERS * NEURONS][3];
    for (int u = 0; u < w.length; u++) {
      w[u][u % 3] = 1f;
    }
    for (int i = 0; i < n; i++) {
      for (int u = 0; u < act[i].length; u++) {
        act[i][u] = 0.3f * (float) r.nextGaussian() + (u % 3 == i % 3 ? 0.5f : 0f);
      }
    }
    return new ToyModel(act, w);
  }

  static DeactivationResult experiment(ToyModel model, List<Neuron> targeted) {
    int[] y = labels(model.act().length);
    LinearProbe probe = LinearProbe.train(model.embed(List.of()), y, CLASSES,
        ProbeOptions.defaults().withLearningRate(0.01).withMaxEpochs(100));
    return Deactivation.run(model, y, probe, targeted, LAYERS, NEURONS, 20, 11);
  }

  @Test
  void theCarrierNeuronIsNecessaryAndRandomOnesAreNot() {
    DeactivationResult r = experiment(singleCarrier(150, 1), List.of(new Neuron(0, 3)));
    assertTrue(r.baseline().accuracy() > 0.95, r.toString());
    assertTrue(r.targetedDrop() > 0.25, r.toString());
    assertTrue(r.baseline().accuracy() - r.randomMean() < 0.05, r.toString());
    assertTrue(r.pValue() < 0.05, r.toString());
    assertEquals("a", r.perClass().stringColumn("class").get(0), "class a fell most");
    assertTrue(r.zScore() < -3, r.toString());
  }

  @Test
  void perClassDropsAndPValuesSingleOutTheCarriedClass() {
    DeactivationResult r = experiment(singleCarrier(150, 1), List.of(new Neuron(0, 3)));
    int a = CLASSES.indexOf("a");
    int b = CLASSES.indexOf("b");
    assertTrue(r.classDrop(a) > 0.5, r.toString());
    assertTrue(r.classPValue(a) < 0.05, r.toString());
    assertTrue(r.classProbabilityDrop(a) > 0.3, r.toString());
    assertTrue(r.classProbabilityPValue(a) < 0.05, r.toString());
    // class b's carrier is untouched: its probability hardly moves, like the random sets'
    assertTrue(Math.abs(r.classProbabilityDrop(b)) < 0.1, r.toString());
    assertEquals(20, r.classRandomDrops(a).length);
    double base = r.baseline().classProbability(a);
    assertTrue(base > 0.5 && base <= 1, "true-class probability of a: " + base);
    assertEquals(r.classPValue(a), r.perClass().where(r.perClass().stringColumn("class")
        .isEqualTo("a")).doubleColumn("p").get(0), 1e-12);
  }

  @Test
  void truthProbabilityIsTheMeanSoftmaxOfTheTrueClass() {
    float[][] logits = {{0, 0}, {Float.NEGATIVE_INFINITY, 0}, {2, 0}};
    ProbeEvaluation ev = ProbeEvaluation.ofLogits(List.of("x", "y"), new int[] {0, 1, 1},
        logits);
    assertEquals(0.5, ev.classProbability(0), 1e-12);
    double p2 = Math.exp(0) / (Math.exp(2) + Math.exp(0));
    assertEquals((1.0 + p2) / 2, ev.classProbability(1), 1e-12);
    assertEquals(2.0 / 3, ev.accuracy(), 1e-12, "ties go to the first class; row 3 is wrong");
    assertTrue(Double.isNaN(ProbeEvaluation.of(List.of("x"), new int[] {0}, new int[] {0})
        .classProbability(0)));
  }

  @Test
  void anEmptySetAndIdenticalRandomSetsAreWarnedAbout() {
    DeactivationResult empty = experiment(singleCarrier(150, 1), List.of());
    assertTrue(empty.toString().contains("warning: no neurons were deactivated"),
        empty.toString());
    DeactivationResult fine = experiment(singleCarrier(150, 1), List.of(new Neuron(0, 3)));
    // the random sets all leave the probe perfect: z is infinite, and the result says why
    assertEquals(1, fine.warnings().size(), fine.warnings().toString());
    assertTrue(fine.warnings().get(0).startsWith("all random sets scored"));
    assertTrue(fine.toString().lines().allMatch(l -> l.length() <= 120), fine.toString());
    assertTrue(fine.toString().contains("p = 0.048") || fine.toString().contains("p = 0.0"),
        fine.toString());
  }

  @Test
  void theFindingSaysBeyondRandomOrNullInPlainWords() {
    DeactivationResult carrier = experiment(singleCarrier(150, 1), List.of(new Neuron(0, 3)));
    int a = CLASSES.indexOf("a");
    double[] random = carrier.classRandomDrops(a);
    double mean = java.util.Arrays.stream(random).average().orElseThrow();
    double sd = Math.sqrt(java.util.Arrays.stream(random).map(d -> (d - mean) * (d - mean))
        .sum() / (random.length - 1));
    double z = sd > 1e-12 ? (carrier.classDrop(a) - mean) / sd : Double.POSITIVE_INFINITY;
    assertEquals(z, carrier.classZ(a), 1e-9);
    String found = carrier.finding("a");
    assertTrue(found.startsWith("zeroing 1 neuron of a (20 random sets"), found);
    assertTrue(found.contains("-> beyond random"), found);
    assertTrue(found.lines().allMatch(l -> l.length() <= 100), found);

    DeactivationResult spread = experiment(distributed(150, 2), List.of(new Neuron(0, 3)));
    String nothing = spread.finding("a");
    assertTrue(nothing.contains("not beyond random (a null result)"), nothing);
    WorkbenchException e = org.junit.jupiter.api.Assertions.assertThrows(
        WorkbenchException.class, () -> spread.finding("zebra"));
    assertTrue(e.getMessage().startsWith("no class 'zebra' in this result"), e.getMessage());
  }

  @Test
  void distributedCodingShowsNoSignificantDrop() {
    DeactivationResult r = experiment(distributed(150, 2), List.of(new Neuron(0, 3)));
    assertTrue(Math.abs(r.targetedDrop()) < 0.05, r.toString());
    assertTrue(r.pValue() > 0.05, r.toString());
  }

  @Test
  void randomSetsMatchPerLayerCountsAndAvoidTheTargets() {
    Set<Neuron> target = new TreeSet<>(List.of(new Neuron(0, 1), new Neuron(0, 2),
        new Neuron(1, 4)));
    List<Neuron> random = Deactivation.randomLike(target, LAYERS, NEURONS, new Random(5));
    assertEquals(2, random.stream().filter(n -> n.layer() == 0).count());
    assertEquals(1, random.stream().filter(n -> n.layer() == 1).count());
    assertTrue(random.stream().noneMatch(target::contains));
    assertEquals(random, Deactivation.randomLike(target, LAYERS, NEURONS, new Random(5)));
  }

  @Test
  void plotAndTablesRender() {
    DeactivationResult r = experiment(singleCarrier(60, 3), List.of(new Neuron(1, 5)));
    assertEquals(3, r.perClass().rowCount());
    assertEquals(1, r.summary().rowCount());
    assertEquals(2, r.plot().getSeriesMap().size());
  }
}
