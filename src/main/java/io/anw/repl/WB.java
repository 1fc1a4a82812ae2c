package io.anw.repl;

import ai.djl.ndarray.NDArray;
import io.anw.Version;
import io.anw.activation.ActivationCounts;
import io.anw.neuron.EntropySelector;
import io.anw.neuron.NeuronSelection;
import io.anw.neuron.SelectionMethod;
import io.anw.neuron.SelectionParams;
import io.anw.report.Plots;
import java.nio.file.Path;
import org.knowm.xchart.internal.chartpart.Chart;
import io.anw.model.ForwardBenchmark;
import io.anw.model.Hooks;
import io.anw.model.M2dViT;
import io.anw.model.Model;
import io.anw.model.ModelConfig;
import io.anw.model.ModelOutput;
import java.util.List;
import java.util.Map;
import io.anw.tensor.TensorFiles;
import io.anw.tensor.TensorTree;
import java.nio.file.Path;
import io.anw.audio.AudioFiles;
import io.anw.audio.Clip;
import io.anw.audio.Dataset;
import io.anw.audio.LogMel;
import io.anw.audio.SampleGenerator;
import java.nio.file.Path;
import tech.tablesaw.api.Table;

/**
 * The workbench facade, preloaded in the REPL and in {@code .jsh} scripts: its methods are the
 * table of contents of the tool. Each public method carries {@link Help}, from which
 * {@code :help} is generated.
 */
public final class WB {
  private WB() {}

  /** The versions of the workbench, Java, DJL and the tensor engine, one per line. */
  @Help(value = "Versions of the workbench, Java, DJL and the tensor engine", group = "general",
      example = "WB.versions()")
  public static String versions() {
    return "workbench " + Version.workbench() + "\nJava " + Version.java()
        + "\nDJL " + Version.djl() + "\nengine " + Version.engine();
  }

  /** Saves an XChart chart as a PNG (folders created, written atomically); returns the path. */
  @Help(value = "Save an XChart chart as a PNG file", group = "report",
      example = "WB.savePlot(chart, \"out/plots/aape.png\")")
  public static Path savePlot(Chart<?, ?> chart, String path) {
    return Plots.savePng(chart, Path.of(path));
  }

  /** AAPE selection (Kawamura et al. defaults: filter 0.05, top 0.01, bar 0.95). */
  @Help(value = "Select class-specific neurons by AAPE (filter 0.05, top 0.01, bar 0.95)",
      group = "neuron", example = "var sel = WB.aape(counts); sel.perClass()")
  public static NeuronSelection aape(ActivationCounts counts) {
    return EntropySelector.select(counts, SelectionMethod.AAPE.defaults());
  }

  /** Selection with explicit parameters, e.g. {@code SelectionMethod.LAPE.defaults().withTopRate(0.02)}. */
  @Help(value = "Select class-specific neurons with given parameters (LAPE or AAPE, rates)",
      group = "neuron", example = "WB.aape(counts, SelectionMethod.LAPE.defaults())")
  public static NeuronSelection aape(ActivationCounts counts, SelectionParams params) {
    return EntropySelector.select(counts, params);
  }

  /**
   * Shows a value as a rich cell output in a notebook (a table as HTML, a chart as an image);
   * in scripts and the REPL prints it.
   */
  @Help(value = "Show a table, chart or clip as a notebook output (prints it elsewhere)",
      group = "report", example = "WB.show(sel.perClass())")
  public static void show(Object value) {
    io.anw.report.Show.show(value);
  }

  /** An M2D ViT from a flattened checkpoint; sizes from the checkpoint folder name. */
  @Help(value = "M2D ViT from flattened checkpoint tensors and the checkpoint's folder name",
      group = "model",
      example = "var model = WB.m2d(tensors, \"m2d_vit_base-80x608p16x16-220930-mr7\")")
  public static M2dViT m2d(Map<String, NDArray> tensors, String folderName) {
    M2dViT model = M2dViT.fromStateDict(tensors, ModelConfig.fromName(folderName), null);
    model.notes().forEach(n -> System.err.println("note: " + n));
    return model;
  }

