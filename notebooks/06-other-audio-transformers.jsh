// %% [markdown]
// # Beyond M2D: HuBERT, wav2vec 2.0, Whisper's encoder and AST
//
// The method does not care which transformer it reads: a neuron is one unit of a block's FFN
// intermediate activation (`blocks.L.mlp.hook_post`), whatever the model. The workbench reads
// the other common audio transformers as they are distributed — a Hugging Face folder
// (`config.json` + `model.safetensors` or `pytorch_model.bin`) or an OpenAI Whisper `.pt` —
// with each family's own front end: the 16 kHz waveform for HuBERT and wav2vec 2.0, Whisper's
// log-mel of a 30 s window, AST's Kaldi fbank of 10.24 s.
//
// The four folders under `samples/models/` are **random-init** (seed 1, width 64, 2 blocks of
// 256 neurons; `./workbench samples hf-models` writes them). They show the mechanics offline;
// their neurons have learnt nothing, so read no finding into the numbers below. Point
// `WB.model` at a real checkpoint folder for results.

// %%
Dataset data = WB.sample("pitch_synth");
Dataset train = data.split("train");
Dataset test = data.split("test");
var hubert = WB.model("samples/models/hubert-tiny");
hubert

// %% [markdown]
// ## 1. Counting is the same call for every family
//
// `WB.count` runs the model's front end on the loading threads and counts, per layer × neuron
// × class, the tokens where each neuron is above zero. HuBERT has one token per 20 ms frame of
// the waveform; every token covers audio, so all are counted.

// %%
var hubertCounts = WB.count(hubert, test);
hubertCounts

// %% [markdown]
// ## 2. Padding is left out
//
// Whisper reads every input as 30 s: a one-second clip is 50 frames of audio and 1 450 of
// padding. Counting them all would drown the clip in silence, so by default Whisper and AST
// count only the tokens that cover audio (`tokens = audio` in the provenance); `"all"` includes
// the padding when you want it.

// %%
var whisper = WB.model("samples/models/whisper-tiny");
var audioOnly = WB.count(whisper, test);
var withPadding = WB.count(whisper, test, "all");
System.out.println("tokens counted per clip: " + audioOnly.nPerClass()[0] / (test.size() / 5)
    + " (audio) vs " + withPadding.nPerClass()[0] / (test.size() / 5) + " (all)");
System.out.println("provenance: preset " + audioOnly.provenance().get("preset") + ", tokens "
    + audioOnly.provenance().get("tokens"));

// %% [markdown]
// ## 3. Token groups: AST's CLS and distillation tokens
//
// AST puts a CLS and a distillation token before its 16 × 16 patches. Count them alone with the
// `cls` or `dist` group, as for M2D's CLS token.

// %%
var ast = WB.model("samples/models/ast-tiny");
WB.count(ast, test, "cls")

// %% [markdown]
// ## 4. The whole chain on wav2vec 2.0
//
// Select, probe, deactivate: the same three calls as notebooks 01 and 02, here on a wav2vec 2.0
// folder in the "stable layer norm" layout (pre-norm, like the large models). The selection
// uses loose settings (top 20 %, bar 0.3), because a random-init model has almost no
// class-specific neurons at the paper's.

// %%
var w2v = WB.model("samples/models/wav2vec2-tiny");
var sel = WB.aape(WB.count(w2v, train), new SelectionParams(SelectionMethod.AAPE, 0.05, 0.2, 0.3));
sel.perClass()

// %%
String target = sel.perClass().sortDescendingOn("neurons").stringColumn("class").get(0);
var probe = WB.probe(w2v, train);
var result = WB.deactivate(w2v, sel.neurons(target), test, probe);
System.out.println("class " + target + ": " + sel.neurons(target).size() + " neurons");
result.summary()

// %% [markdown]
// Even a random-init network's activations separate octaves well enough for a linear probe
// (random features are still features of the sound). Zeroing the selected neurons of a random
// network hurts no more than zeroing random neurons of the same per-layer counts: the chain
// runs and reports the null result as such.

// %% [markdown]
// ## 5. What drives a neuron: top clips, where they fire, what to listen to
//
// `WB.top` ranks the clips by each neuron's strongest token and says where that token is, in
// each family's own geometry: wav2vec 2.0 and HuBERT tokens are frames every 20 ms that see
// 25 ms of waveform over the whole band; Whisper's are 20 ms steps of its log-mel; AST's are
// 16 × 16 patches of its fbank (160 ms × a mel band, every 100 ms and every 10 bins, so they
// overlap). `.show(unit)` lays out each top clip with an excerpt, a focused version, and the
// picture: the family's own spectrogram with the activation drawn over its tokens.

// %%
var top = WB.top(w2v, test, sel.neurons(target), 3);
top

// %%
top.show(top.units().get(0))

// %% [markdown]
// AST's picture is its 128-bin fbank; each patch is painted over its 10 × 10 stride cell and
// the strongest one outlined at its full 16 × 16 extent.

// %%
var astTop = WB.top(ast, test, "1:3,1:7", 3);
astTop.show(astTop.units().get(0))

// %%
for (var m : List.of(hubert, whisper, ast, w2v)) m.close();
