// rq3-deactivation.jsh -- RQ3 of Kawamura et al. on the sample models: are a class's AAPE
// neurons necessary for it? For each class with specific neurons, zero them and compare that
// class's probe accuracy drop with 20 random neuron sets of the same per-layer counts.
// p = (1 + #random sets whose drop >= the targeted drop) / 21 (one-sided, empirical).
//
// Run:  ./workbench run scripts/rq3-deactivation.jsh all   (all sample models, every sample
//                                                            task, AAPE top rates 0.10 and 0.25;
//                                                            about 2-4 min on 2 cores)
//       ./workbench run scripts/rq3-deactivation.jsh       (m2d-tiny on pitch_synth, one class)
// The paper's top rate 0.01 leaves most classes of these 4 x 512-neuron models without neurons,
// so the selection is larger here (0.10: ~200 kept neurons; 0.25: ~500). Writes
// out/rq3/deactivation.csv (one row per model, task, top rate and class), out/rq3/summary.csv
// (per model and top rate: classes tested, mean drops, classes with p <= 0.05) and one plot per
// model, task, top rate and class.
import io.anw.train.*;

boolean all = args.length > 0 && args[0].equals("all");
List<String> models = all ? SampleModels.NAMES : List.of(SampleModels.M2D);
List<String> tasks = all ? SampleModels.TASKS : List.of("pitch_synth");
double[] topRates = all ? new double[] {0.10, 0.25} : new double[] {0.10};
int maxClasses = all ? Integer.MAX_VALUE : 1;
Path dir = Path.of(all ? "out/rq3" : "out/rq3-check");
Files.createDirectories(dir);

StringColumn modelCol = StringColumn.create("model");
StringColumn taskCol = StringColumn.create("task");
DoubleColumn topCol = DoubleColumn.create("top_rate");
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
      var data = WB.sample(task);
      var train = data.split("train");
      var test = data.split("test");
      var counts = WB.count(model, train);
      var probe = WB.probe(model, train);
      for (double top : topRates) {
        var sel = WB.aape(counts, SelectionMethod.AAPE.defaults().withTopRate(top));
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
          modelCol.append(name); taskCol.append(task); topCol.append(top); classCol.append(cls);
          neuronCol.append(neurons.size()); baseCol.append(base); dropCol.append(drop);
          randCol.append(randomDrop); pCol.append(r.classPValue(c));
          probCol.append(probDrop); probRandCol.append(probRandom);
          pProbCol.append(r.classProbabilityPValue(c));
          overallCol.append(r.targetedDrop());
          overallRandCol.append(r.baseline().accuracy() - r.randomMean());
          System.out.printf(Locale.ROOT, "%-12s %-18s top %.2f %-20s %3d neurons%n"
              + "    class accuracy %.2f, drop %.2f (random %.2f), p = %s;"
              + " probability drop %.3f (random %.3f), p = %s%n", name, task, top, cls,
              neurons.size(), base, drop, randomDrop, NumberText.p(r.classPValue(c)), probDrop,
              probRandom, NumberText.p(r.classProbabilityPValue(c)));
          String stem = String.format(Locale.ROOT, "%s-%s-top%.2f-%s", name, task, top, cls);
          WB.savePlot(r.plot(), dir.resolve(stem + "-accuracy.png").toString());
          WB.savePlot(r.probabilityPlot(), dir.resolve(stem + "-probability.png").toString());
        }
      }
    }
  }
}
Table rq3 = Table.create("RQ3: per-class accuracy drop when a class's neurons are zeroed",
    modelCol, taskCol, topCol, classCol, neuronCol, baseCol, dropCol, randCol, pCol, probCol,
    probRandCol, pProbCol, overallCol, overallRandCol);
System.out.print(TableText.all(rq3));
WB.save(rq3, dir.resolve("deactivation.csv").toString());

// Per model and top rate: how often the targeted set hurt its class more than random sets did.
StringColumn sModel = StringColumn.create("model");
DoubleColumn sTop = DoubleColumn.create("top_rate");
IntColumn tested = IntColumn.create("classes_tested");
DoubleColumn sNeurons = DoubleColumn.create("mean_neurons");
DoubleColumn sDrop = DoubleColumn.create("mean_targeted_drop");
DoubleColumn sRand = DoubleColumn.create("mean_random_drop");
IntColumn significant = IntColumn.create("classes_p<=0.05");
DoubleColumn sProb = DoubleColumn.create("mean_prob_drop");
DoubleColumn sProbRand = DoubleColumn.create("mean_random_prob_drop");
IntColumn significantProb = IntColumn.create("classes_p_prob<=0.05");
for (String m : models) {
  for (double t : topRates) {
    Table rows = rq3.where(rq3.stringColumn("model").isEqualTo(m)
        .and(rq3.doubleColumn("top_rate").isEqualTo(t)));
    sModel.append(m); sTop.append(t); tested.append(rows.rowCount());
    sNeurons.append(rows.rowCount() == 0 ? 0 : rows.intColumn("neurons").mean());
    sDrop.append(rows.rowCount() == 0 ? 0 : rows.doubleColumn("targeted_drop").mean());
    sRand.append(rows.rowCount() == 0 ? 0 : rows.doubleColumn("random_drop_mean").mean());
    significant.append(rows.doubleColumn("p").isLessThanOrEqualTo(0.05).size());
    sProb.append(rows.rowCount() == 0 ? 0 : rows.doubleColumn("prob_drop").mean());
    sProbRand.append(rows.rowCount() == 0 ? 0 : rows.doubleColumn("random_prob_drop").mean());
    significantProb.append(rows.doubleColumn("p_prob").isLessThanOrEqualTo(0.05).size());
  }
}
Table summary = Table.create("RQ3 summary", sModel, sTop, tested, sNeurons, sDrop, sRand,
    significant, sProb, sProbRand, significantProb);
System.out.print(TableText.all(summary));
WB.save(summary, dir.resolve("summary.csv").toString());
System.out.println("wrote " + dir);
