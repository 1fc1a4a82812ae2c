package io.anw.listen;

import io.anw.audio.Dataset;
import io.anw.model.Hooks;
import io.anw.model.AudioModel;
import io.anw.report.RichOutput;
import java.util.List;
import java.util.Map;

/**
 * A unit's clips to listen to: its top clips and its quantile examples, each with players and
 * the spectrogram overlay ({@link Listening}); in a notebook, a heading and the figures.
 *
 * @param unit the unit
 * @param top its top clips, rank 1 first
 * @param quantiles examples from its activation quantiles, lowest bin first
 */
public record UnitListening(TopUnit unit, List<Listening> top, List<Listening> quantiles)
    implements RichOutput.Rich {
  /** The views of a unit's entries (one forward pass per distinct clip). */
  static UnitListening of(AudioModel model, Hooks base, Dataset data, TopUnit unit,
      List<TopEntry> top, List<TopEntry> quantiles) {
    double max = top.isEmpty() ? 1 : Math.max(1e-6, top.get(0).activation());
    Map<TopUnit, Double> colour = Map.of(unit, max);
    return new UnitListening(unit,
        ClipViews.of(model, base, data, top, colour, Snippets.CONTEXT_S),
        ClipViews.of(model, base, data, quantiles, colour, Snippets.CONTEXT_S));
  }

  @Override
  public Map<String, String> mimeBundle() {
    StringBuilder sb = new StringBuilder("<div class=\"unit\"><h4>").append(unit)
        .append(": top clips</h4>");
    top.forEach(l -> sb.append(l.html()));
    if (!quantiles.isEmpty()) {
      sb.append("<h4>").append(unit).append(": examples by activation quantile (1 = lowest)"
          + "</h4>");
      quantiles.forEach(l -> sb.append(l.html()));
    }
    return Map.of("text/html", sb.append("</div>").toString(), "text/plain", toString());
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(unit + ": " + top.size() + " top clips, "
        + quantiles.size() + " quantile examples");
    top.stream().limit(5).forEach(l -> sb.append("\n  ").append(l.entry()));
    return sb.toString();
  }
}
