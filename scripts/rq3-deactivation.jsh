// rq3-deactivation.jsh -- RQ3 of Kawamura et al. on the sample models: are a class's AAPE
// neurons necessary for it? For each class with specific neurons, zero them and compare that
// class's probe accuracy drop with 20 random neuron sets of the same per-layer counts.
// p = (1 + #random sets whose drop >= the targeted drop) / 21 (one-sided, empirical).
//
// Run:  ./workbench run scripts/rq3-deactivation.jsh all   (the shipped tiny models, every
//                                                            task, AAPE top rates 0.10 and 0.25;
//                                                            about 2-4 min on 2 cores)
//       ./workbench run scripts/rq3-deactivation.jsh small (the next generation: the
//          pre-registered primary, AAPE with the paper's settings; LAPE's as the second method;
//          AAPE at top rate 0.05 as a labelled sensitivity check; small-long likewise)
//       ./workbench run scripts/rq3-deactivation.jsh       (m2d-small on pitch_synth, one class)
// The paper's top rate 0.01 leaves most classes of the tiny 4 x 512-neuron models without
// neurons, so their selection is larger (0.10: ~200 kept neurons; 0.25: ~500). Random sets:
// 20, seed 0 (WB.deactivate's defaults). Writes out/rq3[/GENERATION]/deactivation.csv (one row
// per model, task, setting and class), summary.csv (per model and setting: classes tested,
// mean drops, classes with p <= 0.05 next to the number expected by chance) and one plot per
// model, task, setting and class.
import io.anw.train.*;

String mode = args.length > 0 ? args[0] : "check";
boolean all = !mode.equals("check");
var gen = SampleGeneration.forScript(mode);
// further arguments: only these models of the generation (e.g. "small-long m2d-small-long")
List<String> models = args.length > 1 ? List.of(args).subList(1, args.length)
    : all ? gen.audioModels() : List.of(gen.m2d());
List<String> tasks = all ? gen.tasks() : List.of("pitch_synth");
record Setting(String label, SelectionParams params) {}
List<Setting> settings = gen != SampleGeneration.TINY
    ? List.of(new Setting("AAPE", SelectionMethod.AAPE.defaults()),
        new Setting("LAPE", SelectionMethod.LAPE.defaults()),
        new Setting("AAPE top 0.05", SelectionMethod.AAPE.defaults().withTopRate(0.05)))
    : all ? List.of(new Setting("AAPE top 0.10", SelectionMethod.AAPE.defaults().withTopRate(0.10)),
        new Setting("AAPE top 0.25", SelectionMethod.AAPE.defaults().withTopRate(0.25)))
    : List.of(new Setting("AAPE top 0.10", SelectionMethod.AAPE.defaults().withTopRate(0.10)));
int maxClasses = all ? Integer.MAX_VALUE : 1;
Path dir = all ? gen.outDir("rq3") : Path.of("out/rq3-check");
Files.createDirectories(dir);