  /** A small M2D ViT with random weights (208-frame unit), to try hooks without a checkpoint. */
  @Help(value = "Small M2D ViT with random weights, to try hooks without a checkpoint",
      group = "model", example = "var model = WB.randomM2d(2, 64, 256)")
  public static M2dViT randomM2d(int depth, int width, int mlpDim) {
    return M2dViT.random(ModelConfig.defaults().withName("random-m2d"), depth, width, mlpDim, 0,
        null);
  }

  /** All hook point names of a model, in execution order. */
  @Help(value = "Hook point names of a model, in execution order", group = "model",
      example = "WB.hookNames(model)")
  public static List<String> hookNames(Model model) {
    return model.hookNames();
  }

  /** Hooks that zero neurons of one layer, for {@code model.runWithHooks}. */
  @Help(value = "Hooks zeroing neurons of one layer (blocks.L.mlp.hook_post)", group = "model",
      example = "model.runWithHooks(lms, WB.zeroNeurons(5, 12, 40, 977))")
  public static Hooks zeroNeurons(int layer, int... neurons) {
    return Hooks.zeroNeurons(layer, neurons);
  }

  /** The scene embedding of one normalised log-mel {@code [mel, frames]}. */
  @Help(value = "Scene embedding (time-mean of the stacked features) of one normalised log-mel",
      group = "model", example = "WB.sceneEmbedding(model, model.normalize(lms))")
  public static float[] sceneEmbedding(Model model, NDArray logMel) {
    try (ModelOutput out = model.run(logMel)) {
      return out.sceneEmbedding().toFloatArray();
    }
  }

  /** Benchmark figures of the forward pass on this machine, as printable lines. */
  @Help(value = "Benchmark: matmul GFLOP/s, ViT-B forward GFLOP/s, cache and hook overhead",
      group = "model", example = "System.out.print(WB.benchForward())")
  public static String benchForward() {
    return ForwardBenchmark.run(2, 5).report();
  }

  /**
   * Opens a tensor file (.safetensors, .pt/.pth, .npy, .npz) as a tree of named tensors and
   * metadata; values stay memory-mapped until used. Printing the result shows a summary.
   */
  @Help(value = "Open a .safetensors/.pt/.pth/.npy/.npz file as named tensors + metadata", group = "tensor",
      example = "WB.load(\"ckpt.pth\")")
  public static TensorTree load(String path) {
    return load(Path.of(path));
  }

  /** {@link #load(String)} for a {@link Path}. */
  @Help(value = "Open a tensor file given as a Path", group = "tensor", example = "WB.load(Path.of(\"ckpt.pth\"))")
  public static TensorTree load(Path path) {
    return TensorFiles.read(path);
  }

  // --- audio -------------------------------------------------------------------------------

  /** Decodes a WAV/FLAC file to mono and resamples it to the model rate (16 kHz). */
  @Help(value = "Read a WAV/FLAC file as a mono 16 kHz clip", group = "audio",
      example = "var clip = WB.audio(\"samples/data/texture/hum/hum-000.wav\")")
  public static Clip audio(String path) {
    return AudioFiles.read(Path.of(path), AudioFiles.MODEL_RATE);
  }

  /** The M2D log-mel spectrogram of a clip, {@code float[80][frames]}, before normalisation. */
  @Help(value = "M2D log-mel [80, frames] of a clip (preset m2d-16k)", group = "audio",
      example = "float[][] mel = WB.logmel(clip)")
  public static float[][] logmel(Clip clip) {
    return logmel(clip, "m2d-16k");
  }

  /** The log-mel spectrogram of a clip with a named preset ({@code m2d-16k}, {@code m2d-32k}). */
  @Help(value = "Log-mel of a clip with a named preset (m2d-16k, m2d-32k)", group = "audio",
      example = "WB.logmel(clip, \"m2d-32k\")")
  public static float[][] logmel(Clip clip, String preset) {
    return LogMel.of(preset).compute(clip);
  }

