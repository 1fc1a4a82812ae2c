// rq2-sharing.jsh -- RQ2 of Kawamura et al. on the sample models: are class-specific neurons
// shared where the classes mean the same thing?
//   * octaves across ways of making a note: every pair of the generation's pitch tasks (tiny:
//     pitch_synth vs pitch_midi; small: pitch_synth, pitch_fluid and pitch_timgm, i.e. the
//     synthesiser and two recorded soundfonts) -- Jaccard of octave k's neurons in both;
//   * gender across two speech sets: voice_gender's Germanic (de, en) vs Romance (es, fr, it)
//     clips, selected separately;
//   * languages: Jaccard between the languages of spoken_language, within a family
//     (de-en; es-fr, es-it, fr-it) vs across families.
// Counts on train splits. "same" is the mean Jaccard over pairs of the same class, "different"
// over pairs of different classes; pairs where neither class has a neuron carry no information
// and are left out (pairs_same / pairs_different say how many are left; none: the cell is empty).
// Settings: the tiny models at AAPE top rate 0.10 (their 1% is 20 neurons, too few to overlap);
// later generations at the pre-registered primary (AAPE, the paper's settings), LAPE's as the
// second method, and AAPE at top rate 0.05 as a labelled sensitivity check.
//
// Run:  ./workbench run scripts/rq2-sharing.jsh all    (the shipped tiny models)
//       ./workbench run scripts/rq2-sharing.jsh small  (the next generation; small-long likewise)
//       ./workbench run scripts/rq2-sharing.jsh        (m2d-small, octaves of two sources only,
//                                                         ~1-2 min; m2d-tiny when the soundfont
//                                                         for a second source is missing)
// Writes out/rq2[/GENERATION]/sharing.csv and Jaccard heatmaps per model and setting.
import io.anw.train.*;
import org.knowm.xchart.HeatMapChartBuilder;

String mode = args.length > 0 ? args[0] : "check";
boolean all = !mode.equals("check");
var gen = SampleGeneration.forScript(mode);
List<String> pitchTasks = gen.tasks().stream().filter(t -> t.startsWith("pitch_")).toList();
if (!all && io.anw.audio.SampleGenerator.available(gen.dataDir(), pitchTasks,
    io.anw.audio.SampleGenerator.tasks(gen.bank()), System.out::println).size() < 2) {
  System.out.println("fewer than two pitch sources of the " + gen.name() + " generation can be made here;"
      + " the check runs on the tiny models");
  gen = SampleGeneration.TINY;
  pitchTasks = gen.tasks().stream().filter(t -> t.startsWith("pitch_")).toList();
}
// further arguments: only these models of the generation (e.g. "small-long m2d-small-long")
List<String> models = args.length > 1 ? List.of(args).subList(1, args.length)
    : all ? gen.audioModels() : List.of(gen.m2d());
Path dir = all ? gen.outDir("rq2") : Path.of("out/rq2-check");
Files.createDirectories(dir);
record Setting(String label, SelectionParams params) {}
List<Setting> settings = gen == SampleGeneration.TINY
    ? List.of(new Setting("AAPE top 0.10", SelectionMethod.AAPE.defaults().withTopRate(0.10)))
    : List.of(new Setting("AAPE", SelectionMethod.AAPE.defaults()),
        new Setting("LAPE", SelectionMethod.LAPE.defaults()),
        new Setting("AAPE top 0.05", SelectionMethod.AAPE.defaults().withTopRate(0.05)));

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
StringColumn settingCol = StringColumn.create("setting");
StringColumn compCol = StringColumn.create("comparison");
DoubleColumn sameCol = DoubleColumn.create("jaccard_same");
IntColumn sameN = IntColumn.create("pairs_same");
DoubleColumn diffCol = DoubleColumn.create("jaccard_different");
IntColumn diffN = IntColumn.create("pairs_different");
/** One row: mean Jaccard of same-class and of different-class pairs, over informative pairs. */
void row(String model, String setting, String comparison, double[] sd) {
  modelCol.append(model); settingCol.append(setting); compCol.append(comparison);
  sameCol.append(sd[0]); sameN.append((int) sd[1]); diffCol.append(sd[2]); diffN.append((int) sd[3]);
  System.out.printf(Locale.ROOT, "%-14s %-13s %-36s same %s (%d pairs), different %s (%d pairs)%n",
      model, setting, comparison, Double.isNaN(sd[0]) ? "-" : NumberText.fixed(sd[0], 3), (int) sd[1],
      Double.isNaN(sd[2]) ? "-" : NumberText.fixed(sd[2], 3), (int) sd[3]);
}

