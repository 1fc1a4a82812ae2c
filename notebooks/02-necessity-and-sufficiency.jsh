// %% [markdown]
// # Necessity and sufficiency: do the selected neurons matter?
//
// Notebook 01 found *class-specific* neurons: neurons that fire for some classes much more than
// for others. Selectivity is a correlation. This notebook asks the causal questions:
//
// * **Necessity** — if we switch a class's neurons off, does the model lose that class? We
//   measure it with a linear probe on the model's embeddings and compare with switching off
//   *random* neurons, the same number in every layer (Kawamura et al. 2026).
// * **Sufficiency** — if we copy a class's activations into another input, does the class come
//   back? That is activation patching (denoising), covered at the end.
//
// The model is again the self-supervised sample model `m2d-small`, on the instrument family task.

// %%
Dataset data = WB.sample("instrument_family", "small");
Dataset train = data.split("train");
Dataset test = data.split("test");
var model = WB.sampleModel("m2d-small");
var sel = WB.aape(WB.count(model, train), SelectionMethod.LAPE.defaults());
sel.perClass()

// %% [markdown]
// ## 1. A linear probe
//
// The probe reads the frozen *scene embedding* (the time average of the stacked patch
// features, `[5 · width]`), standardised with the training set's statistics, through one
// softmax layer trained with Adam and early stopping — EVAR's linear evaluation.

// %%
var probe = WB.probe(model, train);
var baseline = WB.evaluate(probe, model, test);
baseline.perClass()

// %% [markdown]
// ## 2. Deactivating one class's neurons
//
// We zero the neurons selected for the class with the most specific neurons, recompute the test
// embeddings through hooks on `blocks.L.mlp.hook_post`, and score the **same** probe. Twenty
// random sets with the same per-layer counts give the baseline for "any neurons this many".
// The z-score compares the targeted accuracy with the random ones; the empirical p-value is the
// share of random sets that hurt at least as much.

// %%
String target = sel.perClass().sortDescendingOn("neurons").stringColumn("class").get(0);
var result = WB.deactivate(model, sel.neurons(target), test, probe);
System.out.println("class " + target + ": " + sel.neurons(target).size() + " neurons");
result.summary()

// %%
result.perClass()

// %% [markdown]
// Read it per class. Overall accuracy does not move (drop 0, z = 0.32, p = 0.95): zeroing 30 of
// 4 608 neurons flips no test clip. The class whose neurons we zeroed is the one to look at.
// `bass` keeps its accuracy (0.92, as under every random set), but the probe's mean probability
// for the true class drops by 0.015, more than under any of the 20 random sets (p = 0.048, the
// smallest p that 20 sets can give). `finding` puts it in words:

// %%
System.out.println(result.finding(target));

// %% [markdown]
// A weak effect: these neurons contribute to `bass` beyond random neurons of the same layers,
// but other features still carry the class. The model card's RQ3 table tests every class of
// every task this way (`scripts/rq3-deactivation.jsh small`).

// %%
result.plot()

// %% [markdown]
// ## 3. Sufficiency: activation patching
//
// Take a *clean* input (a clip of the target class) and a *corrupted* one (a clip of another
// class, same length so the token grids line up). **Denoising** runs the corrupted input and
// copies in the clean activations at one place — a hook point, some token positions, some
// neurons — and asks how much of the clean behaviour comes back: the probe's logit difference
// for the target class, normalised so that 0 = corrupted and 1 = clean.

// %%
int targetIndex = data.classes().indexOf(target);
String other = data.classes().get((targetIndex + 3) % data.classes().size());
int cleanItem = IntStream.range(0, test.size())
    .filter(i -> test.items().get(i).label().equals(target)).findFirst().getAsInt();
int corruptItem = IntStream.range(0, test.size())
    .filter(i -> test.items().get(i).label().equals(other)).findFirst().getAsInt();
var nd = NDManager.newBaseManager();
NDArray clean = model.normalize(nd.create(WB.logmel(test.load(cleanItem))));
NDArray corrupted = model.normalize(nd.create(WB.logmel(test.load(corruptItem))));
var metric = WB.probeMetric(probe, targetIndex);
System.out.println("clean: " + target + ", corrupted: " + other);
WB.denoise(model, clean, corrupted, metric,
    PatchTarget.neurons(sel.neurons(target)).toArray(PatchTarget[]::new))

// %% [markdown]
// Patching the whole residual stream at one token of one layer shows *where* the information
// that tells the classes apart sits. Each cell is one denoising run; brighter = more of the
// clean behaviour restored.

// %%
var sweep = WB.patchSweep(model, clean, corrupted, metric, "blocks.*.hook_resid_pre");
sweep.heatmap()

// %% [markdown]
// ## Exercises
//
// 1. Deactivate the neurons of a class with *no* specific neurons — what does the experiment
//    say, and why is that the right answer?
//
// <details><summary>Answer</summary>
//
// An empty set changes nothing: the targeted accuracy equals the baseline and every random set
// is empty too. The call below shows it; a z-score of 0 and p = 1 mean "no evidence of
// necessity", which is exactly what an empty set deserves.
//
// </details>

// %%
String none = sel.perClass().sortOn("neurons").stringColumn("class").get(0);
WB.deactivate(model, sel.neurons(none), test, probe).summary()

// %% [markdown]
// 2. Repeat the experiment with the random-init control `WB.sampleModel("random-small")`, its
//    own LAPE neurons and its own probe. Does its class lose more than under random sets? Why
//    does the paper insist on the random baseline?
//
// <details><summary>Answer</summary>
//
// The random model's class with the most neurons is `pipe` (33 neurons). Zeroing them costs
// `pipe` more accuracy than in the trained model (0.92 → 0.77), which looks like necessity —
// but random sets of the same per-layer counts cost it 0.07 on average too, and the targeted
// drop is not beyond them (p = 0.19; probability p = 0.095). A random network's features are
// fragile and its "selective" neurons mostly follow input energy, so any neurons hurt a little.
// Without the random baseline, "accuracy fell by 0.15" would have been read as a finding; with
// it, the trained model's small but significant probability drop for `bass` is the stronger
// evidence. Report both, as measured.
//
// </details>

// %%
var random = WB.sampleModel("random-small");
var randomSel = WB.aape(WB.count(random, train), SelectionMethod.LAPE.defaults());
String randomTarget = randomSel.perClass().sortDescendingOn("neurons").stringColumn("class").get(0);
var randomProbe = WB.probe(random, train);
System.out.println(randomTarget + ": " + randomSel.neurons(randomTarget).size() + " neurons");
System.out.println(WB.deactivate(random, randomSel.neurons(randomTarget), test, randomProbe)
    .finding(randomTarget));
random.close();

// %%
nd.close();
