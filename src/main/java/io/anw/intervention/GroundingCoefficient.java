package io.anw.intervention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.anw.GradMode;
import io.anw.WorkbenchException;
import io.anw.model.ActivationCache;
import io.anw.model.UnitSpace;
import io.anw.model.Model;
import io.anw.model.PartedInput;
import io.anw.model.TokenGroup;
import ai.djl.ndarray.index.NDIndex;
import io.anw.neuron.Neuron;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * The grounding coefficient of neurons of a model with audio and text inputs: run the four
 * combinations of the audio and text parts of two conditions A and B, and per neuron take
 * {@code Δ_audio} = the change of its statistic when only the audio part goes from A to B
 * (averaged over the text of A and of B), {@code Δ_text} likewise for the text part;
 * {@code GC = Δ_audio / (Δ_audio + Δ_text)}. Other input parts stay as in condition A.
 *
 * <p>For audio-only models (M2D) the coefficient is 1 by construction: the result says so, and
 * still reports {@code Δ_audio} from the two conditions.
 */
public final class GroundingCoefficient {
  private GroundingCoefficient() {}

  /** Audio-only model: GC = 1 by construction, with Δ_audio between two log-mels. */
  public static GroundingResult compute(Model model, Collection<Neuron> neurons, NDArray audioA,
      NDArray audioB, GroundingStat stat) {
    return compute(model, neurons, PartedInput.audio(audioA), PartedInput.audio(audioB), stat);
  }

  /**
   * Grounding coefficients of a neuron set between two conditions.
   *
   * @param a condition A, parts as {@link Model#inputParts()}
   * @param b condition B, the same parts and shapes
   * @param stat activation probability (share of tokens > 0) or mean activation
   */
  public static GroundingResult compute(Model model, Collection<Neuron> neurons, PartedInput a,
      PartedInput b, GroundingStat stat) {
    return compute(model, neurons, a, b, stat, TokenGroup.ALL);
  }

  /**
   * Grounding coefficients with the statistic read only at the tokens of {@code tokens} in
   * every chunk (e.g. at the caption tokens, for neurons selected from counts over them).
   */
  public static GroundingResult compute(Model model, Collection<Neuron> neurons, PartedInput a,
      PartedInput b, GroundingStat stat, TokenGroup tokens) {
    return compute(model, UnitSpace.neurons(model), neurons, a, b, stat, tokens);
  }

  /**
   * Grounding coefficients of units of {@code units} (e.g. an SAE's features, the SAE spliced
   * in at its hook in all four runs).
   */
  public static GroundingResult compute(Model model, UnitSpace units, Collection<Neuron> neurons,
      PartedInput a, PartedInput b, GroundingStat stat, TokenGroup tokens) {
    GradMode.disableOnCurrentThread();
    List<Neuron> set = new ArrayList<>(new TreeSet<>(neurons));
    if (set.isEmpty()) {
      throw new WorkbenchException("grounding coefficient: no " + units.kind() + "s given");
    }
    for (Neuron n : set) {
      if (n.layer() < 0 || n.layer() >= units.layers() || n.index() < 0
          || n.index() >= units.units()) {
        throw new WorkbenchException(units.kind() + " " + n + " is outside " + units);
      }
    }
    a.requireParts(model.inputParts(), model.name());
    TokenLayout.requireSame(a, b);
    String[] names = set.stream().map(n -> units.point(n.layer())).distinct()
        .toArray(String[]::new);
    String audio = PartedInput.AUDIO;
    String text = PartedInput.TEXT;
    if (!model.inputParts().contains(text)) {
      double[] sa = stats(model, units, a, set, names, stat, tokens);
      double[] sb = stats(model, units, b, set, names, stat, tokens);
      double[] da = new double[set.size()];
      for (int i = 0; i < da.length; i++) {
        da[i] = Math.abs(sb[i] - sa[i]);
      }
      return new GroundingResult(set, da, new double[set.size()], stat, true, model.name()
          + " reads only audio (parts " + model.inputParts() + "): GC = 1 by construction");
    }
    if (!model.inputParts().contains(audio)) {
      throw new WorkbenchException("grounding needs the input parts audio and text; "
          + model.name() + " reads " + model.inputParts());
    }
    PartedInput aBtA = a.with(audio, b.part(audio));
    PartedInput aAtB = a.with(text, b.part(text));
    PartedInput aBtB = aBtA.with(text, b.part(text));
    double[] s00 = stats(model, units, a, set, names, stat, tokens);
    double[] s10 = stats(model, units, aBtA, set, names, stat, tokens);
    double[] s01 = stats(model, units, aAtB, set, names, stat, tokens);
    double[] s11 = stats(model, units, aBtB, set, names, stat, tokens);
    double[] da = new double[set.size()];
    double[] dt = new double[set.size()];
    for (int i = 0; i < da.length; i++) {
      da[i] = (Math.abs(s10[i] - s00[i]) + Math.abs(s11[i] - s01[i])) / 2;
      dt[i] = (Math.abs(s01[i] - s00[i]) + Math.abs(s11[i] - s10[i])) / 2;
    }
    return new GroundingResult(set, da, dt, stat, false, "audio part, then text part, swapped"
        + " between conditions A and B; Δ = change of " + stat + " at " + tokens
        + " tokens, averaged over the other part");
  }

  /** The statistic of each neuron over all examples, chunks and the group's tokens of one run. */
  private static double[] stats(Model model, UnitSpace units, PartedInput input,
      List<Neuron> set, String[] names, GroundingStat stat, TokenGroup tokens) {
    double[] out = new double[set.size()];
    try (ActivationCache cache = model.run(input, units.base(), names)) {
      for (String name : names) {
        double[] sum = null;
        long count = 0;
        for (int c = 0; c < cache.chunks(); c++) {
          NDArray x = cache.get(name, c);
          int[] r = model.tokenRange(tokens, cache.output().plan().chunks().get(c),
              x.getShape().get(1));
          NDArray part = x.get(new NDIndex(":, {}:{}, :", r[0], r[1]));
          NDArray v = stat == GroundingStat.PROBABILITY
              ? part.gt(0f).toType(DataType.FLOAT32, false) : part;
          float[] s = v.sum(new int[] {0, 1}).toFloatArray();
          if (sum == null) {
            sum = new double[s.length];
          }
          for (int j = 0; j < s.length; j++) {
            sum[j] += s[j];
          }
          count += part.getShape().get(0) * part.getShape().get(1);
        }
        float[] per = new float[sum.length];
        for (int j = 0; j < per.length; j++) {
          per[j] = (float) (sum[j] / Math.max(1, count));
        }
        for (int i = 0; i < set.size(); i++) {
          if (units.point(set.get(i).layer()).equals(name)) {
            out[i] = per[set.get(i).index()];
          }
        }
      }
    }
    return out;
  }
}
