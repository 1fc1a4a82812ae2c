// quickstart.jsh -- the whole method on the shipped sample data, end to end:
//   sample audio -> log-mels -> a hooked ViT -> firing counts -> AAPE class-specific neurons
//   -> tables and plots -> a probe -> deactivation of one class's neurons vs random neurons.
//
// Run:  ./workbench run scripts/quickstart.jsh [TASK] [OUTDIR] [MODEL]
//       (defaults: instrument_family out/quickstart m2d-tiny)
//
// The model: the shipped sample model m2d-tiny, a small M2D trained self-supervised on the
// sample audio (samples/models/README.md). Try "vit-sl-tiny" (supervised) or "random-tiny"
// (the random-init control), or a real checkpoint:
//   var model = WB.model("path/to/m2d_vit_base-80x608p16x16-220930-mr7/checkpoint-300.pth");

String task = args.length > 0 ? args[0] : "instrument_family";
String outDir = args.length > 1 ? args[1] : "out/quickstart";

// 1. Data: generated deterministically on first use under samples/data/ (offline).
Dataset data = WB.sample(task);
WB.show(data.summary());

// 2. Model: 4 blocks, width 128, MLP 512 neurons per layer, 208-frame unit.
String modelName = args.length > 2 ? args[2] : "m2d-tiny";
var model = WB.sampleModel(modelName);
System.out.println(model);

// 3. Count firing per layer x neuron x class on the training split, and select neurons.
Dataset train = data.split("train");
var counts = WB.count(model, train);
WB.save(counts, outDir + "/counts.npz");
// Tang et al.'s LAPE settings (filter 0.95, top 0.01, bar 0.95). On this small model AAPE's
// defaults (filter 0.05) keep near-silent, selective neurons whose probabilities rarely pass the
// 95th-percentile bar, so it assigns almost none (one neuron here); both are printed.
System.out.println(WB.aape(counts));
var sel = WB.aape(counts, SelectionMethod.LAPE.defaults());
System.out.println(sel);
WB.show(sel.perClass());
WB.show(sel.sharing());
WB.save(sel, outDir + "/aape");

// 4. Necessity: a probe on scene embeddings, then the neurons of the class with the most
//    specific neurons zeroed, against 20 random sets with the same per-layer counts.
Dataset test = data.split("test");
var probe = WB.probe(model, train);
System.out.println(probe);
String target = sel.perClass().sortDescendingOn("neurons").stringColumn("class").get(0);
var result = WB.deactivate(model, sel.neurons(target), test, probe);
System.out.println("deactivating the " + target + " neurons:");
System.out.println(result);
WB.savePlot(result.plot(), outDir + "/deactivation-" + target + ".png");
System.out.println("outputs in " + outDir);
