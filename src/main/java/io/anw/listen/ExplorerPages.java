package io.anw.listen;

import io.anw.AtomicFile;
import io.anw.activation.ActivationCounts;
import io.anw.audio.Dataset;
import io.anw.model.AudioModel;
import io.anw.neuron.Neuron;
import io.anw.report.NumberText;
import io.anw.report.Plots;
import io.anw.report.PlotStyle;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/** The HTML pages of the {@link Explorer}: the index and one page per unit. */
final class ExplorerPages {
  private static final int MAX_CHIPS = 24;

  private final AudioModel model;
  private final Dataset data;
  private final Explorer.Inputs in;
  private final TopResult top;
  private final Map<TopUnit, Neuron> selected;
  private final Map<TopEntry, SnippetFiles.Assets> assets;
  private final Explorer.Options opt;
  private final Map<Neuron, TopUnit> pageOf = new LinkedHashMap<>();
  private final List<String> ablationFigures = new ArrayList<>();
  private final List<String> groundingFigures = new ArrayList<>();

  ExplorerPages(AudioModel model, Dataset data, Explorer.Inputs in, TopResult top,
      Map<TopUnit, Neuron> selected, Map<TopEntry, SnippetFiles.Assets> assets,
      Explorer.Options opt) {
    this.model = model;
    this.data = data;
    this.in = in;
    this.top = top;
    this.selected = selected;
    this.assets = assets;
    this.opt = opt;
    selected.forEach((u, n) -> pageOf.put(n, u));
  }

  /** Writes the assets, figures and pages under {@code dir}. */
  void write(Path dir) throws IOException {
    resource("explorer.css", dir.resolve("assets/explorer.css"));
    resource("explorer.js", dir.resolve("assets/explorer.js"));
    Plots.savePng(layerChart(), dir.resolve("figures/layers.png"));
    if (in.ablation() != null) {
      for (Path p : in.ablation().figures()) {
        String name = "figures/ablation-" + p.getFileName();
        Explorer.copy(p, dir.resolve(name));
        ablationFigures.add(name);
      }
    }
    if (in.grounding() != null) {
      for (Path p : in.grounding().figures()) {
        String name = "figures/grounding-" + p.getFileName();
        Explorer.copy(p, dir.resolve(name));
        groundingFigures.add(name);
      }
    }
    AtomicFile.write(dir.resolve("index.html"), index().getBytes(StandardCharsets.UTF_8));
    List<TopUnit> units = top.units();
    for (int i = 0; i < units.size(); i++) {
      TopUnit prev = i > 0 ? units.get(i - 1) : null;
      TopUnit next = i + 1 < units.size() ? units.get(i + 1) : null;
      AtomicFile.write(dir.resolve("units/" + page(units.get(i))),
          unitPage(units.get(i), prev, next).getBytes(StandardCharsets.UTF_8));
    }
  }

