package io.anw.listen;

import io.anw.WorkbenchException;
import io.anw.audio.Dataset;
import io.anw.model.Hooks;
import io.anw.model.AudioModel;
import io.anw.report.NumberText;
import io.anw.report.RichOutput;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * What drives each unit: its top clips (the clip's maximum activation and where it is, rank 1 =
 * highest) and examples from each activation quantile of a uniform sample of clips (what weak
 * activations respond to). Prints a per-unit summary; {@link #table()} and
 * {@link #quantileTable()} are {@code top.csv} and {@code quantiles.csv}; {@link #show} lays out a
 * unit's clips with players and spectrogram overlays (needs the model and data of the run).
 */
public final class TopResult implements RichOutput.Rich {
  /** Columns of {@code top.csv}. */
  public static final List<String> COLUMNS = List.of("layer", "neuron", "rank", "file_name",
      "label", "activation", "chunk", "token", "start_s", "end_s", "freq_lo_hz", "freq_hi_hz");

  private final AudioModel model; // null when read from files
  private final Hooks base;
  private final Dataset data; // null when read from files
  private final List<TopUnit> units;
  private final Map<TopUnit, List<TopEntry>> top;
  private final Map<TopUnit, List<TopEntry>> quantiles;
  private final Map<String, String> provenance;
  private final List<String> warnings;

  TopResult(AudioModel model, Hooks base, Dataset data, List<TopUnit> units,
      Map<TopUnit, List<TopEntry>> top, Map<TopUnit, List<TopEntry>> quantiles,
      Map<String, String> provenance, List<String> warnings) {
    this.model = model;
    this.base = base;
    this.data = data;
    this.units = List.copyOf(units);
    this.top = top;
    this.quantiles = quantiles;
    this.provenance = Map.copyOf(provenance);
    this.warnings = List.copyOf(warnings);
  }

  /** The result of a pass: entries with their places, quantile examples, warnings. */
  static TopResult of(AudioModel model, Dataset data, TopTargets targets, TopRun.Options opt,
      TopState st, Map<String, String> provenance) {
    TokenGeometry geo = TokenGeometry.of(model);
    Path root = commonFolder(data);
    Map<TopUnit, List<TopEntry>> top = new LinkedHashMap<>();
    Map<TopUnit, List<TopEntry>> quant = new LinkedHashMap<>();
    List<String> silent = new ArrayList<>();
    for (int u = 0; u < targets.size(); u++) {
      TopUnit unit = targets.units().get(u);
      List<TopEntry> entries = new ArrayList<>();
      int rank = 1;
      for (TopState.Hit h : st.top(u)) {
        entries.add(entry(unit, 0, rank++, h, data, root, geo));
      }
      top.put(unit, entries);
      if (!entries.isEmpty() && entries.get(0).activation() <= 0) {
        silent.add(unit.toString());
      }
      List<TopEntry> q = new ArrayList<>();
      List<TopState.Hit> sampled = st.sampled(u);
      int n = sampled.size();
      for (int bin = 0; bin < opt.quantiles() && n > 0; bin++) {
        int lo = bin * n / opt.quantiles();
        int hi = (bin + 1) * n / opt.quantiles();
        int size = hi - lo;
        int take = Math.min(opt.perQuantile(), size);
        for (int j = 0; j < take; j++) {
          int at = lo + (int) ((j + 0.5) * size / take);
          q.add(entry(unit, bin + 1, j + 1, sampled.get(at), data, root, geo));
        }
      }
      quant.put(unit, q);
    }
    List<String> warnings = new ArrayList<>();
    if (!silent.isEmpty()) {
      warnings.add(NumberText.count(silent.size(), "unit") + " never above 0 on any clip (their"
          + " top clips are their least negative): " + abbreviate(silent));
    }
    if (st.clips < opt.k()) {
      warnings.add("only " + NumberText.count(st.clips, "clip") + " read: fewer than k = "
          + opt.k() + " per unit");
    }
    return new TopResult(model, targets.base(), data, targets.units(), top, quant, provenance,
        warnings);
  }

  private static String abbreviate(List<String> names) {
    return names.size() <= 8 ? String.join(", ", names)
        : String.join(", ", names.subList(0, 8)) + ", ... " + (names.size() - 8) + " more";
  }

  private static TopEntry entry(TopUnit unit, int quantile, int rank, TopState.Hit h,
      Dataset data, Path root, TokenGeometry geo) {
    Dataset.Item it = data.items().get(h.row());
    double seconds = data.samplesOf(it) / (double) data.options().sampleRate();
    TokenPlace place = geo.place(h.chunk(), h.token(), h.timePatches(), seconds);
    String name = root == null ? it.file().toString()
        : root.relativize(it.file().toAbsolutePath().normalize()).toString();
    return new TopEntry(unit, quantile, rank, h.row(), it.file(), name, it.label(), h.act(),
        place);
  }

  /** The folder all of a dataset's files are under (null if none). */
  static Path commonFolder(Dataset data) {
    Path common = null;
    for (Dataset.Item it : data.items()) {
      Path dir = it.file().toAbsolutePath().normalize().getParent();
      if (common == null) {
        common = dir;
      } else {
        while (common != null && !dir.startsWith(common)) {
          common = common.getParent();
        }
      }
    }
    return common;
  }

  /** The units ranked, in order. */
  public List<TopUnit> units() {
    return units;
  }

  /** A unit by name ({@code L3.N17}, {@code L3.F17}) or {@code layer:index}. */
  public TopUnit unit(String name) {
    String s = name.strip();
    for (TopUnit u : units) {
      if (u.toString().equalsIgnoreCase(s) || (u.layer() + ":" + u.index()).equals(s)) {
        return u;
      }
    }
    throw new WorkbenchException("no unit " + name + " in this result (units: "
        + abbreviate(units.stream().map(TopUnit::toString).toList()) + ")");
  }

  /** The top clips of {@code unit}, rank 1 first. */
  public List<TopEntry> top(TopUnit unit) {
    List<TopEntry> e = top.get(unit);
    if (e == null) {
      throw new WorkbenchException("no unit " + unit + " in this result");
    }
    return e;
  }

  /** The top clips of the unit called {@code name}. */
  public List<TopEntry> top(String name) {
    return top(unit(name));
  }

  /** The quantile examples of {@code unit}, lowest bin first. */
  public List<TopEntry> quantiles(TopUnit unit) {
    return quantiles.getOrDefault(unit, List.of());
  }

  /** Where the result comes from: model, weights hash, data, hook, settings. */
  public Map<String, String> provenance() {
    return provenance;
  }

  /** Degenerate results worth knowing (units never above 0, too few clips). */
  public List<String> warnings() {
    return warnings;
  }

  /** The model of the run (empty when read from files). */
  public java.util.Optional<AudioModel> model() {
    return java.util.Optional.ofNullable(model);
  }

  /** The data of the run (empty when read from files). */
  public java.util.Optional<Dataset> data() {
    return java.util.Optional.ofNullable(data);
  }

  /** Hooks the units need (an SAE splice), for re-running clips. */
  public Hooks base() {
    return base;
  }

  /** {@code top.csv} as a table: one row per unit × rank. */
  public Table table() {
    return table("top", top, false);
  }

  /** {@code quantiles.csv} as a table: one row per unit × quantile × example. */
  public Table quantileTable() {
    return table("quantiles", quantiles, true);
  }

  private Table table(String name, Map<TopUnit, List<TopEntry>> entries, boolean withQuantile) {
    IntColumn layer = IntColumn.create("layer");
    IntColumn neuron = IntColumn.create("neuron");
    IntColumn quantile = IntColumn.create("quantile");
    IntColumn rank = IntColumn.create("rank");
    StringColumn file = StringColumn.create("file_name");
    StringColumn label = StringColumn.create("label");
    DoubleColumn act = DoubleColumn.create("activation");
    IntColumn chunk = IntColumn.create("chunk");
    IntColumn token = IntColumn.create("token");
    DoubleColumn start = DoubleColumn.create("start_s");
    DoubleColumn end = DoubleColumn.create("end_s");
    DoubleColumn lo = DoubleColumn.create("freq_lo_hz");
    DoubleColumn hi = DoubleColumn.create("freq_hi_hz");
    for (TopUnit u : units) {
      for (TopEntry e : entries.getOrDefault(u, List.of())) {
        layer.append(u.layer());
        neuron.append(u.index());
        quantile.append(e.quantile());
        rank.append(e.rank());
        file.append(e.fileName());
        label.append(e.label());
        act.append(round(e.activation(), 6));
        chunk.append(e.place().chunk());
        token.append(e.place().token());
        start.append(round(e.place().startS(), 3));
        end.append(round(e.place().endS(), 3));
        lo.append(round(e.place().freqLoHz(), 1));
        hi.append(round(e.place().freqHiHz(), 1));
      }
    }
    Table t = Table.create(name, layer, neuron);
    if (withQuantile) {
      t.addColumns(quantile);
    }
    t.addColumns(rank, file, label, act, chunk, token, start, end, lo, hi);
    return t;
  }

  private static double round(double v, int digits) {
    if (!Double.isFinite(v)) {
      return v;
    }
    return new java.math.BigDecimal(v).setScale(digits, java.math.RoundingMode.HALF_EVEN)
        .doubleValue();
  }

  /** Writes {@code top.csv}, {@code quantiles.csv} and {@code top.json} (provenance) under {@code dir}. */
  public List<Path> save(Path dir) {
    return TopFiles.write(this, dir);
  }

  /**
   * A unit's clips laid out to listen to: for each top clip (and quantile example) the excerpt
   * and focused players and the spectrogram with the unit's activation over the token grid.
   *
   * @throws WorkbenchException for a result read from files (no model to re-run)
   */
  public UnitListening show(TopUnit unit) {
    if (model == null || data == null) {
      throw new WorkbenchException("this result was read from files; run top again (or give"
          + " the model and data) to listen");
    }
    return UnitListening.of(model, base, data, unit, top(unit), quantiles(unit));
  }

  /** {@link #show(TopUnit)} of the unit called {@code name} ({@code L3.N17}). */
  public UnitListening show(String name) {
    return show(unit(name));
  }

  /**
   * One of this result's entries to listen to: excerpt, focused version and overlay (the unit's
   * top activation as full colour).
   */
  public Listening listen(TopEntry entry) {
    if (model == null || data == null) {
      throw new WorkbenchException("this result was read from files; run top again to listen");
    }
    List<TopEntry> t = top(entry.unit());
    double max = t.isEmpty() ? 1 : Math.max(1e-6, t.get(0).activation());
    return ClipViews.of(model, base, data, List.of(entry), Map.of(entry.unit(), max),
        Snippets.CONTEXT_S).get(0);
  }

  /** A summary line per unit (at most 20): its best clip and where it fires. */
  public Table summary() {
    StringColumn unit = StringColumn.create("unit");
    DoubleColumn best = DoubleColumn.create("top_activation");
    StringColumn file = StringColumn.create("top_clip");
    StringColumn label = StringColumn.create("label");
    StringColumn where = StringColumn.create("where");
    StringColumn labels = StringColumn.create("top_labels");
    for (TopUnit u : units) {
      List<TopEntry> e = top.get(u);
      if (e.isEmpty()) {
        continue;
      }
      TopEntry first = e.get(0);
      unit.append(u.toString());
      best.append(round(first.activation(), 4));
      file.append(shorten(first.fileName(), 28));
      label.append(first.label());
      where.append(first.place().inAudio() ? String.format(Locale.ROOT, "%.2f-%.2f s %.0f-%.0f Hz",
          first.place().startS(), first.place().endS(), first.place().freqLoHz(),
          first.place().freqHiHz()) : first.place().label());
      labels.append(labelCounts(e));
    }
    return Table.create("top clips per unit", unit, best, file, label, where, labels);
  }

  /** The labels of a unit's top clips with counts, most frequent first: {@code piano 12, organ 3}. */
  static String labelCounts(List<TopEntry> entries) {
    Map<String, Integer> n = new LinkedHashMap<>();
    for (TopEntry e : entries) {
      n.merge(e.label(), 1, Integer::sum);
    }
    return n.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue())
        .limit(3).map(x -> x.getKey() + " " + x.getValue())
        .reduce((a, b) -> a + ", " + b).orElse("");
  }

  private static String shorten(String s, int max) {
    return s.length() <= max ? s : "..." + s.substring(s.length() - max + 3);
  }

  @Override
  public Map<String, String> mimeBundle() {
    Table s = summary();
    return Map.of("text/html", "<p>" + RichOutput.escape(headline()) + "</p>"
        + RichOutput.tableHtml(s, RichOutput.MAX_ROWS) + warningsHtml(), "text/plain",
        toString());
  }

  private String warningsHtml() {
    StringBuilder sb = new StringBuilder();
    for (String w : warnings) {
      sb.append("<p class=\"warning\">warning: ").append(RichOutput.escape(w)).append("</p>");
    }
    return sb.toString();
  }

  private String headline() {
    int k = units.isEmpty() ? 0 : top.get(units.get(0)).size();
    return "top " + k + " clips of " + NumberText.count(units.size(), "unit") + " at "
        + provenance.getOrDefault("hook", "?") + " over " + provenance.getOrDefault("clips", "?")
        + " clips of " + provenance.getOrDefault("data", "?") + " (" + provenance.getOrDefault(
        "tokens", "?") + " tokens)";
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(headline()).append('\n');
    Table s = summary();
    sb.append(io.anw.report.TableText.render(s.rowCount() > 20 ? s.first(20) : s));
    if (s.rowCount() > 20) {
      sb.append("\n... ").append(s.rowCount() - 20).append(" more units");
    }
    for (String w : warnings) {
      sb.append("\nwarning: ").append(w);
    }
    return sb.toString();
  }
}
