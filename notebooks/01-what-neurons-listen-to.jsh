// %% [markdown]
// # What do neurons listen to?
//
// This notebook walks through the method of Kawamura et al. 2026 (*What Do Neurons Listen
// To?*), built on Tang et al.'s LAPE, step by step: from a sound file to a log-mel
// spectrogram, through a transformer's hook points, to per-class firing counts, to the
// **class-specific neurons** that AAPE selects, and to plots that show where they live.
//
// Run it as a script (`./workbench run notebooks/01-what-neurons-listen-to.jsh`) or render it:
// `./workbench notebook notebooks/01-what-neurons-listen-to.jsh --html out/01.html`.
//
// **The model.** `m2d-small`, a shipped sample model: a small M2D (6 blocks, width 192, 768
// MLP neurons per block) trained self-supervised on the small generation's sample audio
// (`samples/models/README.md`). Everything below works unchanged with a real M2D checkpoint
// loaded by `WB.model("…/checkpoint-300.pth")`, or with the random-init control
// `WB.sampleModel("random-small")`.

// %% [markdown]
// ## 1. A labelled sound
//
// `WB.sample(task, generation)` generates a sample task on first use (offline, deterministic)
// and opens it as a dataset: a CSV of `file_name,label,split`. The *instrument family* task of
// the `small` generation has 1 s notes of General MIDI instruments, rendered from the recorded
// samples of the FluidR3 soundfont (Debian's `fluid-soundfont-gm`) with varied velocity,
// length, room and a little noise, grouped by family (piano, organ, guitar, strings, ...).

// %%
Dataset data = WB.sample("instrument_family", "small");
data.summary()

// %%
// The first clip of the second class.
String someClass = data.classes().get(1);
int first = IntStream.range(0, data.size())
    .filter(i -> data.items().get(i).label().equals(someClass)).findFirst().getAsInt();
Clip clip = data.load(first);
clip

// %% [markdown]
// ## 2. From waveform to log-mel
//
// The model never sees the waveform. M2D's front end cuts it into 25 ms windows every 10 ms
// (16 kHz: window 400, hop 160), takes the power spectrum, pools it into 80 mel bands between
// 50 Hz and 8 kHz and takes the logarithm. One second becomes `[80, 101]`.

// %%
float[][] lm = WB.logmel(clip);
System.out.println(lm.length + " mel bins x " + lm[0].length + " frames");
WB.picture(lm)

// %% [markdown]
// ## 3. The model and its hook points
//
// The log-mel is normalised, cut into 16 × 16 patches (5 frequency × T time patches), embedded,
// and a CLS token is prepended. Every intermediate result has a stable name — a **hook point**.
// The neurons we study are the GELU outputs of each block's MLP: `blocks.i.mlp.hook_post`.

// %%
var model = WB.sampleModel("m2d-small");
WB.hookNames(model).subList(0, 13)

// %%
var manager = NDManager.newBaseManager();
NDArray x = model.normalize(manager.create(lm));
var cache = model.runWithCache(x, "blocks.*.mlp.hook_post");
NDArray layer2 = cache.get("blocks.2.mlp.hook_post");
layer2.getShape()

// %% [markdown]
// The shape is `[batch, tokens, neurons]`: one clip; 1 CLS token + 5 frequency × T time
// patches (the frames padded to a multiple of 16); 768 neurons. A neuron "fires" on a token when its output is
// above zero.

// %%
float firing = layer2.gt(0f).toType(DataType.FLOAT32, false).mean().getFloat();
System.out.printf("%.1f%% of layer 2's neuron outputs are > 0 on this clip%n", 100 * firing);
cache.close();
manager.close();

// %% [markdown]
// ## 4. Counting firing per class
//
// Over a whole dataset we only need, per layer l, neuron j and class c, how many tokens had the
// neuron above zero (`over_zero[l, j, c]`) and how many tokens of the class were seen (`n[c]`).
// Memory stays `layers × neurons × classes`, however much audio we stream.

// %%
var counts = WB.count(model, data.split("train"));
counts

// %% [markdown]
// ## 5. Activation-probability entropy (AAPE)
//
// With P[l,j,c] = over_zero / n[c] and Q = P normalised over classes, the entropy
// H[l,j] = −Σ_c Q ln Q is low when a neuron fires for few classes. The selection drops neurons
// whose P never passes a *filter* percentile, keeps the 1 % with the lowest entropy, and
// assigns each to the classes whose P is above the 95th percentile of all P. Tang et al.'s LAPE
// filters at the 95th percentile (only very active neurons compete); Kawamura et al.'s AAPE at
// the 5th (drop only the rarely active). We start with LAPE; exercise 1 compares.

// %%
var sel = WB.aape(counts, SelectionMethod.LAPE.defaults());
sel

// %%
sel.perClass()

// %%
sel.plotEntropy()

// %%
sel.plotClassLayers()

// %% [markdown]
// ## 6. One neuron up close
//
// The lowest-entropy neuron, and its firing probability for every class.

// %%
Neuron top = sel.kept().get(0);
System.out.println(top + " has entropy " + NumberText.decimal(sel.entropy(top.layer(), top.index())) + " nats");
sel.plotNeuron(top)

// %% [markdown]
// ## Exercises
//
// 1. Select with AAPE's settings (`WB.aape(counts)`: filter 0.05). How do the number of
//    class-specific neurons and the class coverage change, and why?
//
// <details><summary>Answer</summary>
//
// AAPE's 5th-percentile filter lets rarely active neurons compete. Their entropy is lowest —
// they fire, rarely, for one class — so they fill the 1 % quota, but their probabilities stay
// far below the 95th-percentile bar, so few or no classes get assigned — here none at all:
// LAPE finds 46 neurons covering 8 of 9 classes, AAPE 0. The model card shows the same for
// `m2d-small` on every sample task at the paper's settings: a null result of this small model,
// reported as such. LAPE's filter keeps only neurons with some probability above the 95th
// percentile, and those pass the bar. Which neurons count as "specific" depends on these rates:
// always report them.
//
// </details>

// %%
var aape = WB.aape(counts);
System.out.printf("LAPE: %d neurons, coverage %.0f%%;  AAPE: %d neurons, coverage %.0f%%%n",
    sel.allNeurons().size(), 100 * sel.coverage(), aape.allNeurons().size(), 100 * aape.coverage());

// %% [markdown]
// 2. Repeat the selection with the random-init control `WB.sampleModel("random-small")`. It has
//    "class-specific" neurons too. What does that tell you about reading selectivity as meaning?
//
// <details><summary>Answer</summary>
//
// With LAPE's settings the untrained network also gets 46 "class-specific" neurons, covering 4
// of 9 classes (the trained one: 8 of 9), most of them for `pipe` and `bass`. Selectivity can
// come from the input statistics alone: louder, lower or broader-band sounds drive many random
// features harder than others. That is why the paper compares against a random-init model and
// why notebook 02 tests whether the neurons are *necessary* (deactivation against random
// neurons) rather than only selective.
//
// </details>

// %%
try (var random = WB.sampleModel("random-small")) {
  System.out.println(WB.aape(WB.count(random, data.split("train")), SelectionMethod.LAPE.defaults()));
}