  private static void resource(String name, Path to) throws IOException {
    try (InputStream s = ExplorerPages.class.getResourceAsStream(name)) {
      if (s == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      AtomicFile.write(to, s.readAllBytes());
    }
  }

  static String page(TopUnit u) {
    return u + ".html";
  }

  private static String esc(String s) {
    return io.anw.report.RichOutput.escape(s);
  }

  private String kind() {
    return in.sae() == null ? "neuron" : "feature";
  }

  private String head(String title, String prefix) {
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + "<title>" + esc(title) + "</title><link rel=\"stylesheet\" href=\"" + prefix
        + "assets/explorer.css\"></head><body>\n";
  }

  private String provenanceLine() {
    Map<String, String> p = top.provenance();
    return "<p class=\"prov\">model " + esc(p.getOrDefault("model", "?")) + " (weights sha256 "
        + esc(p.getOrDefault("weights_sha256", "?").substring(0, Math.min(12,
            p.getOrDefault("weights_sha256", "?").length()))) + "…) · data "
        + esc(p.getOrDefault("data", "?")) + " (" + esc(p.getOrDefault("clips", "?"))
        + " clips) · " + esc(p.getOrDefault("hook", "?")) + " · max over "
        + esc(p.getOrDefault("tokens", "?")) + " tokens · selection "
        + esc(in.selection().file().getFileName().toString())
        + (in.sae() != null ? " · SAE " + esc(in.provenance().getOrDefault(
            io.anw.activation.CountsProvenance.SAE, "")) : "")
        + " · workbench " + esc(p.getOrDefault("workbench", "?")) + "</p>\n";
  }

  private CategoryChart layerChart() {
    int layers = in.sae() == null ? model.layers() : 1;
    List<String> x = new ArrayList<>();
    List<Double> all = new ArrayList<>();
    List<Double> shown = new ArrayList<>();
    for (int l = 0; l < layers; l++) {
      int layer = in.sae() == null ? l : top.units().get(0).layer();
      x.add(Integer.toString(layer));
      int nAll = 0;
      for (Neuron n : in.selection().units()) {
        if (in.sae() == null ? n.layer() == l : true) {
          nAll++;
        }
      }
      long nShown = top.units().stream().filter(u -> u.layer() == layer).count();
      all.add((double) nAll);
      shown.add((double) nShown);
    }
    CategoryChart c = new CategoryChartBuilder().width(640).height(300)
        .title(kind() + "s per layer").xAxisTitle("layer").yAxisTitle(kind() + "s").build();
    c.addSeries("selected", x, all);
    c.addSeries("with a page", x, shown);
    PlotStyle.apply(c);
    c.getStyler().setOverlapped(true);
    return c;
  }

  private String index() {
    StringBuilder sb = new StringBuilder(head("Explorer: " + model.name() + " on "
        + data.name(), ""));
    sb.append("<h1>What do these ").append(kind()).append("s listen to? <small>")
        .append(esc(model.name())).append(" on ").append(esc(data.name()))
        .append("</small></h1>\n");
    sb.append(provenanceLine());
    List<Neuron> kept = new ArrayList<>(selected.values());
    int total = in.selection().units().size();
    sb.append("<p>").append(NumberText.count(total, kind())).append(" selected in ")
        .append(NumberText.count(in.selection().byClass().size(), "class")).append("; ")
        .append(top.units().size()).append(" with a page")
        .append(opt.unitsPerClass() > 0 && top.units().size() < total ? " (at most "
            + opt.unitsPerClass() + " per class, lowest AAPE entropy first)" : "")
        .append(". Each page plays the ").append(opt.k()).append(" clips that drive the ")
        .append(kind()).append(" most, where in time and frequency, and clips from its weaker"
            + " activation quantiles.</p>\n");
    for (String w : top.warnings()) {
      sb.append("<p class=\"warning\">").append(esc(w)).append("</p>\n");
    }
    sb.append("<h2 id=\"classes\">Classes</h2>\n<div class=\"classes\">\n");
    Map<String, Integer> missing = Explorer.leftOut(in.selection(), kept);
    for (Map.Entry<String, List<Neuron>> e : in.selection().byClass().entrySet()) {
      sb.append("<div class=\"class\" id=\"class-").append(anchor(e.getKey())).append("\"><h3>")
          .append(esc(e.getKey())).append(" <span class=\"muted\">")
          .append(NumberText.count(e.getValue().size(), kind())).append("</span></h3>");
      for (Neuron n : e.getValue()) {
        TopUnit u = pageOf.get(n);
        if (u != null) {
          boolean shared = in.selection().classesOf().get(n).size() > 1;
          sb.append("<a class=\"chip").append(shared ? " shared" : "").append("\" href=\"units/")
              .append(page(u)).append("\" title=\"").append(esc(String.join(", ",
                  in.selection().classesOf().get(n)))).append("\">").append(u).append("</a>");
        }
      }
      int left = missing.getOrDefault(e.getKey(), 0);
      if (left > 0) {
        sb.append(" <span class=\"muted\">+").append(left).append(" more without a page</span>");
      }
      sb.append("</div>\n");
    }
    sb.append("</div>\n<p class=\"muted\">A red outline marks a ").append(kind())
        .append(" shared by several classes.</p>\n");
    sb.append("<h2>").append(capital(kind())).append("s per layer</h2>\n<img class=\"figure\" "
        + "src=\"figures/layers.png\" alt=\"units per layer\">\n");
    if (in.ablation() != null) {
      sb.append("<h2>Deactivation</h2>\n").append(resultTable(in.ablation(), "summary.csv",
          null, null));
      for (String f : ablationFigures) {
        sb.append("<img class=\"figure\" src=\"").append(f).append("\" alt=\"deactivation\">");
      }
    }
    sb.append("<h2>All ").append(kind()).append("s</h2>\n<p><input id=\"filter\" type=\"search\" "
        + "placeholder=\"filter: class:piano layer:3 aape&lt;1.5 or any text\"> <span id=\"count\" "
        + "class=\"muted\"></span></p>\n");
    boolean gc = in.grounding() != null;
    sb.append("<table id=\"units\"><thead><tr><th>").append(kind()).append("</th>"
        + "<th class=\"num\">layer</th><th class=\"num\">index</th><th>classes</th>"
        + "<th class=\"num\">AAPE entropy</th><th class=\"num\">top activation</th>"
        + "<th>labels of its top clips</th>").append(gc ? "<th class=\"num\">GC</th>" : "")
        .append("</tr></thead><tbody>\n");
    for (TopUnit u : top.units()) {
      Neuron n = selected.get(u);
      List<String> classes = in.selection().classesOf().get(n);
      double h = in.selection().entropy().get(n);
      List<TopEntry> t = top.top(u);
      double act = t.isEmpty() ? Double.NaN : t.get(0).activation();
      double g = gc ? meanGc(u, n) : Double.NaN;
      sb.append("<tr data-class=\"").append(esc(String.join(" ", classes).toLowerCase(Locale.ROOT)))
          .append("\" data-layer=\"").append(u.layer()).append("\" data-aape=\"")
          .append(Double.isNaN(h) ? "" : h).append("\" data-act=\"").append(act)
          .append("\" data-gc=\"").append(Double.isNaN(g) ? "" : g).append("\">")
          .append("<td><a href=\"units/").append(page(u)).append("\">").append(u)
          .append("</a></td><td class=\"num\">").append(u.layer())
          .append("</td><td class=\"num\">").append(u.index()).append("</td><td>");
      for (String c : classes) {
        sb.append("<a href=\"#class-").append(anchor(c)).append("\">").append(esc(c))
            .append("</a> ");
      }
      sb.append("</td><td class=\"num\" data-v=\"").append(Double.isNaN(h) ? "" : h)
          .append("\">").append(Double.isNaN(h) ? "" : NumberText.fixed(h, 3))
          .append("</td><td class=\"num\" data-v=\"").append(act).append("\">")
          .append(NumberText.decimal(act)).append("</td><td>")
          .append(esc(TopResult.labelCounts(t))).append("</td>");
      if (gc) {
        sb.append("<td class=\"num\" data-v=\"").append(Double.isNaN(g) ? "" : g).append("\">")
            .append(Double.isNaN(g) ? "" : NumberText.fixed(g, 3)).append("</td>");
      }
      sb.append("</tr>\n");
    }
    sb.append("</tbody></table>\n");
    sb.append("<script src=\"assets/explorer.js\"></script>\n</body></html>\n");
    return sb.toString();
  }

  private static String capital(String s) {
    return s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
  }

  static String anchor(String cls) {
    return cls.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]+", "-");
  }

