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

  // --- counting, probes, deactivation (the pipeline on datasets) ------------------------------

  /** Loads an M2D checkpoint (.pth, .safetensors); sizes from the tensors and folder name. */
  @Help(value = "Load an M2D checkpoint (.pth/.safetensors) as a hooked model", group = "model",
      example = "var model = WB.model(\"samples/models/m2d-tiny.safetensors\")")
  public static M2dViT model(String path) {
    Path file = Path.of(path);
    io.anw.report.Provenance.record("model", file.getFileName() + " sha256:"
        + io.anw.report.Provenance.sha256(file));
    return io.anw.model.ModelFiles.loadM2d(file);
  }

  /** Counts, per layer x neuron x class, the tokens where each MLP neuron fires (> 0). */
  @Help(value = "Count neuron firing per layer x neuron x class over a dataset",
      group = "activation", example = "var counts = WB.count(model, WB.dataset(\"data.csv\"))")
  public static ActivationCounts count(M2dViT model, Dataset data) {
    java.util.Map<String, String> prov = new java.util.LinkedHashMap<>();
    prov.put("model", model.name());
    prov.put("weights_sha256", io.anw.model.ModelFiles.weightsSha256(model));
    prov.put("data", data.name());
    boolean terminal = System.console() != null;
    int[] last = {-1};
    ActivationCounts counts = io.anw.activation.CountRun.run(model, data,
        io.anw.activation.CountRun.Options.defaults(), prov, n -> {
          int pct = (int) (100 * n / Math.max(1, data.size()));
          if (terminal && pct / 5 != last[0] / 5) {
            last[0] = pct;
            System.err.print("\rcounting " + n + "/" + data.size() + " clips (" + pct + "%)");
          }
        });
    System.err.println((terminal ? "\r" : "") + "counted " + data.size() + " clips of "
        + data.name());
    return counts;
  }

  /** Reads a counts file written by {@code count} (or by Python in the same layout). */
  @Help(value = "Read a counts .npz (over_zero, n, classes)", group = "activation",
      example = "var counts = WB.counts(\"out/counts.npz\")")
  public static ActivationCounts counts(String path) {
    return io.anw.activation.CountsFile.read(Path.of(path));
  }

  /** Writes counts as .npz ({@code numpy.load} reads it). */
  @Help(value = "Write counts as .npz", group = "activation",
      example = "WB.save(counts, \"out/counts.npz\")")
  public static Path save(ActivationCounts counts, String path) {
    return io.anw.activation.CountsFile.write(counts, Path.of(path));
  }

  /** Writes a selection's neurons.csv, summary, tables and plots into a folder. */
  @Help(value = "Write a selection's neurons.csv, tables and plots into a folder",
      group = "neuron", example = "WB.save(sel, \"out/aape\")")
  public static java.util.List<Path> save(NeuronSelection selection, String dir) {
    return io.anw.neuron.SelectionFiles.write(selection, Path.of(dir));
  }

  /** Scene embeddings {@code [clips][fbins*D]} of a dataset, in dataset order. */
  @Help(value = "Scene embeddings of every clip of a dataset", group = "intervention",
      example = "float[][] x = WB.embeddings(model, data)")
  public static float[][] embeddings(M2dViT model, Dataset data) {
    return io.anw.activation.DatasetInputs.sceneEmbeddings(model, data, 8);
  }

  /** Trains a linear probe (EVAR-style) on a dataset's scene embeddings. */
  @Help(value = "Train a linear probe on a dataset's scene embeddings", group = "intervention",
      example = "var probe = WB.probe(model, data.split(\"train\"))")
  public static io.anw.intervention.LinearProbe probe(M2dViT model, Dataset train) {
    return io.anw.intervention.LinearProbe.train(embeddings(model, train),
        io.anw.activation.DatasetInputs.labels(train), train.classes(),
        io.anw.intervention.ProbeOptions.defaults());
  }

  /** Accuracy, macro-F1 and per-class accuracy of a probe on a dataset. */
  @Help(value = "Evaluate a probe on a dataset (accuracy, macro-F1, per class)",
      group = "intervention", example = "WB.evaluate(probe, model, data.split(\"test\"))")
  public static io.anw.intervention.ProbeEvaluation evaluate(
      io.anw.intervention.LinearProbe probe, M2dViT model, Dataset test) {
    return probe.evaluate(embeddings(model, test), io.anw.activation.DatasetInputs.labels(test));
  }

  /**
   * Zeroes {@code neurons} and compares the probe's accuracy with 20 random sets of the same
   * per-layer counts (seed 0).
   */
  @Help(value = "Deactivate neurons vs 20 random sets of equal per-layer counts: table, z, p",
      group = "intervention",
      example = "var r = WB.deactivate(model, sel.neurons(\"hum\"), test, probe); r.plot()")
  public static io.anw.intervention.DeactivationResult deactivate(M2dViT model,
      java.util.Collection<io.anw.neuron.Neuron> neurons, Dataset test,
      io.anw.intervention.LinearProbe probe) {
    try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
      var embedder = new io.anw.intervention.ModelEmbedder(model,
          io.anw.activation.DatasetInputs.arrays(model, test, m));
      return io.anw.intervention.Deactivation.run(embedder,
          io.anw.activation.DatasetInputs.labels(test), probe, neurons, model.layers(),
          model.neuronsPerLayer(), 20, 0);
    }
  }

  // --- sample models (io.anw.train: trained tiny M2D / supervised / random-init ViTs) --------

  /**
   * A shipped sample model as a hooked model: {@code m2d-tiny} (self-supervised by M2D on every
   * sample task's audio), {@code vit-sl-tiny} (supervised on instrument_family + texture) or
   * {@code random-tiny} (the random-init control); see {@code samples/models/README.md}.
   */
  @Help(value = "Load a shipped sample model: m2d-tiny (SSL), vit-sl-tiny (supervised), random-tiny",
      group = "model", example = "var model = WB.sampleModel(\"m2d-tiny\")")
  public static M2dViT sampleModel(String name) {
    Path file = io.anw.train.SampleModels.file(io.anw.train.SampleModels.DIR, name);
    if (java.nio.file.Files.isRegularFile(file)) {
      io.anw.report.Provenance.record("model", file.getFileName() + " sha256:"
          + io.anw.report.Provenance.sha256(file));
    }
    return io.anw.train.SampleModels.load(name);
  }

  /** The sample models: name, recipe, file and size, whether the file is present. */
  @Help(value = "List the shipped sample models (name, recipe, file, MB)", group = "model",
      example = "WB.sampleModels()")
  public static Table sampleModels() {
    return io.anw.train.SampleModels.index();
  }
}