StringColumn modelCol = StringColumn.create("model");
StringColumn taskCol = StringColumn.create("task");
StringColumn settingCol = StringColumn.create("setting");
StringColumn classCol = StringColumn.create("class");
IntColumn neuronCol = IntColumn.create("neurons");
DoubleColumn baseCol = DoubleColumn.create("baseline");
DoubleColumn dropCol = DoubleColumn.create("targeted_drop");
DoubleColumn randCol = DoubleColumn.create("random_drop_mean");
DoubleColumn pCol = DoubleColumn.create("p");
DoubleColumn probCol = DoubleColumn.create("prob_drop");
DoubleColumn probRandCol = DoubleColumn.create("random_prob_drop");
DoubleColumn pProbCol = DoubleColumn.create("p_prob");
DoubleColumn overallCol = DoubleColumn.create("overall_drop");
DoubleColumn overallRandCol = DoubleColumn.create("overall_random_drop");
for (String name : models) {
  try (var model = WB.sampleModel(name)) {
    for (String task : tasks) {
      var data = gen.dataset(task, System.out::println);
      var train = data.split("train");
      var test = data.split("test");
      var counts = WB.count(model, train);
      var probe = WB.probe(model, train);
      for (Setting setting : settings) {
        var sel = WB.aape(counts, setting.params());
        int done = 0;
        for (String cls : sel.classes()) {
          var neurons = sel.neurons(cls);
          if (neurons.isEmpty() || done++ >= maxClasses) continue;
          var r = WB.deactivate(model, neurons, test, probe);
          int c = r.classes().indexOf(cls);
          double base = r.baseline().classAccuracy(c);
          double drop = r.classDrop(c);
          double randomDrop = Arrays.stream(r.classRandomDrops(c)).average().orElse(0);
          double probDrop = r.classProbabilityDrop(c);
          double probRandom = Arrays.stream(r.classRandomProbabilityDrops(c)).average().orElse(0);
          modelCol.append(name); taskCol.append(task); settingCol.append(setting.label()); classCol.append(cls);
          neuronCol.append(neurons.size()); baseCol.append(base); dropCol.append(drop);
          randCol.append(randomDrop); pCol.append(r.classPValue(c));
          probCol.append(probDrop); probRandCol.append(probRandom);
          pProbCol.append(r.classProbabilityPValue(c));
          overallCol.append(r.targetedDrop());
          overallRandCol.append(r.baseline().accuracy() - r.randomMean());
          System.out.printf(Locale.ROOT, "%-14s %-18s %-13s %-20s %3d neurons%n"
              + "    class accuracy %.2f, drop %.2f (random %.2f), p = %s;"
              + " probability drop %.3f (random %.3f), p = %s%n", name, task, setting.label(), cls,
              neurons.size(), base, drop, randomDrop, NumberText.p(r.classPValue(c)), probDrop,
              probRandom, NumberText.p(r.classProbabilityPValue(c)));
          String stem = name + "-" + task + "-" + setting.label().toLowerCase(Locale.ROOT).replace(' ', '-') + "-" + cls;
          WB.savePlot(r.plot(), dir.resolve(stem + "-accuracy.png").toString());
          WB.savePlot(r.probabilityPlot(), dir.resolve(stem + "-probability.png").toString());
        }
      }
    }
  }
}
Table rq3 = Table.create("RQ3: per-class accuracy drop when a class's neurons are zeroed",
    modelCol, taskCol, settingCol, classCol, neuronCol, baseCol, dropCol, randCol, pCol, probCol,
    probRandCol, pProbCol, overallCol, overallRandCol);
System.out.print(TableText.all(rq3));
WB.save(rq3, dir.resolve("deactivation.csv").toString());

// Per model and top rate: how often the targeted set hurt its class more than random sets did.
StringColumn sModel = StringColumn.create("model");
StringColumn sSetting = StringColumn.create("setting");
IntColumn tested = IntColumn.create("classes_tested");
DoubleColumn sNeurons = DoubleColumn.create("mean_neurons");
DoubleColumn sDrop = DoubleColumn.create("mean_targeted_drop");
DoubleColumn sRand = DoubleColumn.create("mean_random_drop");
IntColumn significant = IntColumn.create("classes_p<=0.05");
DoubleColumn chance = DoubleColumn.create("expected_by_chance");
DoubleColumn sProb = DoubleColumn.create("mean_prob_drop");
DoubleColumn sProbRand = DoubleColumn.create("mean_random_prob_drop");
IntColumn significantProb = IntColumn.create("classes_p_prob<=0.05");
for (String m : models) {
  for (Setting setting : settings) {
    Table rows = rq3.where(rq3.stringColumn("model").isEqualTo(m)
        .and(rq3.stringColumn("setting").isEqualTo(setting.label())));
    sModel.append(m); sSetting.append(setting.label()); tested.append(rows.rowCount());
    chance.append(Math.round(rows.rowCount() * 0.05 * 100) / 100.0);
    sNeurons.append(rows.rowCount() == 0 ? 0 : rows.intColumn("neurons").mean());
    sDrop.append(rows.rowCount() == 0 ? 0 : rows.doubleColumn("targeted_drop").mean());
    sRand.append(rows.rowCount() == 0 ? 0 : rows.doubleColumn("random_drop_mean").mean());
    significant.append(rows.doubleColumn("p").isLessThanOrEqualTo(0.05).size());
    sProb.append(rows.rowCount() == 0 ? 0 : rows.doubleColumn("prob_drop").mean());
    sProbRand.append(rows.rowCount() == 0 ? 0 : rows.doubleColumn("random_prob_drop").mean());
    significantProb.append(rows.doubleColumn("p_prob").isLessThanOrEqualTo(0.05).size());
  }
}
Table summary = Table.create("RQ3 summary", sModel, sSetting, tested, sNeurons, sDrop, sRand,
    significant, chance, sProb, sProbRand, significantProb);
System.out.print(TableText.all(summary));
WB.save(summary, dir.resolve("summary.csv").toString());
System.out.println("wrote " + dir);