  private List<Map<String, String>> groundingRows(TopUnit u, Neuron n) {
    List<Map<String, String>> out = new ArrayList<>();
    if (in.grounding() == null) {
      return out;
    }
    for (Map<String, String> r : in.grounding().rows("grounding.csv")) {
      try {
        int layer = Integer.parseInt(r.getOrDefault("layer", "-1").strip());
        int index = Integer.parseInt(r.getOrDefault("neuron", "-1").strip());
        if (index == u.index() && (layer == u.layer() || layer == n.layer())) {
          out.add(r);
        }
      } catch (NumberFormatException e) {
        // not a unit row
      }
    }
    return out;
  }

  private double meanGc(TopUnit u, Neuron n) {
    double sum = 0;
    int k = 0;
    for (Map<String, String> r : groundingRows(u, n)) {
      try {
        double g = Double.parseDouble(r.getOrDefault("gc", "NaN"));
        if (!Double.isNaN(g)) {
          sum += g;
          k++;
        }
      } catch (NumberFormatException e) {
        // skip
      }
    }
    return k == 0 ? Double.NaN : sum / k;
  }

  /** A CSV of a result folder as an HTML table, optionally only rows whose {@code key} is in {@code keep}. */
  private static String resultTable(ResultTables t, String table, String key, Set<String> keep) {
    List<String> header = t.header(table);
    if (header.isEmpty()) {
      return "<p class=\"muted\">(no " + esc(table) + ")</p>";
    }
    StringBuilder sb = new StringBuilder("<table><thead><tr>");
    for (String h : header) {
      sb.append("<th>").append(esc(h)).append("</th>");
    }
    sb.append("</tr></thead><tbody>");
    int shown = 0;
    for (Map<String, String> r : t.rows(table)) {
      if (key != null && !keep.contains(r.getOrDefault(key, ""))) {
        continue;
      }
      shown++;
      sb.append("<tr>");
      for (String h : header) {
        String v = r.getOrDefault(h.strip(), "");
        String shownValue = v;
        try {
          double d = Double.parseDouble(v);
          if (!v.matches("-?\\d+")) {
            shownValue = NumberText.decimal(d);
          }
        } catch (NumberFormatException e) {
          // text
        }
        sb.append("<td>").append(esc(shownValue)).append("</td>");
      }
      sb.append("</tr>");
    }
    sb.append("</tbody></table>");
    return shown == 0 ? "<p class=\"muted\">(no rows for this unit's classes)</p>"
        : sb.toString();
  }

