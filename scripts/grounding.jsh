// grounding.jsh -- grounding coefficients (GC) of the class-specific neurons of a two-pathway
// sample model (audio-text-small, or audio-text-tiny): is a neuron's class selectivity grounded in the sound or in the
// caption? The task (pitch_caption) labels 1 s clips by register x source ("low_piano"): the
// register can be heard, read in the caption, or both (conflicts follow the sound); the source
// only read.
//
// GC = Δaudio / (Δaudio + Δtext), per neuron: for each class c, condition A = clips of c and
// B = as many clips of other classes; Δaudio is the change of the neuron's activation
// probability when only the audio part goes from A to B (averaged over A's and B's captions),
// Δtext likewise for the caption. GC > 0.7: audio-grounded; < 0.3: text-grounded; else mixed.
//
// Run:  ./workbench run scripts/grounding.jsh             (audio-text-small, AAPE with the paper's
//                                                          settings; a few minutes)
//       ./workbench run scripts/grounding.jsh 0.05        (another top rate)
//       ./workbench run scripts/grounding.jsh 0.10 tiny   (audio-text-tiny, the card's top rate 0.10)
// Writes out/grounding/small/ (out/grounding/ for tiny): grounding.csv (class, layer, neuron, delta_audio, delta_text, gc,
// grounding), per-class.csv, per-layer.csv, labels.csv, by-condition.csv, probe.csv,
// histogram.png, the selection under aape/, and the audio-only control (the generation's M2D
// model, GC = 1).
import io.anw.train.*;

var gen = args.length > 1 ? SampleGeneration.named(args[1]) : SampleGeneration.SMALL;
double top = args.length > 0 ? Double.parseDouble(args[0])
    : gen == SampleGeneration.TINY ? 0.10 : SelectionMethod.AAPE.defaults().topRate();
Path dir = gen.outDir("grounding");
Files.createDirectories(dir);

var model = WB.sampleModel(gen.audioText());
var data = WB.sample(SampleModels.CAPTION_TASK, gen.name());
var train = data.split("train");
var test = data.split("test");
System.out.println(model);

// 1. The model reads both parts: a probe on its scene embeddings, per condition of the test split.
var probe = WB.probe(model, train);
StringColumn condCol = StringColumn.create("condition");
IntColumn clipsCol = IntColumn.create("clips");
DoubleColumn accCol = DoubleColumn.create("accuracy");
for (String c : List.of("both", "audio", "text", "conflict")) {
  var part = test.where("condition", c);
  condCol.append(c); clipsCol.append(part.size());
  accCol.append(WB.evaluate(probe, model, part).accuracy());
}
Table probeTable = Table.create("probe accuracy by condition (test split)", condCol, clipsCol,
    accCol);
WB.show(probeTable);
WB.save(probeTable, dir.resolve("probe.csv").toString());

// 2. Class-specific neurons: counts over every token of the train split, AAPE.
var counts = WB.count(model, train);
var sel = WB.aape(counts, SelectionMethod.AAPE.defaults().withTopRate(top));
WB.save(sel, dir.resolve("aape").toString());
System.out.printf(Locale.ROOT, "AAPE top rate %.2f: %d neurons, coverage %.2f, %.1f per class%n",
    top, sel.allNeurons().size(), sel.coverage(), sel.meanNeuronsPerClass());

// 3. GC of every class-specific neuron on clips where sound and caption agree.
var gc = WB.grounding(model, sel, data.where("condition", "both"));
System.out.println(gc);
WB.show(gc.labels());
WB.show(gc.summary());
WB.show(gc.perLayer());
WB.save(gc.table(), dir.resolve("grounding.csv").toString());
WB.save(gc.summary(), dir.resolve("per-class.csv").toString());
WB.save(gc.perLayer(), dir.resolve("per-layer.csv").toString());
WB.save(gc.labels(), dir.resolve("labels.csv").toString());
WB.savePlot(gc.histogram(), dir.resolve("histogram.png").toString());

// 4. GC depends on the condition: the same neurons measured on each condition's clips.
StringColumn byCond = StringColumn.create("condition");
IntColumn aCol = IntColumn.create("audio");
IntColumn mCol = IntColumn.create("mixed");
IntColumn tCol = IntColumn.create("text");
IntColumn nCol = IntColumn.create("none");
DoubleColumn meanCol = DoubleColumn.create("mean_gc");
for (String c : List.of("both", "audio", "text", "conflict")) {
  var r = WB.grounding(model, sel, data.where("condition", c));
  var l = r.labels();
  byCond.append(c);
  aCol.append(l.intColumn("neurons").get(0)); mCol.append(l.intColumn("neurons").get(1));
  tCol.append(l.intColumn("neurons").get(2)); nCol.append(l.intColumn("neurons").get(3));
  meanCol.append(Arrays.stream(r.gc()).filter(v -> !Double.isNaN(v)).average().orElse(Double.NaN));
}
Table conditions = Table.create("grounding of the same neurons, measured on each condition",
    byCond, aCol, mCol, tCol, nCol, meanCol);
WB.show(conditions);
WB.save(conditions, dir.resolve("by-condition.csv").toString());

// 5. Control: an audio-only model is audio-grounded by construction.
try (var audioOnly = WB.sampleModel(gen.m2d())) {
  var ctrlSel = WB.aape(WB.count(audioOnly, train),
      SelectionMethod.AAPE.defaults().withTopRate(top));
  if (ctrlSel.allNeurons().isEmpty()) {
    System.out.println("control: " + gen.m2d() + " has no class-specific neurons on pitch_caption");
  } else {
    var ctrl = WB.grounding(audioOnly, ctrlSel, data.where("condition", "both"));
    System.out.println("control: " + ctrl);
    WB.save(ctrl.table(), dir.resolve("control-" + gen.m2d() + ".csv").toString());
  }
}
model.close();
System.out.println("wrote " + dir);
