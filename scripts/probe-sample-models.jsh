// probe-sample-models.jsh -- evidence that the sample models learned: linear-probe accuracy on
// the held-out (test) clips of each sample task, probes trained on the train split, for
// m2d-tiny (SSL), vit-sl-tiny (supervised on instrument_family + texture) and random-tiny.
//
// Run:  ./workbench run scripts/probe-sample-models.jsh all    (every task; the model card's table)
//       ./workbench run scripts/probe-sample-models.jsh        (texture and voice_gender only)
// Writes out/sample-models/probe-accuracy.csv and a bar chart next to it.
import io.anw.train.*;

boolean all = args.length > 0 && args[0].equals("all");
// tasks this machine cannot make (the speech tasks need espeak-ng) are skipped with a line
List<String> tasks = io.anw.audio.SampleGenerator.available(io.anw.audio.SampleGenerator.DEFAULT_OUT,
    all ? SampleModels.TASKS : List.of("texture", "voice_gender"), System.out::println);
Map<String, io.anw.model.M2dViT> models = new LinkedHashMap<>();
for (String name : SampleModels.NAMES) models.put(name, WB.sampleModel(name));

Table acc = SampleModels.probeTable(models, tasks, System.out::println);
System.out.print(TableText.all(acc));

Path dir = Path.of("out/sample-models");
Files.createDirectories(dir);
WB.save(acc, dir.resolve(all ? "probe-accuracy.csv" : "probe-accuracy-check.csv").toString());
var chart = new CategoryChartBuilder().width(900).height(450)
    .title("linear-probe accuracy on held-out clips").xAxisTitle("task").yAxisTitle("accuracy")
    .build();
for (String name : SampleModels.NAMES)
    chart.addSeries(name, acc.stringColumn("task").asList(), Arrays.stream(acc.doubleColumn(name).asDoubleArray()).boxed().toList());
WB.savePlot(chart, dir.resolve(all ? "probe-accuracy.png" : "probe-accuracy-check.png").toString());
models.values().forEach(m -> m.close());
System.out.println("wrote " + dir);