  private String unitPage(TopUnit u, TopUnit prev, TopUnit next) {
    Neuron n = selected.get(u);
    List<String> classes = in.selection().classesOf().get(n);
    double h = in.selection().entropy().get(n);
    StringBuilder sb = new StringBuilder(head(u + " - explorer", "../"));
    sb.append("<nav><a href=\"../index.html\">all ").append(kind()).append("s</a>");
    if (prev != null) {
      sb.append(" · <a href=\"").append(page(prev)).append("\">← ").append(prev).append("</a>");
    }
    if (next != null) {
      sb.append(" · <a href=\"").append(page(next)).append("\">").append(next).append(" →</a>");
    }
    sb.append("</nav>\n<h1>").append(u).append(" <small>").append(kind()).append(' ')
        .append(u.index()).append(" of ").append(esc(u.point())).append("</small></h1>\n");
    sb.append("<dl class=\"facts\"><dt>layer</dt><dd>").append(u.layer())
        .append("</dd><dt>index</dt><dd>").append(u.index()).append("</dd><dt>AAPE entropy</dt><dd>")
        .append(Double.isNaN(h) ? "(not in the selection file)" : NumberText.fixed(h, 3))
        .append("</dd><dt>assigned to</dt><dd>");
    for (String c : classes) {
      sb.append("<a class=\"chip\" href=\"../index.html#class-").append(anchor(c)).append("\">")
          .append(esc(c)).append("</a>");
    }
    sb.append("</dd><dt>shares them with</dt><dd>");
    boolean any = false;
    for (String c : classes) {
      List<Neuron> others = new ArrayList<>(in.selection().byClass().getOrDefault(c, List.of()));
      others.remove(n);
      if (others.isEmpty()) {
        continue;
      }
      any = true;
      sb.append("<div>").append(esc(c)).append(": ");
      int shown = 0;
      for (Neuron o : others) {
        if (shown++ == MAX_CHIPS) {
          sb.append("<span class=\"muted\">… ").append(others.size() - MAX_CHIPS)
              .append(" more</span>");
          break;
        }
        TopUnit ou = pageOf.get(o);
        sb.append(ou != null ? "<a class=\"chip\" href=\"" + page(ou) + "\">" + ou + "</a>"
            : "<span class=\"chip muted\">" + label(o) + "</span>");
      }
      sb.append("</div>");
    }
    if (!any) {
      sb.append("no other ").append(kind()).append(" of its classes");
    }
    sb.append("</dd></dl>\n");
    sb.append(probabilityBars(u, n, classes));
    if (in.ablation() != null) {
      sb.append("<h2>Deactivation</h2><p class=\"muted\">From ")
          .append(esc(in.ablation().dir().getFileName().toString()))
          .append(": the selected units zeroed against random sets of the same per-layer"
              + " counts; this unit's classes:</p>")
          .append(resultTable(in.ablation(), "per_class.csv", "class", new LinkedHashSet<>(
              classes)))
          .append(resultTable(in.ablation(), "summary.csv", null, null));
    }
    if (in.grounding() != null) {
      List<Map<String, String>> rows = groundingRows(u, n);
      sb.append("<h2>Grounding</h2>");
      if (rows.isEmpty()) {
        sb.append("<p class=\"muted\">(this unit is not in ")
            .append(esc(in.grounding().dir().getFileName().toString())).append(")</p>");
      } else {
        sb.append("<p class=\"muted\">GC = Δaudio / (Δaudio + Δtext): 1 = driven by the audio,"
            + " 0 = by the caption.</p><table><thead><tr><th>class</th><th>Δaudio</th><th>Δtext"
            + "</th><th>GC</th><th>grounding</th></tr></thead><tbody>");
        for (Map<String, String> r : rows) {
          sb.append("<tr><td>").append(esc(r.getOrDefault("class", ""))).append("</td><td>")
              .append(num(r.get("delta_audio"))).append("</td><td>").append(num(r.get("delta_text")))
              .append("</td><td>").append(num(r.get("gc"))).append("</td><td>")
              .append(esc(r.getOrDefault("grounding", ""))).append("</td></tr>");
        }
        sb.append("</tbody></table>");
      }
    }
    sb.append("<h2 id=\"top\">Top clips</h2><p class=\"muted\">The clips whose strongest token"
        + " drives ").append(u).append(" most (one per clip). <b>excerpt</b>: the token's span ±")
        .append(NumberText.fixed(opt.contextS(), 2)).append(" s; <b>focused</b>: its frequency"
            + " band (the whole band for tokens that are frames in time) inside its span, the"
            + " rest ").append((int) -Snippets.REST_DB).append(" dB down. The picture: the"
            + " clip's log-mel (AST: its fbank) in grey, the activation over the model's tokens"
            + " in colour (0 to the top activation), the strongest token outlined.</p>\n");
    sb.append(cards(top.top(u)));
    List<TopEntry> q = top.quantiles(u);
    if (!q.isEmpty()) {
      sb.append("<h2 id=\"quantiles\">Across its activation range</h2><p class=\"muted\">"
          + "Clips from each quantile of its per-clip maximum over a uniform sample of clips"
          + " (1 = lowest): what weak activations respond to.</p>\n");
      sb.append(cards(q));
    }
    sb.append(provenanceLine()).append("</body></html>\n");
    return sb.toString();
  }

