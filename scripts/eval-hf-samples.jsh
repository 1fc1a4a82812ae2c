// eval-hf-samples.jsh -- the evaluation of the other families' sample folders (random-init
// *-tiny and briefly trained *-sl-tiny; samples/models/README.md), decided before the results:
// on pitch_synth, the linear probe's test accuracy (probe on the train split, seed 0); AAPE on
// the train split's counts (top 20 %, activation bar 0.3); the class with the most selected
// neurons deactivated against 20 random sets of the same per-layer counts.
//
// Run:  ./workbench run scripts/eval-hf-samples.jsh all   (all eight folders; about 40 minutes)
//       ./workbench run scripts/eval-hf-samples.jsh       (HuBERT and wav2vec 2.0 only: a minute)
// Writes out/hf-samples/evaluation[-check].csv.
String mode = args.length > 0 ? args[0] : "check";
List<String> families = mode.equals("all") ? List.of("hubert", "wav2vec2", "whisper", "ast")
    : List.of("hubert", "wav2vec2");
Dataset data = WB.sample("pitch_synth");
Dataset train = data.split("train");
Dataset test = data.split("test");
var params = new SelectionParams(SelectionMethod.AAPE, 0.05, 0.2, 0.3);
Table t = Table.create("HF sample folders on pitch_synth");
StringColumn model = StringColumn.create("model");
DoubleColumn probeAcc = DoubleColumn.create("probe_accuracy");
IntColumn selected = IntColumn.create("aape_neurons");
StringColumn target = StringColumn.create("class_deactivated");
IntColumn targeted = IntColumn.create("class_neurons");
DoubleColumn after = DoubleColumn.create("accuracy_deactivated");
DoubleColumn drop = DoubleColumn.create("class_drop");
DoubleColumn randomDrop = DoubleColumn.create("class_drop_random_mean");
DoubleColumn p = DoubleColumn.create("class_p");
for (String fam : families) {
  for (String name : List.of(fam + "-tiny", fam + "-sl-tiny")) {
    try (var m = WB.model("samples/models/" + name)) {
      var probe = WB.probe(m, train);
      var sel = WB.aape(WB.count(m, train), params);
      String c = sel.perClass().sortDescendingOn("neurons").stringColumn("class").get(0);
      var r = WB.deactivate(m, sel.neurons(c), test, probe);
      int k = r.classes().indexOf(c);
      model.append(name);
      probeAcc.append(r.baseline().accuracy());
      selected.append(sel.allNeurons().size());
      target.append(c);
      targeted.append(sel.neurons(c).size());
      after.append(r.ablated().accuracy());
      drop.append(r.classDrop(k));
      randomDrop.append(java.util.Arrays.stream(r.classRandomDrops(k)).average().orElse(Double.NaN));
      p.append(r.classPValue(k));
    }
  }
}
t.addColumns(model, probeAcc, selected, target, targeted, after, drop, randomDrop, p);
System.out.print(TableText.all(t));
Path dir = Path.of("out/hf-samples");
Files.createDirectories(dir);
WB.save(t, dir.resolve(mode.equals("all") ? "evaluation.csv" : "evaluation-check.csv").toString());