  /** Opens a labelled dataset: a CSV ({@code file_name,label[,split]}) or a class-folder directory. */
  @Help(value = "Open a dataset (CSV file_name,label[,split] or class folders)", group = "audio",
      example = "var ds = WB.dataset(\"samples/data/pitch_synth/labels.csv\"); ds.summary()")
  public static Dataset dataset(String path) {
    return Dataset.open(Path.of(path));
  }

  /** The generated sample tasks, generating them into {@code samples/data} first if missing. */
  @Help(value = "List the sample tasks (generated into samples/data if missing)", group = "audio",
      example = "WB.samples()")
  public static Table samples() {
    Path out = SampleGenerator.DEFAULT_OUT;
    if (!SampleGenerator.exists(out)) {
      return SampleGenerator.generate(out, SampleGenerator.DEFAULT_SEED,
          SampleGenerator.DEFAULT_CLIPS_PER_TASK, System.out::println);
    }
    return SampleGenerator.index(out);
  }

  /** One sample task as a dataset, generating the samples first if missing. */
  @Help(value = "One sample task as a dataset, e.g. pitch_synth, spoken_language", group = "audio",
      example = "var ds = WB.sample(\"instrument_family\")")
  public static Dataset sample(String task) {
    samples();
    return Dataset.open(SampleGenerator.DEFAULT_OUT.resolve(task).resolve(SampleGenerator.LABELS));
  }

  // --- intervention: activation patching, attribution patching, grounding (issue 7) -------
  // Fully qualified names keep this section free of import-block merges.

  /** The default patching metric: the probe's logit difference on the scene embedding. */
  @Help(value = "Patching metric: probe logit difference (correct class minus best other)",
      group = "intervention", example = "var metric = WB.probeMetric(probe, 2)")
  public static io.anw.intervention.PatchMetric probeMetric(
      io.anw.intervention.LinearProbe probe, int... classes) {
    return io.anw.intervention.PatchMetric.probeLogitDiff(probe, classes);
  }

  /** A patching metric from any function of the output (not batched, no attribution). */
  @Help(value = "Patching metric from any function of the model output",
      group = "intervention",
      example = "WB.metric(out -> (double) out.sceneEmbedding().get(\"0, 5\").getFloat())")
  public static io.anw.intervention.PatchMetric metric(
      java.util.function.Function<ModelOutput, Double> metric) {
    return io.anw.intervention.PatchMetric.of(metric);
  }

  /** Denoising: the corrupted run with the targets patched from the clean run. */
  @Help(value = "Denoising patch (sufficiency): corrupted run, clean activations at targets",
      group = "intervention", example = "WB.denoise(model, clean, corrupted, metric,"
      + " PatchTarget.positions(\"blocks.3.hook_resid_pre\", 5))")
  public static io.anw.intervention.PatchResult denoise(Model model, NDArray clean,
      NDArray corrupted, io.anw.intervention.PatchMetric metric,
      io.anw.intervention.PatchTarget... targets) {
    return io.anw.intervention.Patching.denoise(model, clean, corrupted, metric, targets);
  }

  /** Noising: the clean run with the targets patched from the corrupted run. */
  @Help(value = "Noising patch (necessity): clean run, corrupted activations at targets",
      group = "intervention",
      example = "WB.noise(model, clean, corrupted, metric, PatchTarget.neurons(5, 12, 40))")
  public static io.anw.intervention.PatchResult noise(Model model, NDArray clean,
      NDArray corrupted, io.anw.intervention.PatchMetric metric,
      io.anw.intervention.PatchTarget... targets) {
    return io.anw.intervention.Patching.noise(model, clean, corrupted, metric, targets);
  }

  /** Denoising sweep over hook points × token positions; table() and heatmap(). */
  @Help(value = "Denoising sweep: hook points x token positions (table + heatmap)",
      group = "intervention", example = "var s = WB.patchSweep(model, clean, corrupted, metric,"
      + " \"blocks.*.hook_resid_pre\"); WB.show(s.heatmap())")
  public static io.anw.intervention.SweepResult patchSweep(Model model, NDArray clean,
      NDArray corrupted, io.anw.intervention.PatchMetric metric, String hooks) {
    return io.anw.intervention.PatchSweep.positions(model,
        io.anw.intervention.PatchDirection.DENOISE, clean, corrupted, metric, hooks);
  }