  private String label(Neuron o) {
    return in.sae() == null ? o.toString() : "F" + o.index();
  }

  private static String num(String v) {
    if (v == null) {
      return "";
    }
    try {
      return NumberText.decimal(Double.parseDouble(v));
    } catch (NumberFormatException e) {
      return esc(v);
    }
  }

  private String probabilityBars(TopUnit u, Neuron n, List<String> classes) {
    ActivationCounts c = in.counts();
    StringBuilder sb = new StringBuilder("<h2>Activation probability per class</h2>");
    if (c == null) {
      return sb.append("<p class=\"muted\">(give --counts COUNTS.npz to see how often it fires"
          + " per class)</p>").toString();
    }
    int l = c.layers() == 1 ? 0 : u.layer();
    double max = 0;
    double[] p = new double[c.classes().size()];
    for (int k = 0; k < p.length; k++) {
      p[k] = c.n(k) == 0 ? 0 : c.overZero(l, u.index(), k) / (double) c.n(k);
      max = Math.max(max, p[k]);
    }
    double axis = max <= 0 ? 1 : niceCeiling(max);
    sb.append("<p class=\"muted\">P(").append(u).append(" &gt; 0 | class): the share of the"
        + " class's tokens where it fires; red = classes it is assigned to. Axis 0 to ")
        .append(NumberText.fixed(axis, axis < 0.1 ? 3 : 2)).append(".</p><div class=\"bars\">");
    for (int k = 0; k < p.length; k++) {
      String cls = c.classes().get(k);
      sb.append("<span>").append(esc(cls)).append("</span><div class=\"bar")
          .append(classes.contains(cls) ? " assigned" : "").append("\"><span style=\"width:")
          .append(String.format(Locale.ROOT, "%.1f", 100 * p[k] / axis)).append("%\"></span></div>"
              + "<span class=\"num\">").append(NumberText.fixed(p[k], 4)).append("</span>");
    }
    sb.append("<span></span><div class=\"axis\"><span>0</span><span>")
        .append(NumberText.fixed(axis, axis < 0.1 ? 3 : 2)).append("</span></div><span></span>");
    return sb.append("</div>").toString();
  }

