package io.anw.intervention;

import io.anw.neuron.Neuron;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Grounding coefficients of a neuron set: per neuron {@code GC = Δ_audio / (Δ_audio + Δ_text)},
 * labelled {@code audio} (GC > 0.7), {@code text} (GC < 0.3) or {@code mixed}; {@code none}
 * when neither part moves the neuron (GC NaN).
 *
 * @param neurons the neurons, in table order
 * @param deltaAudio change of the statistic when the audio part is swapped, per neuron
 * @param deltaText change when the text part is swapped (0 for audio-only models)
 * @param stat activation probability or mean activation
 * @param audioOnly whether the model reads audio only (GC = 1 by construction)
 * @param note what the numbers mean for this model, one line
 */
public record GroundingResult(List<Neuron> neurons, double[] deltaAudio, double[] deltaText,
    GroundingStat stat, boolean audioOnly, String note) {
  /** GC above which a neuron is audio-grounded. */
  public static final double AUDIO_GROUNDED = 0.7;
  /** GC below which a neuron is text-grounded. */
  public static final double TEXT_GROUNDED = 0.3;
  /** The labels, in table order. */
  public static final List<String> LABELS = List.of("audio", "mixed", "text", "none");

  /** The grounding coefficient of neuron {@code i} (1 for audio-only models). */
  public double gc(int i) {
    if (audioOnly) {
      return 1.0;
    }
    double sum = deltaAudio[i] + deltaText[i];
    return sum <= 1e-12 ? Double.NaN : deltaAudio[i] / sum;
  }

  /** {@code audio}, {@code text}, {@code mixed} or {@code none}. */
  public String label(int i) {
    return labelOf(gc(i));
  }

  /** The label of a coefficient: {@code audio} (> 0.7), {@code text} (< 0.3), {@code mixed}, {@code none} (NaN). */
  public static String labelOf(double g) {
    return Double.isNaN(g) ? "none" : g > AUDIO_GROUNDED ? "audio"
        : g < TEXT_GROUNDED ? "text" : "mixed";
  }

  /** The coefficients of all neurons, in table order. */
  public double[] gc() {
    double[] g = new double[neurons.size()];
    for (int i = 0; i < g.length; i++) {
      g[i] = gc(i);
    }
    return g;
  }

  /** Columns {@code layer}, {@code neuron}, {@code delta_audio}, {@code delta_text}, {@code gc}, {@code grounding}. */
  public Table table() {
    IntColumn layer = IntColumn.create("layer");
    IntColumn neuron = IntColumn.create("neuron");
    DoubleColumn da = DoubleColumn.create("delta_audio", deltaAudio);
    DoubleColumn dt = DoubleColumn.create("delta_text", deltaText);
    DoubleColumn g = DoubleColumn.create("gc", gc());
    StringColumn label = StringColumn.create("grounding");
    for (int i = 0; i < neurons.size(); i++) {
      layer.append(neurons.get(i).layer());
      neuron.append(neurons.get(i).index());
      label.append(label(i));
    }
    return Table.create("grounding coefficient (" + stat + ")", layer, neuron, da, dt, g, label);
  }

  /** Neurons per label: {@code grounding}, {@code neurons}. */
  public Table summary() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String l : GroundingResult.LABELS) {
      counts.put(l, 0);
    }
    for (int i = 0; i < neurons.size(); i++) {
      counts.merge(label(i), 1, Integer::sum);
    }
    StringColumn label = StringColumn.create("grounding");
    IntColumn n = IntColumn.create("neurons");
    counts.forEach((k, v) -> {
      label.append(k);
      n.append(v);
    });
    return Table.create("grounding of " + io.anw.report.NumberText.count(neurons.size(), "neuron"),
        label, n);
  }

  @Override
  public String toString() {
    Table s = summary();
    StringBuilder sb = new StringBuilder("GroundingResult[").append(neurons.size())
        .append(" neurons, ").append(stat);
    for (int r = 0; r < s.rowCount(); r++) {
      sb.append(", ").append(s.stringColumn(0).get(r)).append(' ').append(s.intColumn(1).get(r));
    }
    return sb.append("; ").append(note).append(']').toString();
  }
}