  /** Sweep over hook points × token positions in either direction. */
  @Help(value = "Patching sweep (denoise or noise): hook points x token positions",
      group = "intervention", example = "WB.patchSweep(model, PatchDirection.NOISE, clean,"
      + " corrupted, metric, \"blocks.*.hook_attn_out\")")
  public static io.anw.intervention.SweepResult patchSweep(Model model,
      io.anw.intervention.PatchDirection direction, NDArray clean, NDArray corrupted,
      io.anw.intervention.PatchMetric metric, String hooks) {
    return io.anw.intervention.PatchSweep.positions(model, direction, clean, corrupted, metric,
        hooks);
  }

  /** Denoising sweep over layers × groups of MLP neurons. */
  @Help(value = "Denoising sweep: layers x groups of MLP neurons (table + heatmap)",
      group = "intervention",
      example = "WB.show(WB.neuronGroupSweep(model, clean, corrupted, metric, 256).heatmap())")
  public static io.anw.intervention.SweepResult neuronGroupSweep(Model model, NDArray clean,
      NDArray corrupted, io.anw.intervention.PatchMetric metric, int groupSize) {
    return io.anw.intervention.PatchSweep.neuronGroups(model,
        io.anw.intervention.PatchDirection.DENOISE, clean, corrupted, metric, groupSize);
  }

  /** Attribution patching of every MLP neuron (denoising); check(k) patches the top k for real. */
  @Help(value = "Attribution patching of all MLP neurons (gradient x activation difference)",
      group = "intervention", example = "var a = WB.attributionPatching(model, clean, corrupted,"
      + " metric); a.top(20); a.check(20)")
  public static io.anw.intervention.AttributionResult attributionPatching(Model model,
      NDArray clean, NDArray corrupted, io.anw.intervention.PatchMetric metric) {
    return io.anw.intervention.AttributionPatching.neurons(model,
        io.anw.intervention.PatchDirection.DENOISE, clean, corrupted, metric);
  }

  /** Grounding coefficients of neurons between two audio+text conditions (activation probability). */
  @Help(value = "Grounding coefficient: audio vs text part swapped between two conditions",
      group = "intervention", example = "WB.groundingCoefficient(model, neurons,"
      + " PartedInput.of(audioA, textA), PartedInput.of(audioB, textB)).table()")
  public static io.anw.intervention.GroundingResult groundingCoefficient(Model model,
      java.util.Collection<io.anw.neuron.Neuron> neurons, io.anw.model.PartedInput a,
      io.anw.model.PartedInput b) {
    return io.anw.intervention.GroundingCoefficient.compute(model, neurons, a, b,
        io.anw.intervention.GroundingStat.PROBABILITY);
  }

  /** Grounding of an audio-only model (GC = 1 by construction) between two log-mels. */
  @Help(value = "Grounding coefficient of an audio-only model (1 by construction, says so)",
      group = "intervention", example = "WB.groundingCoefficient(model, neurons, lmsA, lmsB)")
  public static io.anw.intervention.GroundingResult groundingCoefficient(Model model,
      java.util.Collection<io.anw.neuron.Neuron> neurons, NDArray audioA, NDArray audioB) {
    return io.anw.intervention.GroundingCoefficient.compute(model, neurons, audioA, audioB,
        io.anw.intervention.GroundingStat.PROBABILITY);
  }

  /** A log-mel cut or zero-padded to a number of frames (to share a token layout). */
  @Help(value = "Crop or zero-pad a log-mel to N frames (clean/corrupted must match)",
      group = "intervention", example = "var corrupted = WB.cropOrPad(other, 208)")
  public static NDArray cropOrPad(NDArray logMel, int frames) {
    return io.anw.intervention.TokenLayout.cropOrPad(logMel, frames);
  }
}