  /** 1, 2 or 5 × 10^k at or above {@code v}. */
  static double niceCeiling(double v) {
    double p = Math.pow(10, Math.floor(Math.log10(v)));
    for (double f : new double[] {1, 2, 5, 10}) {
      if (f * p >= v - 1e-12) {
        return Math.min(1, f * p);
      }
    }
    return 1;
  }

  private String cards(List<TopEntry> entries) {
    StringBuilder sb = new StringBuilder("<div class=\"clips\">");
    for (TopEntry e : entries) {
      SnippetFiles.Assets a = assets.get(e);
      TokenPlace p = e.place();
      sb.append("<figure class=\"clip\"><figcaption><b>")
          .append(e.quantile() > 0 ? "quantile " + e.quantile() : "#" + e.rank())
          .append("</b> · ").append(NumberText.decimal(e.activation())).append(" · <b>")
          .append(esc(e.label())).append("</b> · ").append(esc(e.fileName()));
      if (p.inAudio()) {
        sb.append(String.format(Locale.ROOT, " · %.2f–%.2f s · %.0f–%.0f Hz", p.startS(),
            p.endS(), p.freqLoHz(), p.freqHiHz()));
      }
      sb.append(" · ").append(esc(p.label())).append("</figcaption><div class=\"players\">"
          + "<label>excerpt <audio controls preload=\"none\" src=\"../clips/")
          .append(a.excerpt()).append("\"></audio></label><label>focused <audio controls "
              + "preload=\"none\" src=\"../clips/").append(a.focused())
          .append("\"></audio></label></div><img loading=\"lazy\" src=\"../clips/")
          .append(a.picture()).append("\" alt=\"log-mel of ").append(esc(e.fileName()))
          .append(" with the activation of ").append(e.unit()).append("\"></figure>\n");
    }
    return sb.append("</div>").toString();
  }
}
