// quickstart.jsh -- the whole method on the shipped sample data, end to end:
//   sample audio -> log-mels -> a hooked ViT -> firing counts -> AAPE class-specific neurons
//   -> tables and plots -> a probe -> deactivation of one class's neurons vs random neurons.
//
// Run:  ./workbench run scripts/quickstart.jsh [TASK] [OUTDIR]      (default: texture out/quickstart)
//
// The model: until trained sample models ship (samples/models/), this uses a randomly
// initialised M2D-shaped ViT -- the paper's random-init control. Swap in a real checkpoint with
//   var model = WB.model("path/to/m2d_vit_base-80x608p16x16-220930-mr7/checkpoint-300.pth");

String task = args.length > 0 ? args[0] : "texture";
String outDir = args.length > 1 ? args[1] : "out/quickstart";

// 1. Data: generated deterministically on first use under samples/data/ (offline).
Dataset data = WB.sample(task);
System.out.println(data.summary());

// 2. Model: 4 blocks, width 128, MLP 512 neurons per layer, 208-frame unit, seed 7.
var model = WB.randomM2d(4, 128, 512);
System.out.println(model);

// 3. Count firing per layer x neuron x class on the training split, and select neurons.
Dataset train = data.split("train");
var counts = WB.count(model, train);
WB.save(counts, outDir + "/counts.npz");
var sel = WB.aape(counts, SelectionMethod.AAPE.defaults().withTopRate(0.05));
System.out.println(sel);
System.out.println(sel.perClass());
System.out.println(sel.sharing());
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
