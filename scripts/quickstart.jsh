// quickstart.jsh -- the whole method on the sample data, end to end:
//   sample audio -> log-mels -> a hooked ViT -> firing counts -> class-specific neurons (AAPE,
//   LAPE) -> tables and plots -> a probe -> deactivation of one class's neurons vs random
//   neurons -> a short plain summary of what was found -> a static site to listen to the neurons.
//
// Run:  ./workbench run scripts/quickstart.jsh [TASK] [OUTDIR] [MODEL]
//       (defaults: instrument_family out/quickstart m2d-small)
//
// The model: m2d-small, a small M2D (6 blocks, width 192, 768 MLP neurons per block) trained
// self-supervised on the small generation's sample audio (recorded-instrument soundfonts,
// samples/models/README.md). Try "vit-sl-small" (supervised on instrument_family + texture) or
// "random-small" (the random-init control), the tiny models ("m2d-tiny", ...), or a real
// checkpoint:  var model = WB.model("path/to/m2d_vit_base-80x608p16x16-220930-mr7/checkpoint-300.pth");
// Without the soundfont package the small generation's instrument notes cannot be rendered:
// the quickstart then says so and runs on the tiny models and data instead.
import io.anw.train.*;

String task = args.length > 0 ? args[0] : "instrument_family";
String outDir = args.length > 1 ? args[1] : "out/quickstart";
String modelName = args.length > 2 ? args[2] : "m2d-small";

// 1. Data: generated deterministically on first use (offline) into the model generation's folder.
var gen = SampleGeneration.of(modelName);
if (gen != SampleGeneration.TINY && io.anw.audio.SampleGenerator.available(gen.dataDir(), List.of(task),
    io.anw.audio.SampleGenerator.tasks(gen.bank()), System.out::println).isEmpty()) {
  String tiny = SampleGeneration.TINY.audioModels().get(Math.max(0, gen.audioModels().indexOf(modelName)));
  System.out.println("the " + gen.name() + " generation's " + task + " cannot be made here (see above);\n"
      + "  running on the tiny models instead: " + tiny);
  gen = SampleGeneration.TINY;
  modelName = tiny;
}
Dataset data = WB.sample(task, gen.name());
WB.show(data.summary());

// 2. Model: a hooked ViT of the M2D shape.
var model = WB.sampleModel(modelName);
System.out.println(model);

// 3. Count firing per layer x neuron x class on the training split, and select neurons:
//    AAPE with the paper's settings (filter 0.05, top rate 0.01, bar 0.95) first; Tang et al.'s
//    LAPE settings (filter 0.95) as the second method.
Dataset train = data.split("train");
var counts = WB.count(model, train);
WB.save(counts, outDir + "/counts.npz");
var aape = WB.aape(counts);
System.out.println(aape);
var lape = WB.aape(counts, SelectionMethod.LAPE.defaults());
System.out.println(lape);
// The demo uses AAPE's selection; only when AAPE assigns no neuron at all, LAPE's.
boolean aapeEmpty = aape.allNeurons().isEmpty();
var sel = aapeEmpty ? lape : aape;
String method = aapeEmpty ? "LAPE" : "AAPE";
WB.show(sel.perClass());
WB.show(sel.sharing());
WB.save(sel, outDir + "/selection");

// 4. Necessity: a probe on scene embeddings, then the neurons of the demo class zeroed, against
//    20 random sets with the same per-layer counts. The demo class, by a rule fixed in advance:
//    the class with the most class-specific neurons (ties: the first in class order).
Dataset test = data.split("test");
var probe = WB.probe(model, train);
System.out.println(probe);
String target = null;
for (String c : sel.classes())
  if (target == null || sel.neurons(c).size() > sel.neurons(target).size()) target = c;
var result = WB.deactivate(model, sel.neurons(target), test, probe);
System.out.println("deactivating the " + target + " neurons:");
System.out.println(result);
WB.savePlot(result.plot(), outDir + "/deactivation-" + target + ".png");
WB.savePlot(result.probabilityPlot(), outDir + "/deactivation-" + target + "-probability.png");

// 5. What was found, in plain words.
int cls = result.classes().indexOf(target);
System.out.println();
System.out.println("== What this run found: " + modelName + " on " + task + " (train " + train.size()
    + " clips for counts and probe, test " + test.size() + " clips)");
/** "k of n classes" with class-specific neurons. */
String coverage(NeuronSelection s) {
  long k = s.classes().stream().filter(c -> !s.neurons(c).isEmpty()).count();
  return k + " of " + s.classes().size() + " classes";
}
System.out.println("AAPE (paper's settings): " + NumberText.count(aape.allNeurons().size(), "class-specific neuron")
    + ", coverage " + coverage(aape));
if (aapeEmpty) {
  System.out.println("  a null result: at the paper's settings no neuron of this model passes the bar"
      + " for any class\n  (its most selective neurons fire too rarely); the demo uses LAPE's settings.");
}
System.out.println("LAPE (filter 0.95): " + NumberText.count(lape.allNeurons().size(), "class-specific neuron")
    + ", coverage " + coverage(lape));
System.out.println("demo class (" + method + ", the class with the most neurons): " + target + ", "
    + NumberText.count(sel.neurons(target).size(), "neuron") + " in layers "
    + sel.neurons(target).stream().map(n -> n.layer()).distinct().sorted().toList());
System.out.println(result.finding(target));
boolean accuracy = result.classPValue(cls) <= DeactivationResult.ALPHA;
boolean probability = result.classProbabilityPValue(cls) <= DeactivationResult.ALPHA;
System.out.println("meaning: " + (accuracy && probability
    ? "the probe needs these neurons for " + target + " more than as many random neurons of the\n"
        + "  same layers: selectivity came with necessity here."
    : probability
    ? "a weak effect. Zeroing " + target + "'s neurons lowered the probe's confidence in " + target + "\n"
        + "  beyond random, but not its accuracy: the neurons contribute, other features still carry the class."
    : accuracy
    ? target + "'s accuracy fell beyond random, its mean probability not: a few clips near the\n"
        + "  decision boundary flipped; a weak effect."
    : "a null result. " + target + "'s neurons are selective, but the probe does not need them more\n"
        + "  than random neurons of the same layers: other features carry the class."));
System.out.println("  One class of one model; the RQ3 script tests every class (samples/models/README.md).");

// 6. Listen: the explorer, a static site with each selected neuron's top clips (players,
//    spectrograms with the neuron's activation) beside its class statistics.
if (sel.allNeurons().isEmpty()) {
  System.out.println("no class-specific neuron to listen to: no explorer written");
} else {
  var site = WB.explore(model, train, sel, outDir + "/explorer");
  System.out.println("listen to the neurons: open " + outDir + "/explorer/index.html ("
      + NumberText.count(site.units(), "neuron") + ", " + NumberText.fixed(site.bytes() / 1e6, 1)
      + " MB, no server needed)");
}
System.out.println("outputs in " + outDir);
