// rq2-sharing.jsh -- RQ2 of Kawamura et al. on the sample models: are class-specific neurons
// shared where the classes mean the same thing?
//   * octaves across two ways of making a note: pitch_synth (additive/subtractive synthesis in
//     code) vs pitch_midi (General MIDI programs) -- Jaccard of octave k's neurons in both;
//   * gender across two speech sets: voice_gender's Germanic (de, en) vs Romance (es, fr, it)
//     clips, selected separately;
//   * languages: Jaccard between the languages of spoken_language, within a family
//     (de-en; es-fr, es-it, fr-it) vs across families.
// Counts on train splits, AAPE with top rate 0.10 (more neurons per class than the paper's
// 0.01, so overlaps are measurable on 512-neuron layers).
//
// Run:  ./workbench run scripts/rq2-sharing.jsh all    (all three sample models)
//       ./workbench run scripts/rq2-sharing.jsh        (m2d-tiny, octaves only, ~1-2 min)
// Writes out/rq2/sharing.csv and Jaccard heatmaps per model.
import io.anw.train.*;
import org.knowm.xchart.HeatMapChartBuilder;

boolean all = args.length > 0 && args[0].equals("all");
List<String> models = all ? SampleModels.NAMES : List.of(SampleModels.M2D);
Path dir = Path.of(all ? "out/rq2" : "out/rq2-check");
Files.createDirectories(dir);
var params = SelectionMethod.AAPE.defaults().withTopRate(0.10);

/** The train clips of {@code d} whose metadata {@code column} is one of {@code values}. */
Dataset subset(Dataset d, String column, Set<String> values, Path csv) throws IOException {
  StringBuilder b = new StringBuilder("file_name,label,split\n");
  for (var it : d.items())
    if (values.contains(it.metadata().get(column)) && it.split().equals("train"))
      b.append(it.file().toAbsolutePath()).append(',').append(it.label()).append(",train\n");
  Files.writeString(csv, b.toString());
  return Dataset.open(csv);
}

/** Jaccard heatmap of every class of a against every class of b, saved as a PNG. */
void jaccardHeatmap(NeuronSelection a, NeuronSelection b, String title, Path png) {
  List<Number[]> cells = new ArrayList<>();
  for (int i = 0; i < a.classes().size(); i++)
    for (int j = 0; j < b.classes().size(); j++) {
      double jac = Sharing.jaccard(a.neurons(a.classes().get(i)), b.neurons(b.classes().get(j)));
      cells.add(new Number[] {i, j, Math.round(jac * 100) / 100.0});
    }
  var chart = new HeatMapChartBuilder().width(700).height(600).title(title).build();
  chart.getStyler().setShowValue(true);
  chart.addSeries("jaccard", new ArrayList<>(a.classes()), new ArrayList<>(b.classes()), cells);
  WB.savePlot(chart, png.toString());
}

StringColumn modelCol = StringColumn.create("model");
StringColumn compCol = StringColumn.create("comparison");
DoubleColumn sameCol = DoubleColumn.create("jaccard_same");
DoubleColumn diffCol = DoubleColumn.create("jaccard_different");
void row(String model, String comparison, double same, double different) {
  modelCol.append(model); compCol.append(comparison); sameCol.append(same); diffCol.append(different);
  System.out.printf(Locale.ROOT, "%-12s %-34s same %.3f, different %.3f%n", model, comparison, same, different);
}

/** Mean Jaccard of matching class names (same) and of the other pairs (different). */
double[] sameDifferent(NeuronSelection a, NeuronSelection b) {
  Table t = Sharing.between(a, b);
  double s = 0, d = 0; int ns = 0, nd = 0;
  for (int r = 0; r < t.rowCount(); r++) {
    double j = t.doubleColumn("jaccard").get(r);
    if (t.stringColumn("class_a").get(r).equals(t.stringColumn("class_b").get(r))) { s += j; ns++; } else { d += j; nd++; }
  }
  return new double[] {s / Math.max(1, ns), d / Math.max(1, nd)};
}

for (String name : models) {
  try (var model = WB.sampleModel(name)) {
    var synth = WB.aape(WB.count(model, WB.sample("pitch_synth").split("train")), params);
    var midi = WB.aape(WB.count(model, WB.sample("pitch_midi").split("train")), params);
    jaccardHeatmap(synth, midi, name + ": octave neurons, synth vs MIDI (Jaccard)",
        dir.resolve(name + "-octaves.png"));
    double[] sd = sameDifferent(synth, midi);
    row(name, "octave: pitch_synth vs pitch_midi", sd[0], sd[1]);
    if (!all) continue;
    var gender = WB.sample("voice_gender");
    var germanic = WB.aape(WB.count(model, subset(gender, "language", Set.of("de", "en"),
        dir.resolve("gender-germanic.csv"))), params);
    var romance = WB.aape(WB.count(model, subset(gender, "language", Set.of("es", "fr", "it"),
        dir.resolve("gender-romance.csv"))), params);
    jaccardHeatmap(germanic, romance, name + ": gender neurons, de/en vs es/fr/it",
        dir.resolve(name + "-gender.png"));
    sd = sameDifferent(germanic, romance);
    row(name, "gender: Germanic vs Romance speech", sd[0], sd[1]);
    var lang = WB.aape(WB.count(model, WB.sample("spoken_language").split("train")), params);
    WB.savePlot(lang.plotSharing(), dir.resolve(name + "-languages.png").toString());
    Map<String, String> family = Map.of("de", "G", "en", "G", "es", "R", "fr", "R", "it", "R");
    Table t = lang.sharing();
    double within = 0, across = 0; int nw = 0, na = 0;
    for (int r = 0; r < t.rowCount(); r++) {
      double j = t.doubleColumn("jaccard").get(r);
      if (family.get(t.stringColumn("class_a").get(r)).equals(family.get(t.stringColumn("class_b").get(r)))) { within += j; nw++; } else { across += j; na++; }
    }
    row(name, "languages: within vs across family", within / Math.max(1, nw), across / Math.max(1, na));
  }
}
Table rq2 = Table.create("RQ2: Jaccard of class-specific neuron sets", modelCol, compCol, sameCol, diffCol);
System.out.print(TableText.all(rq2));
WB.save(rq2, dir.resolve("sharing.csv").toString());
System.out.println("wrote " + dir);
