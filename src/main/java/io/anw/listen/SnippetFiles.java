package io.anw.listen;

import io.anw.AtomicFile;
import io.anw.audio.Dataset;
import io.anw.audio.WavFile;
import io.anw.model.Hooks;
import io.anw.model.AudioModel;
import io.anw.report.RichOutput;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes what to listen to for entries of a top run: per entry an excerpt and a focused WAV
 * (16-bit, the model's rate) and the spectrogram overlay PNG, under
 * {@code dir/UNIT/} as {@code top-01-excerpt.wav}, {@code top-01-focused.wav}, {@code top-01.png}
 * (quantile examples {@code q2-01-...}). Every file appears atomically.
 */
public final class SnippetFiles {
  /**
   * The files of one entry, relative to the folder written into.
   *
   * @param entry the entry
   * @param excerpt the excerpt WAV
   * @param focused the focused WAV
   * @param picture the overlay PNG
   */
  public record Assets(TopEntry entry, String excerpt, String focused, String picture) {}

  private SnippetFiles() {}

  /** The file stem of an entry: {@code top-03} or {@code q2-01}. */
  static String stem(TopEntry e) {
    return (e.quantile() > 0 ? "q" + e.quantile() : "top") + String.format("-%02d", e.rank());
  }

  /** The folder name of a unit: {@code L3.N17}. */
  public static String folder(TopUnit u) {
    return u.toString();
  }

  /**
   * Writes the assets of the top and quantile entries of every unit of {@code r} under
   * {@code dir} (one forward pass per distinct clip); returns them per entry.
   *
   * @param progress told after each unit
   */
  public static Map<TopEntry, Assets> write(TopResult r, Path dir, double contextS,
      java.util.function.IntConsumer progress) {
    AudioModel model = r.model().orElseThrow(() -> new io.anw.WorkbenchException(
        "snippets need the model of the run"));
    Dataset data = r.data().orElseThrow();
    Map<TopUnit, Double> colour = new LinkedHashMap<>();
    List<TopEntry> all = new ArrayList<>();
    for (TopUnit u : r.units()) {
      List<TopEntry> top = r.top(u);
      colour.put(u, top.isEmpty() ? 1 : Math.max(1e-6, top.get(0).activation()));
      all.addAll(top);
      all.addAll(r.quantiles(u));
    }
    return write(model, r.base(), data, all, colour, dir, contextS, progress);
  }

  /** Writes the assets of {@code entries} (see {@link #write(TopResult, Path, double, java.util.function.IntConsumer)}). */
  public static Map<TopEntry, Assets> write(AudioModel model, Hooks base, Dataset data,
      List<TopEntry> entries, Map<TopUnit, Double> colourMax, Path dir, double contextS,
      java.util.function.IntConsumer progress) {
    Map<TopEntry, Assets> out = new LinkedHashMap<>();
    // a batch of entries per 32 clips keeps memory small; one pass per distinct clip in it
    Map<Integer, List<TopEntry>> byRow = new LinkedHashMap<>();
    for (TopEntry e : entries) {
      byRow.computeIfAbsent(e.row(), x -> new ArrayList<>()).add(e);
    }
    List<TopEntry> pending = new ArrayList<>();
    int rows = 0;
    int done = 0;
    for (List<TopEntry> sameClip : byRow.values()) {
      pending.addAll(sameClip);
      if (++rows % 32 == 0) {
        done += flush(model, base, data, pending, colourMax, dir, contextS, out);
        progress.accept(done);
        pending.clear();
      }
    }
    done += flush(model, base, data, pending, colourMax, dir, contextS, out);
    progress.accept(done);
    Map<TopEntry, Assets> ordered = new LinkedHashMap<>();
    for (TopEntry e : entries) {
      ordered.put(e, out.get(e));
    }
    return ordered;
  }

  private static int flush(AudioModel model, Hooks base, Dataset data, List<TopEntry> entries,
      Map<TopUnit, Double> colourMax, Path dir, double contextS, Map<TopEntry, Assets> out) {
    if (entries.isEmpty()) {
      return 0;
    }
    for (Listening l : ClipViews.of(model, base, data, entries, colourMax, contextS)) {
      TopEntry e = l.entry();
      String unit = folder(e.unit());
      String stem = stem(e);
      String excerpt = unit + "/" + stem + "-excerpt.wav";
      String focused = unit + "/" + stem + "-focused.wav";
      String picture = unit + "/" + stem + ".png";
      AtomicFile.write(dir.resolve(excerpt), WavFile.bytes(l.excerpt()));
      AtomicFile.write(dir.resolve(focused), WavFile.bytes(l.focused()));
      AtomicFile.write(dir.resolve(picture), RichOutput.pngBytes(l.picture()));
      out.put(e, new Assets(e, excerpt, focused, picture));
    }
    return entries.size();
  }
}