/** {same mean, same pairs, different mean, different pairs}; a mean over no pair is NaN. */
double[] sameDifferent(Table t, java.util.function.BiPredicate<String, String> same) {
  double s = 0, d = 0; int ns = 0, nd = 0;
  for (int r = 0; r < t.rowCount(); r++) {
    if (t.intColumn("neurons_a").get(r) + t.intColumn("neurons_b").get(r) == 0) continue;
    double j = t.doubleColumn("jaccard").get(r);
    if (same.test(t.stringColumn("class_a").get(r), t.stringColumn("class_b").get(r))) { s += j; ns++; } else { d += j; nd++; }
  }
  return new double[] {ns == 0 ? Double.NaN : s / ns, ns, nd == 0 ? Double.NaN : d / nd, nd};
}

String slug(String setting) { return setting.toLowerCase(Locale.ROOT).replace(' ', '-'); }

Map<String, String> family = Map.of("de", "G", "en", "G", "es", "R", "fr", "R", "it", "R");
for (String name : models) {
  try (var model = WB.sampleModel(name)) {
    Map<String, ActivationCounts> pitch = new LinkedHashMap<>();
    for (String t : all ? pitchTasks : pitchTasks.subList(0, 2))
      pitch.put(t, WB.count(model, gen.dataset(t, System.out::println).split("train")));
    ActivationCounts germanic = null, romance = null, lang = null;
    if (all) {
      var gender = gen.dataset("voice_gender", System.out::println);
      germanic = WB.count(model, subset(gender, "language", Set.of("de", "en"), dir.resolve("gender-germanic.csv")));
      romance = WB.count(model, subset(gender, "language", Set.of("es", "fr", "it"), dir.resolve("gender-romance.csv")));
      lang = WB.count(model, gen.dataset("spoken_language", System.out::println).split("train"));
    }
    for (Setting setting : settings) {
      String stem = name + "-" + slug(setting.label());
      List<String> ts = new ArrayList<>(pitch.keySet());
      for (int i = 0; i < ts.size(); i++)
        for (int j = i + 1; j < ts.size(); j++) {
          var a = WB.aape(pitch.get(ts.get(i)), setting.params());
          var b = WB.aape(pitch.get(ts.get(j)), setting.params());
          String sa = ts.get(i).substring(6), sb = ts.get(j).substring(6);
          jaccardHeatmap(a, b, name + ", " + setting.label() + ": octave neurons, " + sa + " vs " + sb + " (Jaccard)",
              dir.resolve(stem + "-octaves-" + sa + "-" + sb + ".png"));
          row(name, setting.label(), "octave: " + ts.get(i) + " vs " + ts.get(j),
              sameDifferent(Sharing.between(a, b), String::equals));
        }
      if (!all) continue;
      var g = WB.aape(germanic, setting.params());
      var r = WB.aape(romance, setting.params());
      jaccardHeatmap(g, r, name + ", " + setting.label() + ": gender neurons, de/en vs es/fr/it",
          dir.resolve(stem + "-gender.png"));
      row(name, setting.label(), "gender: Germanic vs Romance speech", sameDifferent(Sharing.between(g, r), String::equals));
      var l = WB.aape(lang, setting.params());
      WB.savePlot(l.plotSharing(), dir.resolve(stem + "-languages.png").toString());
      row(name, setting.label(), "languages: within vs across family",
          sameDifferent(l.sharing(), (x, y) -> family.get(x).equals(family.get(y))));
    }
  }
}
Table rq2 = Table.create("RQ2: Jaccard of class-specific neuron sets (same vs different classes)",
    modelCol, settingCol, compCol, sameCol, sameN, diffCol, diffN);
System.out.print(TableText.all(rq2));
WB.save(rq2, dir.resolve("sharing.csv").toString());
System.out.println("wrote " + dir);
