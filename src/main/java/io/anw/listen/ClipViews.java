package io.anw.listen;

import io.anw.activation.DatasetInputs;
import io.anw.audio.Dataset;
import io.anw.model.Hooks;
import io.anw.model.AudioModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Makes {@link Listening}s for entries of a top run: each clip is decoded once at the model's
 * rate and run once for all the units whose entries name it (a long recording: only the
 * {@link ClipWindow} around each chunk an entry is in); every picture of a unit uses the unit's
 * top activation as its full colour.
 */
public final class ClipViews {
  private ClipViews() {}

  /**
   * The views of {@code entries} (entries with a dataset row), in order.
   *
   * @param colourMax full colour per unit (e.g. its top activation)
   * @param contextS context either side of the token in the excerpts (s)
   */
  public static List<Listening> of(AudioModel model, Hooks base, Dataset data,
      List<TopEntry> entries, Map<TopUnit, Double> colourMax, double contextS) {
    TokenGeometry geo = TokenGeometry.of(model);
    Map<String, List<TopEntry>> byWindow = new LinkedHashMap<>();
    for (TopEntry e : entries) {
      if (e.row() < 0) {
        throw new io.anw.WorkbenchException("entry " + e + " has no dataset row; listen to"
            + " entries of a run");
      }
      // short clips: one window per clip; long recordings: one per chunk an entry is in
      byWindow.computeIfAbsent(e.row() + ":" + e.place().chunk(), r -> new ArrayList<>()).add(e);
    }
    Map<TopEntry, Listening> made = new LinkedHashMap<>();
    Map<Integer, ClipWindow> whole = new LinkedHashMap<>();
    for (List<TopEntry> group : byWindow.values()) {
      TopEntry first = group.get(0);
      Dataset.Item item = data.items().get(first.row());
      ClipWindow w = whole.get(first.row());
      if (w == null) {
        double from = Double.POSITIVE_INFINITY;
        double to = Double.NEGATIVE_INFINITY;
        for (TopEntry e : group) { // the excerpts' spans, so that the window holds them
          if (e.place().inAudio()) {
            from = Math.min(from, e.place().startS() - contextS);
            to = Math.max(to, e.place().endS() + contextS);
          }
        }
        w = from < to ? ClipWindow.around(model, data, item, first.place().chunk(), from, to)
            : ClipWindow.around(model, data, item, first.place().chunk());
        if (w.whole()) {
          whole.put(first.row(), w); // the whole clip serves every chunk
        }
      }
      Set<TopUnit> units = new LinkedHashSet<>();
      group.forEach(e -> units.add(e.unit()));
      Map<TopUnit, float[][]> maps = ActivationMaps.of(model, base, w.input(),
          DatasetInputs.itemCaptionIds(model).apply(item), units);
      for (TopEntry e : group) {
        double max = colourMax.getOrDefault(e.unit(), e.activation());
        String title = e.unit() + (e.quantile() > 0 ? " q" + e.quantile() : " #" + e.rank())
            + "  " + io.anw.report.NumberText.decimal(e.activation()) + "  " + e.label();
        TokenPlace local = w.local(e.place());
        made.put(e, new Listening(e, Snippets.excerpt(w.audio(), local, contextS),
            Snippets.focused(w.audio(), local, contextS),
            OverlayPicture.of(w.picture(), maps.get(e.unit()), geo, local, max, title,
                w.offsetS())));
      }
    }
    List<Listening> out = new ArrayList<>();
    for (TopEntry e : entries) {
      out.add(made.get(e));
    }
    return out;
  }
}
