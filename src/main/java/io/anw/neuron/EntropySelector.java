package io.anw.neuron;

import io.anw.activation.ActivationCounts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Selects class-specific neurons by activation-probability entropy (LAPE / AAPE), exactly as the
 * official LAPE code does, with ties and edge cases defined:
 *
 * <pre>
 *   P[l,j,c] = over_zero / n[c]            (0 for a class with n = 0, with a warning)
 *   Q[l,j,c] = P / Σ_c P                   (0 where the sum is 0)
 *   H[l,j]   = −Σ_c Q ln Q                 (0 ln 0 = 0)
 *   v_filter = k-th smallest of all P, k = round(|P| · filterRate), 1-based, clamped to [1, |P|]
 *   a neuron with no P[l,j,c] > v_filter is excluded
 *   keep the round(L·J · topRate) non-excluded neurons with the smallest H
 *        (fewer when fewer are eligible; ties broken by layer, then neuron index)
 *   v_bar    = k-th smallest of all P, k = round(|P| · activationBar)
 *   assign each kept neuron to every class c with P[l,j,c] > v_bar
 * </pre>
 *
 * {@code round} is round-half-to-even, as Python's.
 */
public final class EntropySelector {
  private EntropySelector() {}

  /** Runs the selection on {@code counts} with {@code params}. */
  public static NeuronSelection select(ActivationCounts counts, SelectionParams params) {
    int layers = counts.layers();
    int neurons = counts.neurons();
    int classes = counts.classes().size();
    List<String> warnings = new ArrayList<>();
    for (int c = 0; c < classes; c++) {
      if (counts.n(c) == 0) {
        warnings.add("class " + counts.classes().get(c)
            + " has no tokens (n = 0): its activation probabilities are 0");
      }
    }
    double[] p = counts.probabilities();
    double[] entropy = entropies(p, classes);
    double[] sorted = p.clone();
    Arrays.sort(sorted);
    double vFilter = kthSmallest(sorted, params.filterRate());
    double vBar = kthSmallest(sorted, params.activationBar());

    int total = layers * neurons;
    List<Integer> eligible = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      for (int c = 0; c < classes; c++) {
        if (p[i * classes + c] > vFilter) {
          eligible.add(i);
          break;
        }
      }
    }
    // Stable sort by entropy keeps (layer, neuron) order among ties.
    eligible.sort((a, b) -> Double.compare(entropy[a], entropy[b]));
    int quota = (int) Math.rint(total * params.topRate());
    if (eligible.size() < quota) {
      warnings.add("only " + eligible.size() + " neurons are active above v_filter; keeping all of"
          + " them instead of " + quota);
    }
    List<Integer> kept = eligible.subList(0, Math.min(quota, eligible.size()));

    List<NeuronSelection.Assignment> assignments = new ArrayList<>();
    for (int i : kept) {
      for (int c = 0; c < classes; c++) {
        if (p[i * classes + c] > vBar) {
          assignments.add(new NeuronSelection.Assignment(new Neuron(i / neurons, i % neurons),
              c, entropy[i]));
        }
      }
    }
    List<Neuron> keptNeurons = kept.stream().map(i -> new Neuron(i / neurons, i % neurons)).toList();
    return new NeuronSelection(counts, params, p, entropy, vFilter, vBar, keptNeurons, assignments,
        warnings);
  }

  /** H[l,j] = −Σ_c Q ln Q over the class axis of a flat {@code [..., classes]} array. */
  static double[] entropies(double[] p, int classes) {
    double[] h = new double[p.length / classes];
    for (int i = 0; i < h.length; i++) {
      double sum = 0;
      for (int c = 0; c < classes; c++) {
        sum += p[i * classes + c];
      }
      double e = 0;
      if (sum > 0) {
        for (int c = 0; c < classes; c++) {
          double q = p[i * classes + c] / sum;
          if (q > 0) {
            e -= q * Math.log(q);
          }
        }
      }
      h[i] = e;
    }
    return h;
  }

  /** The k-th smallest (1-based) of an ascending array, k = round-half-even(len · rate). */
  static double kthSmallest(double[] ascending, double rate) {
    long k = (long) Math.rint(ascending.length * rate);
    k = Math.max(1, Math.min(ascending.length, k));
    return ascending[(int) (k - 1)];
  }
}
