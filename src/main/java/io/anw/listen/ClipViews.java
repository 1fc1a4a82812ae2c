package io.anw.listen;

import io.anw.activation.DatasetInputs;
import io.anw.audio.Clip;
import io.anw.audio.Dataset;
import io.anw.audio.LogMel;
import io.anw.model.Hooks;
import io.anw.model.M2dViT;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Makes {@link Listening}s for entries of a top run: each clip is decoded once at the model's
 * rate and run once for all the units whose entries name it; every picture of a unit uses the
 * unit's top activation as its full colour.
 */
public final class ClipViews {
  private ClipViews() {}

  /**
   * The views of {@code entries} (entries with a dataset row), in order.
   *
   * @param colourMax full colour per unit (e.g. its top activation)
   * @param contextS context either side of the token in the excerpts (s)
   */
  public static List<Listening> of(M2dViT model, Hooks base, Dataset data,
      List<TopEntry> entries, Map<TopUnit, Double> colourMax, double contextS) {
    PatchGeometry geo = PatchGeometry.of(model);
    LogMel front = new LogMel(model.preset());
    Map<Integer, List<TopEntry>> byRow = new LinkedHashMap<>();
    for (TopEntry e : entries) {
      if (e.row() < 0) {
        throw new io.anw.WorkbenchException("entry " + e + " has no dataset row; listen to"
            + " entries of a run");
      }
      byRow.computeIfAbsent(e.row(), r -> new ArrayList<>()).add(e);
    }
    Map<TopEntry, Listening> made = new LinkedHashMap<>();
    for (Map.Entry<Integer, List<TopEntry>> r : byRow.entrySet()) {
      Dataset.Item item = data.items().get(r.getKey());
      Clip clip;
      try (var in = data.openAudio(item, model.preset().sampleRate())) {
        clip = in.readClip();
      }
      Set<TopUnit> units = new LinkedHashSet<>();
      r.getValue().forEach(e -> units.add(e.unit()));
      Map<TopUnit, float[][]> maps = ActivationMaps.of(model, base, clip,
          DatasetInputs.itemCaptionIds(model).apply(item), units);
      float[][] logMel = front.compute(clip);
      for (TopEntry e : r.getValue()) {
        double max = colourMax.getOrDefault(e.unit(), e.activation());
        String title = e.unit() + (e.quantile() > 0 ? " q" + e.quantile() : " #" + e.rank())
            + "  " + io.anw.report.NumberText.decimal(e.activation()) + "  " + e.label();
        made.put(e, new Listening(e, Snippets.excerpt(clip, e.place(), contextS),
            Snippets.focused(clip, e.place(), contextS),
            OverlayPicture.of(logMel, maps.get(e.unit()), geo, e.place(), max, title)));
      }
    }
    List<Listening> out = new ArrayList<>();
    for (TopEntry e : entries) {
      out.add(made.get(e));
    }
    return out;
  }
}
