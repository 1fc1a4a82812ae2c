// probe-sample-models.jsh -- evidence that the sample models learned: linear-probe accuracy on
// the held-out (test) clips of each sample task, probes trained on the train split, for the SSL
// model (M2D recipe), the supervised one (instrument_family + texture) and the random-init
// control of a generation.
//
// Run:  ./workbench run scripts/probe-sample-models.jsh all    (the shipped tiny models, every task)
//       ./workbench run scripts/probe-sample-models.jsh small  (the next generation, every task)
//       ./workbench run scripts/probe-sample-models.jsh small-long  (m2d-small-long instead of m2d-small)
//       ./workbench run scripts/probe-sample-models.jsh        (small models, texture and voice_gender)
// Writes out/sample-models[/GENERATION]/probe-accuracy.csv and a bar chart next to it.
import io.anw.train.*;

String mode = args.length > 0 ? args[0] : "check";
boolean all = !mode.equals("check");
var gen = SampleGeneration.forScript(mode);
// tasks this machine cannot make (the speech tasks need espeak-ng) are skipped with a line
List<String> tasks = io.anw.audio.SampleGenerator.available(gen.dataDir(),
    all ? gen.tasks() : List.of("texture", "voice_gender"),
    io.anw.audio.SampleGenerator.tasks(gen.bank()), System.out::println);
// further arguments: only these models of the generation (e.g. "small-long m2d-small-long")
List<String> names = args.length > 1 ? List.of(args).subList(1, args.length) : gen.audioModels();
Map<String, io.anw.model.M2dViT> models = new LinkedHashMap<>();
for (String name : names) models.put(name, WB.sampleModel(name));

Table acc = SampleModels.probeTable(gen, models, tasks, System.out::println);
System.out.print(TableText.all(acc));

Path dir = gen.outDir("sample-models");
Files.createDirectories(dir);
WB.save(acc, dir.resolve(all ? "probe-accuracy.csv" : "probe-accuracy-check.csv").toString());
var chart = new CategoryChartBuilder().width(900).height(450)
    .title("linear-probe accuracy on held-out clips").xAxisTitle("task").yAxisTitle("accuracy")
    .build();
for (String name : names)
    chart.addSeries(name, acc.stringColumn("task").asList(), Arrays.stream(acc.doubleColumn(name).asDoubleArray()).boxed().toList());
WB.savePlot(chart, dir.resolve(all ? "probe-accuracy.png" : "probe-accuracy-check.png").toString());
models.values().forEach(m -> m.close());
System.out.println("wrote " + dir);
