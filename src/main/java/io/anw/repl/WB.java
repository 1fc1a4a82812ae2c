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

  // ---- interop with the LAPE / AAPE Python code (docs/interop.md) ----------------------------

  /** Class names from varargs: none → null (file order / defaults), {@code "lape"} → LAPE's 7. */
  private static List<String> classNames(String... classes) {
    if (classes == null || classes.length == 0) {
      return null;
    }
    if (classes.length == 1 && classes[0].equalsIgnoreCase("lape")) {
      return io.anw.neuron.LapeMasks.LAPE_LANGUAGES;
    }
    return List.of(classes);
  }

  /** A LAPE neuron mask ({@code *.neuron.pth}) as neuron sets, with the classes in file order. */
  @Help(value = "Open a LAPE neuron mask (*.neuron.pth); classes in file order ('lape' = en,zh,fr,es,vi,id,ja)",
      group = "neuron", example = "var m = WB.lapeMask(\"LLaMA-2-7B.neuron.pth\", \"lape\"); m.perClass()")
  public static io.anw.neuron.ClassNeurons lapeMask(String path, String... classes) {
    return io.anw.neuron.LapeMasks.read(Path.of(path), classNames(classes));
  }

  /** Writes a selection's neurons as a LAPE mask (classes in selection order, every layer). */
  @Help(value = "Save a selection's neurons as a LAPE mask (List[List[LongTensor]])", group = "neuron",
      example = "WB.saveLapeMask(sel, \"out/aape.neuron.pth\")")
  public static Path saveLapeMask(NeuronSelection selection, String path) {
    return io.anw.neuron.LapeMasks.write(selection, Path.of(path));
  }

  /** Writes neuron sets (e.g. an edited or imported mask) as a LAPE mask. */
  @Help(value = "Save neuron sets (imported or from neurons.csv) as a LAPE mask", group = "neuron",
      example = "WB.saveLapeMask(WB.lapeMask(\"a.neuron.pth\"), \"b.neuron.pth\")")
  public static Path saveLapeMask(io.anw.neuron.ClassNeurons sets, String path) {
    return io.anw.neuron.LapeMasks.write(sets, Path.of(path));
  }

  /** A {@code neurons.csv} (from {@code aape} or {@code masks import}) as neuron sets. */
  @Help(value = "Open a neurons.csv (layer,neuron,class) as neuron sets", group = "neuron",
      example = "var a = WB.neuronsCsv(\"out/aape/neurons.csv\"); a.sharingWith(m)")
  public static io.anw.neuron.ClassNeurons neuronsCsv(String path) {
    return io.anw.neuron.SelectionFiles.readNeurons(Path.of(path), null, 0);
  }

  /** Counts from LAPE's {@code DIR/activation.<class>.train.<model>} files. */
  @Help(value = "Counts from LAPE's activation.<class>.train.<model> files", group = "neuron",
      example = "var counts = WB.lapeCounts(\"data\", \"llama-7b\", \"en\", \"zh\", \"fr\")")
  public static ActivationCounts lapeCounts(String dir, String model, String... classes) {
    List<String> names = classNames(classes);
    if (names == null) {
      throw new io.anw.WorkbenchException("name the classes (the <class> parts of the file names)");
    }
    return io.anw.activation.CountsFile.fromLape(Path.of(dir), model, names);
  }

  /** Writes counts as LAPE's per-class activation files; returns them. */
  @Help(value = "Save counts as LAPE activation files, one per class", group = "neuron",
      example = "WB.saveLapeCounts(counts, \"out/lape\", \"m2d\")")
  public static List<Path> saveLapeCounts(ActivationCounts counts, String dir, String model) {
    return io.anw.activation.CountsFile.writeLape(counts, Path.of(dir), model);
  }

  /** Counts from a stacked or per-class {@code over_zero.pt} (or our counts .npz). */
  @Help(value = "Counts from an over_zero.pt (stacked or per-class dicts) or a counts .npz",
      group = "neuron", example = "var counts = WB.overZero(\"over_zero.pt\")")
  public static ActivationCounts overZero(String path, String... classes) {
    return io.anw.activation.CountsFile.readAape(Path.of(path), classNames(classes));
  }

  /** Writes counts as a stacked {@code over_zero.pt} (n, over_zero, classes, hook). */
  @Help(value = "Save counts as a stacked over_zero.pt (torch.load-able)", group = "neuron",
      example = "WB.saveOverZero(counts, \"out/over_zero.pt\")")
  public static Path saveOverZero(ActivationCounts counts, String path) {
    return io.anw.activation.CountsFile.writeAape(counts, Path.of(path));
  }

  /** Writes tensors, lists, tuples, dicts and plain values as a torch.save zip file. */
  @Help(value = "Save tensors/lists/dicts/values as a .pt file that torch.load reads",
      group = "tensor", example = "WB.saveTorch(Map.of(\"w\", Tensor.ofFloats(new float[] {1, 2}, 2)), \"w.pt\")")
  public static Path saveTorch(Object value, String path) {
    return io.anw.tensor.TorchWriter.write(Path.of(path), value);
  }

  // ---- end of interop -------------------------------------------------------------------------

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
   * The counting benchmark ({@code ./workbench bench}): GEMM at the model's shapes, bare
   * forward, counting pass, {@code count} end to end and the Python way, with their ratios, on
   * a random float32 ViT-B and 160 clips of 2.07 s made from the pitch_synth sample notes.
   * Prints progress lines.
   */
  @Help(value = "Benchmark counting: GEMM, forward, counting pass, count end to end, Python way",
      group = "activation", example = "WB.bench()")
  public static io.anw.pipeline.CountBenchmark.Result bench() {
    return bench(io.anw.pipeline.CountBenchmark.Options.defaults());
  }

  /** The counting benchmark on a checkpoint and a dataset (CSV or folder), 160 clips of it. */
  @Help(value = "Benchmark counting on your checkpoint and data", group = "activation",
      example = "WB.bench(\"m2d.pth\", \"data.csv\")")
  public static io.anw.pipeline.CountBenchmark.Result bench(String checkpoint, String data) {
    return bench(io.anw.pipeline.CountBenchmark.Options.defaults()
        .withModel(Path.of(checkpoint)).withData(Path.of(data)));
  }

  /** The counting benchmark with any {@link io.anw.pipeline.CountBenchmark.Options}. */
  @Help(value = "Benchmark counting with options (clips, batch, model, data, Python way)",
      group = "activation", example = "WB.bench(CountBenchmark.Options.defaults().withClips(40))")
  public static io.anw.pipeline.CountBenchmark.Result bench(
      io.anw.pipeline.CountBenchmark.Options options) {
    return io.anw.pipeline.CountBenchmark.run(options, line -> System.out.println("bench: " + line));
  }

  /**
   * Counts as {@code count} does, as an Apache Spark job ({@code ./workbench spark-count}):
   * {@code master} e.g. {@code "local[2]"} or a cluster's URL. Needs Spark on the session's
   * class path: start the REPL with {@code WORKBENCH_SPARK=1 ./workbench}.
   */
  @Help(value = "Count as a Spark job (local[2], spark://..., yarn); REPL: WORKBENCH_SPARK=1",
      group = "activation", example = "WB.sparkCount(\"m2d.pth\", \"data.csv\", \"local[2]\")")
  public static ActivationCounts sparkCount(String checkpoint, String data, String master) {
    try {
      Class.forName("org.apache.spark.SparkConf");
    } catch (ClassNotFoundException e) {
      throw new io.anw.WorkbenchException("Spark is not on this session's class path: start it "
          + "with WORKBENCH_SPARK=1 ./workbench, or run ./workbench spark-count");
    }
    return io.anw.cluster.SparkCount.run(io.anw.cluster.SparkCount.Options.of(Path.of(checkpoint),
        Path.of(data)), master, Map.of());
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
    return recorded(Dataset.open(Path.of(path)));
  }

  /** Records a dataset's list hash in the session's provenance (shown in notebook headers). */
  private static Dataset recorded(Dataset data) {
    io.anw.report.Provenance.record("data " + data.name(), data.size() + " clips sha256:"
        + data.listHash());
    return data;
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
    return recorded(Dataset.open(SampleGenerator.ensure(SampleGenerator.DEFAULT_OUT, task,
        System.out::println)));
  }

  /**
   * One sample task of a sample-model generation ({@code tiny}: samples/data; {@code small}:
   * samples/data-real, recorded-instrument soundfonts, 600 clips a task), generating that task
   * first if missing.
   */
  @Help(value = "One task of a generation's sample data: tiny (samples/data) or small (samples/data-real)",
      group = "audio", example = "var ds = WB.sample(\"pitch_fluid\", \"small\")")
  public static Dataset sample(String task, String generation) {
    return recorded(io.anw.train.SampleGeneration.named(generation).dataset(task,
        System.out::println));
  }

  // --- counting, probes, deactivation (the pipeline on datasets) ------------------------------

  /**
   * Loads a Hugging Face audio model folder (HuBERT, wav2vec 2.0, Whisper, AST) as its encoder;
   * {@code model.encode(clip)} gives its last hidden state {@code [tokens][width]}. Close it to
   * free its weights.
   */
  @Help(value = "Load a Hugging Face audio model folder (HuBERT, wav2vec 2.0, Whisper, AST)",
      group = "model", example = "var hubert = WB.audioModel(\"hubert-base\"); hubert.encode(clip)")
  public static io.anw.model.HfAudioModel audioModel(String dir) {
    return io.anw.model.HfAudioModel.load(Path.of(dir));
  }

  /**
   * Trains a Hugging Face-family model (HuBERT, wav2vec 2.0, Whisper, AST) in place with the
   * labels of {@code data} for {@code steps} steps, as {@code samples hf-models --trained} does
   * (mean of the audio tokens, linear head, AdamW; batch 16, or 8 for Whisper and AST; peak
   * learning rate 1e-3, seed 1), and writes it as a folder at {@code out} in its source's
   * layout, with the training report and loss plot. Returns the run (loss, accuracy notes).
   */
  @Help(value = "Briefly train a Hugging Face-family model with labels; write it as a folder",
      group = "model", example = "WB.train(WB.audioModel(\"samples/models/hubert-tiny\"),"
      + " WB.sample(\"pitch_synth\").split(\"train\"), 200, \"out/hubert-sl\")")
  public static io.anw.train.TrainingRun train(io.anw.model.HfAudioModel model, Dataset data,
      int steps, String out) {
    var d = io.anw.train.HfSampleFolders.trainingSettings(model.config().family());
    var s = new io.anw.train.Trainers.Settings(steps, d.batch(), d.lr(), Math.max(1, steps / 10),
        d.weightDecay(), d.seed(), d.logEvery());
    Path dir = Path.of(out);
    io.anw.train.TrainingRun run = io.anw.train.HfSupervised.train(dir.getFileName().toString(),
        model, data, s, System.out::println);
    io.anw.train.HfSampleFolders.writeTrained(model, run, dir);
    run.write(dir);
    return run;
  }

  /**
   * Loads a model: an M2D checkpoint (.pth, .safetensors; sizes from the tensors and folder
   * name), a Hugging Face folder (HuBERT, wav2vec 2.0, Whisper, AST) or an OpenAI Whisper .pt.
   * Every experiment takes any of them (counting, probes, deactivation, patching, SAEs, top
   * activations and listening), except grounding, which needs an audio-text M2D.
   */
  @Help(value = "Load a model: M2D checkpoint, Hugging Face folder (HuBERT, wav2vec 2.0, "
      + "Whisper, AST) or Whisper .pt", group = "model",
      example = "var model = WB.model(\"samples/models/hubert-tiny\")")
  public static io.anw.model.AudioModel model(String path) {
    Path file = Path.of(path);
    if (io.anw.model.ModelFiles.isM2d(file)) {
      io.anw.report.Provenance.record("model " + file.getFileName(), "sha256:"
          + io.anw.report.Provenance.sha256(file));
    }
    io.anw.model.AudioModel m = io.anw.model.ModelFiles.load(file);
    if (!(m instanceof M2dViT)) {
      io.anw.report.Provenance.record("model " + m.name(), "weights sha256:"
          + m.weightsSha256());
    }
    return m;
  }

  /** Counts, per layer x neuron x class, the tokens where each MLP neuron fires (> 0). */
  @Help(value = "Count neuron firing per layer x neuron x class (8 clips a pass: Batcher.DEFAULT_BATCH)",
      group = "activation", example = "var counts = WB.count(model, WB.dataset(\"data.csv\"))")
  public static ActivationCounts count(io.anw.model.AudioModel model, Dataset data) {
    return count(model, data, model.defaultTokens());
  }

  /**
   * Counts as {@link #count(io.anw.model.AudioModel, Dataset)}, reading only one token group of
   * every chunk: {@code "audio"} (M2D's patches; the tokens that cover audio), {@code "text"}
   * (caption tokens of an audio-text model), {@code "cls"}, {@code "dist"} (AST) or
   * {@code "all"} (padding included).
   */
  @Help(value = "Count neuron firing at one token group: all, cls, dist, audio or text",
      group = "activation", example = "var textCounts = WB.count(model, data, \"text\")")
  public static ActivationCounts count(io.anw.model.AudioModel model, Dataset data, String tokens) {
    return count(model, data, io.anw.model.TokenGroup.parse(tokens));
  }

  private static ActivationCounts count(io.anw.model.AudioModel model, Dataset data,
      io.anw.model.TokenGroup tokens) {
    return count(model, data, io.anw.activation.CountRun.Options.defaults().withTokens(tokens),
        java.util.Map.of());
  }

  /** One counting pass with a console progress line, as {@code count} runs it. */
  private static ActivationCounts count(io.anw.model.AudioModel model, Dataset data,
      io.anw.activation.CountRun.Options options, java.util.Map<String, String> prov) {
    io.anw.pipeline.Steps steps = ConsoleSteps.create();
    int total = data.size();
    ActivationCounts counts = io.anw.activation.CountRun.run(model, data, options, prov,
        n -> steps.at("counting clips", (int) Math.min(n, total - 1), total));
    steps.at("counting clips", total, total);
    System.err.println("counted "
        + io.anw.report.NumberText.count(data.size(), "clip") + " of "
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

  /** Writes a table as CSV (folders created, written atomically); returns the path. */
  @Help(value = "Write a Tablesaw table as CSV", group = "report",
      example = "WB.save(gc.table(), \"out/grounding/grounding.csv\")")
  public static Path save(Table table, String path) {
    return io.anw.report.CsvFiles.write(table, Path.of(path));
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
  public static float[][] embeddings(io.anw.model.AudioModel model, Dataset data) {
    return io.anw.activation.DatasetInputs.embeddings(model, data,
        io.anw.model.Batcher.DEFAULT_BATCH).x();
  }

  /** Trains a linear probe (EVAR-style) on a dataset's scene embeddings. */
  @Help(value = "Train a linear probe on a dataset's scene embeddings", group = "intervention",
      example = "var probe = WB.probe(model, data.split(\"train\"))")
  public static io.anw.intervention.LinearProbe probe(io.anw.model.AudioModel model, Dataset train) {
    return probe(model, train, io.anw.intervention.ProbeOptions.defaults());
  }

  /** A linear probe with explicit settings, e.g. {@code ProbeOptions.defaults().withSeed(7)}. */
  @Help(value = "Train a linear probe with given settings (seed, learning rate, epochs)",
      group = "intervention",
      example = "WB.probe(model, train, ProbeOptions.defaults().withSeed(7))")
  public static io.anw.intervention.LinearProbe probe(io.anw.model.AudioModel model, Dataset train,
      io.anw.intervention.ProbeOptions options) {
    return io.anw.pipeline.Probing.train(model, train, options,
        io.anw.model.Batcher.DEFAULT_BATCH);
  }

  /** Accuracy, macro-F1 and per-class accuracy of a probe on a dataset. */
  @Help(value = "Evaluate a probe on a dataset (accuracy, macro-F1, per class)",
      group = "intervention", example = "WB.evaluate(probe, model, data.split(\"test\"))")
  public static io.anw.intervention.ProbeEvaluation evaluate(
      io.anw.intervention.LinearProbe probe, io.anw.model.AudioModel model, Dataset test) {
    return io.anw.pipeline.Probing.evaluate(probe, model, test,
        io.anw.model.Batcher.DEFAULT_BATCH);
  }

  /**
   * Zeroes {@code neurons} and compares the probe's accuracy with 20 random sets of the same
   * per-layer counts (seed 0).
   */
  @Help(value = "Deactivate neurons vs 20 random sets of equal per-layer counts: table, z, p",
      group = "intervention",
      example = "var r = WB.deactivate(model, sel.neurons(\"hum\"), test, probe); r.plot()")
  public static io.anw.intervention.DeactivationResult deactivate(io.anw.model.AudioModel model,
      java.util.Collection<io.anw.neuron.Neuron> neurons, Dataset test,
      io.anw.intervention.LinearProbe probe) {
    return io.anw.pipeline.Ablation.run(model, null, test, neurons, probe,
        io.anw.pipeline.Ablation.Options.defaults(), ConsoleSteps.create());
  }

  /**
   * The whole necessity experiment, as the {@code ablate} verb runs it: a probe trained on the
   * train split, the neurons deactivated on the test split (zero or mean ablation, see
   * {@code Ablation.Options}), random sets of the same per-layer counts.
   */
  @Help(value = "Deactivate neurons (zero or mean) with a probe trained on the train split",
      group = "intervention", example = "WB.deactivate(model, neurons, data,"
      + " Ablation.Options.defaults().withMode(AblationMode.MEAN))")
  public static io.anw.intervention.DeactivationResult deactivate(io.anw.model.AudioModel model,
      java.util.Collection<io.anw.neuron.Neuron> neurons, Dataset data,
      io.anw.pipeline.Ablation.Options options) {
    return io.anw.pipeline.Ablation.run(model, data.split("train"), data.split("test"), neurons,
        options, ConsoleSteps.create());
  }

  /**
   * A log-mel {@code [mel][frames]} (10 ms frames, as both M2D presets make them) as a figure
   * with time (s) and mel-bin axes and a colour bar; any other {@code [rows][cols]} array with
   * row and column axes. Low rows at the bottom.
   */
  @Help(value = "Picture of a log-mel [mel][frames] (time and mel axes, colour bar) or any 2-D array",
      group = "report", example = "WB.show(WB.picture(WB.logmel(clip)))")
  public static java.awt.image.BufferedImage picture(float[][] values) {
    boolean logMel = values.length == io.anw.model.VitDims.M2D_MEL_BINS;
    return logMel ? io.anw.report.AxesPicture.of(values, 0.01, "log-mel spectrogram",
        "time (s)", "mel bin", "log power")
        : io.anw.report.AxesPicture.of(values, 0, "array " + values.length + " x "
            + (values.length == 0 ? 0 : values[0].length), "column", "row", "value");
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
    return patchSweep(model, io.anw.intervention.PatchDirection.DENOISE, clean, corrupted,
        metric, hooks);
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

  /**
   * Grounding coefficients of a selection's class-specific neurons on a captioned dataset: per
   * class, its clips (audio and caption) against as many clips of other classes (seed 0), at
   * most 64 per class; activation probability.
   */
  @Help(value = "Grounding coefficient of every class-specific neuron on a captioned dataset",
      group = "intervention", example = "var gc = WB.grounding(model, sel,"
      + " data.where(\"condition\", \"both\")); gc.histogram()")
  public static io.anw.intervention.ClassGroundingResult grounding(io.anw.model.AudioModel model,
      NeuronSelection selection, Dataset data) {
    return grounding(model, selection.byClass(), data, selection.counts().tokens());
  }

  /** {@link #grounding(M2dViT, NeuronSelection, Dataset)} for neuron sets by class (e.g. a LAPE mask). */
  @Help(value = "Grounding coefficients of neuron sets by class on a captioned dataset",
      group = "intervention", example = "WB.grounding(model, WB.neuronsCsv(\"out/neurons.csv\")"
      + ".byClass(), data).summary()")
  public static io.anw.intervention.ClassGroundingResult grounding(io.anw.model.AudioModel model,
      java.util.Map<String, java.util.List<io.anw.neuron.Neuron>> byClass, Dataset data) {
    return grounding(model, byClass, data, io.anw.model.TokenGroup.ALL);
  }

  /**
   * {@link #grounding(M2dViT, java.util.Map, Dataset)} with the statistic read at one token group
   * ({@code "audio"}, {@code "text"}, {@code "cls"} or {@code "all"}).
   */
  @Help(value = "Grounding coefficients with the statistic read at one token group",
      group = "intervention", example = "WB.grounding(model, sel.byClass(), data, \"text\")")
  public static io.anw.intervention.ClassGroundingResult grounding(io.anw.model.AudioModel model,
      java.util.Map<String, java.util.List<io.anw.neuron.Neuron>> byClass, Dataset data,
      String tokens) {
    return grounding(model, byClass, data, io.anw.model.TokenGroup.parse(tokens));
  }

  private static io.anw.intervention.ClassGroundingResult grounding(io.anw.model.AudioModel model,
      java.util.Map<String, java.util.List<io.anw.neuron.Neuron>> byClass, Dataset data,
      io.anw.model.TokenGroup tokens) {
    return grounding(model, byClass, data,
        io.anw.pipeline.Grounding.Options.defaults().withTokens(tokens));
  }

  /** Grounding coefficients with explicit settings (statistic, tokens, clips per class, seed). */
  @Help(value = "Grounding coefficients with given settings (as the grounding verb)",
      group = "intervention", example = "WB.grounding(model, sel.byClass(), data,"
      + " Grounding.Options.defaults().withStat(GroundingStat.MEAN))")
  public static io.anw.intervention.ClassGroundingResult grounding(io.anw.model.AudioModel model,
      java.util.Map<String, java.util.List<io.anw.neuron.Neuron>> byClass, Dataset data,
      io.anw.pipeline.Grounding.Options options) {
    return io.anw.pipeline.Grounding.run(M2dViT.require(model, "grounding"), byClass, data,
        options, ConsoleSteps.create());
  }

  /**
   * Grounding coefficients of an SAE's class features (a selection of {@code WB.count(model,
   * data, sae)} counts), the SAE spliced in at its hook, as {@code grounding --sae} runs them.
   */
  @Help(value = "Grounding coefficients of SAE features (selected from feature counts)",
      group = "sae", example = "WB.grounding(model, sae, WB.aape(WB.count(model, data, sae)), data)")
  public static io.anw.intervention.ClassGroundingResult grounding(io.anw.model.AudioModel model,
      io.anw.sae.SparseAutoencoder sae, NeuronSelection features, Dataset data) {
    return io.anw.pipeline.Grounding.run(M2dViT.require(model, "grounding"),
        io.anw.sae.SaeSplice.units(sae),
        features.byClass(), data, io.anw.pipeline.Grounding.Options.defaults()
            .withTokens(features.counts().tokens()), ConsoleSteps.create());
  }

  /**
   * A patching sweep between two audio files, as the {@code patch} verb runs it (metric: cosine
   * similarity of the scene embedding to the clean run's).
   */
  @Help(value = "Patching sweep between two audio files (as the patch verb)",
      group = "intervention", example = "WB.patch(model, \"clean.wav\", \"noisy.wav\","
      + " FilePatching.Options.defaults()).heatmap(); with an SAE: .withSae(sae)")
  public static io.anw.intervention.SweepResult patch(io.anw.model.AudioModel model, String clean,
      String corrupted, io.anw.pipeline.FilePatching.Options options) {
    return io.anw.pipeline.FilePatching.sweep(model, Path.of(clean), Path.of(corrupted), options,
        System.err::println);
  }

  /**
   * Count shards of one run summed (as the {@code merge} verb): refuses counts of another
   * model, front end, token group or dataset, and repeated shards.
   */
  @Help(value = "Sum count shards of one run (refuses repeated shards or other runs)",
      group = "activation", example = "var all = WB.merge(c1, c2)")
  public static ActivationCounts merge(ActivationCounts... parts) {
    java.util.List<io.anw.activation.CountsMerge.Named> named = new java.util.ArrayList<>();
    for (int i = 0; i < parts.length; i++) {
      named.add(new io.anw.activation.CountsMerge.Named("counts " + (i + 1), parts[i]));
    }
    return io.anw.activation.CountsMerge.merge(named);
  }

  /**
   * A clip as the model's input, arrays in {@code manager}: the normalised log-mel
   * {@code [mel, frames]} and, for an audio-text model, the caption ids {@code [T]} of the
   * clip's {@code text} column (none: all padding).
   */
  @Help(value = "A clip as model input: normalised log-mel (+ caption ids of its text column)",
      group = "model", example = "var x = WB.input(model, data.load(0), nd)")
  public static io.anw.model.PartedInput input(io.anw.model.AudioModel model, Clip clip,
      ai.djl.ndarray.NDManager manager) {
    return io.anw.activation.DatasetInputs.prepare(model)
        .apply(clip).toInput(manager);
  }

  /** A clip with a caption of your own as the input of an audio-text model. */
  @Help(value = "A clip with a caption of your own as input of an audio-text model",
      group = "model", example = "var x = WB.input(model, clip, \"a high voice\", nd)")
  public static io.anw.model.PartedInput input(io.anw.model.AudioModel model, Clip clip, String caption,
      ai.djl.ndarray.NDManager manager) {
    var text = model.textPathway().orElseThrow(() -> new io.anw.WorkbenchException(
        model.name() + " reads no text; give the clip alone"));
    float[][] logMel = io.anw.activation.DatasetInputs.frontEnd(model).apply(clip);
    return io.anw.model.PartedInput.of(io.anw.TorchArrays.of(manager, logMel),
        io.anw.TorchArrays.of(manager, text.ids(caption)));
  }

  /**
   * Every clip of a dataset as one batch of model input (audio cut or padded to the shortest
   * clip; captions for audio-text models), arrays in {@code manager}.
   */
  @Help(value = "Every clip of a dataset as one input batch (cropped to the shortest)",
      group = "model", example = "var a = WB.batch(model, data.where(\"label\", \"low_piano\"), nd)")
  public static io.anw.model.PartedInput batch(io.anw.model.AudioModel model, Dataset data,
      ai.djl.ndarray.NDManager manager) {
    return io.anw.intervention.TokenLayout.stackCropped(
        io.anw.activation.DatasetInputs.inputs(model, data, manager), manager);
  }

  /** A log-mel cut or zero-padded to a number of frames (to share a token layout). */
  @Help(value = "Crop or zero-pad a log-mel to N frames (clean/corrupted must match)",
      group = "intervention", example = "var corrupted = WB.cropOrPad(other, 208)")
  public static NDArray cropOrPad(NDArray logMel, int frames) {
    return io.anw.intervention.TokenLayout.cropOrPad(logMel, frames);
  }

  // --- sparse autoencoders (io.anw.sae) ------------------------------------------------------

  /**
   * Loads a sparse autoencoder from a folder in SAELens's layout ({@code cfg.json} +
   * {@code sae_weights.safetensors}): {@code sae.encode(x)} gives feature activations
   * {@code [..., d_sae]} of a hook's activations {@code x [..., d_in]}, {@code sae.decode(f)}
   * the reconstruction. Close it when done.
   */
  @Help(value = "Load a sparse autoencoder (SAELens folder: cfg.json + sae_weights.safetensors)",
      group = "sae", example = "var sae = WB.sae(\"path/to/sae\"); sae.encode(cache.get(sae.hookName()))")
  public static io.anw.sae.SparseAutoencoder sae(String dir) {
    Path d = Path.of(dir);
    io.anw.sae.SparseAutoencoder sae = io.anw.sae.SaeFiles.load(d);
    io.anw.report.Provenance.record("sae " + d.getFileName(), "sha256:"
        + io.anw.report.Provenance.sha256(d.resolve(io.anw.sae.SaeFiles.WEIGHTS)));
    return sae;
  }

  /**
   * Trains a sparse autoencoder on {@code hook}'s activations over {@code data} (every token of
   * every chunk, through a shuffled token buffer), as {@code sae train} does; no checkpoints.
   */
  @Help(value = "Train an SAE on a hook point (topk/batchtopk/jumprelu/relu); .save(dir), .eval(model, data)",
      group = "sae", example = "var run = WB.trainSae(model, data.split(\"train\"),"
      + " \"blocks.3.mlp.hook_post\", SaeOptions.topK(32).expansion(8))")
  public static io.anw.train.SaeTrainingRun trainSae(io.anw.model.AudioModel model, Dataset data, String hook,
      io.anw.train.SaeOptions options) {
    io.anw.pipeline.Steps steps = ConsoleSteps.create();
    io.anw.train.SaeTrainingRun run = io.anw.train.SaeTrainer.train(model, data, hook, options,
        null, null, (step, total, msg) -> steps.at("training the SAE", step, total));
    io.anw.report.Provenance.record("sae trained", run.sae().config().metadata()
        .getOrDefault("options", "").toString());
    return run;
  }

  /** Evaluates an SAE as {@code sae eval} does (metrics on the test split, probes). */
  @Help(value = "Evaluate an SAE: L0, explained variance, dead/dense, probe clean/sae/zero, recovered",
      group = "sae", example = "var ev = WB.saeEval(model, sae, data); ev.plotDensity()")
  public static io.anw.pipeline.SaeEvalResult saeEval(io.anw.model.AudioModel model,
      io.anw.sae.SparseAutoencoder sae, Dataset data) {
    return io.anw.pipeline.SaeEvaluation.run(model, sae, data, io.anw.model.Batcher.DEFAULT_BATCH,
        ConsoleSteps.create());
  }

  /**
   * Sums of one {@code [rows, tokens, d]} hook point's activations over a dataset (every token
   * of every chunk): the mean and mean norm an SAE's training starts from ({@code sae stats}).
   */
  @Help(value = "Activation statistics at a hook point (mean, mean norm) for SAE training",
      group = "sae", example = "var st = WB.hookStats(model, data, \"blocks.5.hook_resid_post\")")
  public static io.anw.activation.HookStats hookStats(io.anw.model.AudioModel model, Dataset data, String hook) {
    return io.anw.activation.StatsRun.run(model, data, hook, io.anw.model.Batcher.DEFAULT_BATCH,
        Map.of(), n -> { });
  }

  /** Counts the SAE's features per class as {@code count --sae} does ({@code [1, d_sae, classes]}). */
  @Help(value = "Count SAE features per class (spliced in at its hook); WB.aape(counts) selects",
      group = "sae", example = "var fc = WB.count(model, data, sae)")
  public static ActivationCounts count(io.anw.model.AudioModel model, Dataset data,
      io.anw.sae.SparseAutoencoder sae) {
    return count(model, data, io.anw.activation.CountRun.Options.defaults()
        .withUnits(io.anw.sae.SaeSplice.units(sae)),
        java.util.Map.of(io.anw.activation.CountsProvenance.SAE_SHA256, sae.weightsSha256()));
  }

  /**
   * Deactivates SAE features (zeroed, error term kept) against random feature sets, with a probe
   * trained on the clean model's train split, as {@code ablate --sae} does.
   */
  @Help(value = "Deactivate SAE features vs random feature sets (probe on the clean model)",
      group = "sae", example = "WB.deactivate(model, sae, fsel.neurons(\"guitar\"), data)")
  public static io.anw.intervention.DeactivationResult deactivate(io.anw.model.AudioModel model,
      io.anw.sae.SparseAutoencoder sae, java.util.Collection<io.anw.neuron.Neuron> features,
      Dataset data) {
    return io.anw.pipeline.Ablation.run(model, io.anw.sae.SaeSplice.units(sae),
        data.split("train"), data.split("test"), features,
        io.anw.pipeline.Ablation.Options.defaults(), ConsoleSteps.create());
  }

  /** Neurons vs SAE features with AAPE's settings, as {@code sae compare} does. */
  @Help(value = "Neurons vs SAE features: specific units, coverage, polysemanticity, splits",
      group = "sae", example = "WB.compareSae(neuronCounts, featureCounts, sae)")
  public static io.anw.pipeline.SaeComparison compareSae(ActivationCounts neuronCounts,
      ActivationCounts featureCounts, io.anw.sae.SparseAutoencoder sae) {
    return compareSae(neuronCounts, featureCounts, sae,
        io.anw.neuron.SelectionMethod.AAPE.defaults());
  }

  /** Neurons vs SAE features with other selection settings (e.g. LAPE's). */
  @Help(value = "Neurons vs SAE features with given selection settings",
      group = "sae", example = "WB.compareSae(nc, fc, sae, SelectionMethod.LAPE.defaults())")
  public static io.anw.pipeline.SaeComparison compareSae(ActivationCounts neuronCounts,
      ActivationCounts featureCounts, io.anw.sae.SparseAutoencoder sae,
      io.anw.neuron.SelectionParams params) {
    return io.anw.pipeline.SaeComparison.of(neuronCounts, featureCounts, params, sae);
  }

  // --- listening (io.anw.listen: top clips, snippets, the static explorer) -------------------

  /** Results of {@link #top} in this session, so that {@link #listen} finds an entry's run. */
  private static final java.util.Map<io.anw.listen.TopResult, Boolean> TOP_RUNS =
      java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

  /**
   * The {@code k} clips that drive each unit most (a clip's maximum over its audio tokens: M2D's
   * and AST's patches, Whisper's and wav2vec 2.0's frames) with the chunk, token, time span and
   * frequency band, and examples from 5 activation quantiles, as {@code top} does;
   * {@code .show("L3.N17")} lays out players and spectrogram overlays.
   */
  @Help(value = "Top-k clips per neuron (+ where: chunk, token, s, Hz) and quantile examples; .show(unit)",
      group = "listen", example = "var top = WB.top(model, data, sel.neurons(\"bass\"), 10); top.show(\"L3.N287\")")
  public static io.anw.listen.TopResult top(io.anw.model.AudioModel model, Dataset data,
      java.util.Collection<io.anw.neuron.Neuron> units, int k) {
    return top(model, data, io.anw.listen.TopTargets.choose(model, null, units, null, false),
        io.anw.listen.TopRun.Options.defaults().withK(k), java.util.Map.of());
  }

  /** {@link #top(M2dViT, Dataset, java.util.Collection, int)} with units written {@code "3:17,5:2"}. */
  @Help(value = "Top-k clips of units written \"L:N,L:N\"", group = "listen",
      example = "WB.top(model, data, \"3:287,5:102\", 10)")
  public static io.anw.listen.TopResult top(io.anw.model.AudioModel model, Dataset data, String units, int k) {
    return top(model, data, io.anw.listen.TopTargets.parseUnits(units), k);
  }

  /** The top clips of an SAE's features (spliced in at its hook), as {@code top --sae}. */
  @Help(value = "Top-k clips of SAE features", group = "listen",
      example = "WB.top(model, data, sae, fsel.neurons(\"guitar\"), 10)")
  public static io.anw.listen.TopResult top(io.anw.model.AudioModel model, Dataset data,
      io.anw.sae.SparseAutoencoder sae, java.util.Collection<io.anw.neuron.Neuron> features,
      int k) {
    return top(model, data, io.anw.listen.TopTargets.choose(model, sae, features, null, false),
        io.anw.listen.TopRun.Options.defaults().withK(k), java.util.Map.of(
            io.anw.activation.CountsProvenance.SAE_SHA256, sae.weightsSha256()));
  }

  /** The top clips of any targets (e.g. {@code TopTargets.hook(model, glob, ...)}) with any options. */
  @Help(value = "Top clips of any units (TopTargets) with options (k, quantiles, tokens, sample)",
      group = "listen", example = "WB.top(model, data, TopTargets.hook(model, \"blocks.5.hook_resid_post\","
      + " Hooks.none(), true, null), TopRun.Options.defaults().withK(5), Map.of())")
  public static io.anw.listen.TopResult top(io.anw.model.AudioModel model, Dataset data,
      io.anw.listen.TopTargets targets, io.anw.listen.TopRun.Options options,
      java.util.Map<String, String> provenance) {
    io.anw.pipeline.Steps steps = ConsoleSteps.create();
    int rows = data.size();
    io.anw.listen.TopResult r = io.anw.listen.TopRun.run(model, data,
        targets, options,
        provenance, (done, s) -> steps.at("ranking clips", done, rows));
    TOP_RUNS.put(r, Boolean.TRUE);
    return r;
  }

  /** One top clip to listen to: excerpt and focused players and the spectrogram overlay. */
  @Help(value = "Listen to one top entry: excerpt, focused version, spectrogram with activation",
      group = "listen", example = "WB.listen(top.top(\"L3.N287\").get(0))")
  public static io.anw.listen.Listening listen(io.anw.listen.TopEntry entry) {
    java.util.List<io.anw.listen.TopResult> runs;
    synchronized (TOP_RUNS) {
      runs = new java.util.ArrayList<>(TOP_RUNS.keySet());
    }
    for (io.anw.listen.TopResult r : runs) {
      if (r.units().contains(entry.unit()) && (r.top(entry.unit()).contains(entry)
          || r.quantiles(entry.unit()).contains(entry))) {
        return r.listen(entry);
      }
    }
    throw new io.anw.WorkbenchException("entry " + entry + " is not from a WB.top run of this"
        + " session");
  }

  /**
   * A static explorer site of a selection made in this session (its counts give the
   * class-probability bars): index, a page per unit with players and overlays.
   */
  @Help(value = "Write the static neuron explorer of a selection (open SITE/index.html)",
      group = "listen", example = "WB.explore(model, data.split(\"train\"), sel, \"out/site\")")
  public static io.anw.listen.Explorer.Site explore(io.anw.model.AudioModel model, Dataset data,
      io.anw.neuron.NeuronSelection selection, String out) {
    return explore(model, data, io.anw.listen.Explorer.Inputs.of(
        io.anw.listen.ClassAssignments.of(selection, "selection")).withCounts(selection.counts()),
        io.anw.listen.Explorer.Options.defaults(), out);
  }

  /** The explorer with any inputs (SAE, counts, ablation, grounding folders) and options. */
  @Help(value = "Write the explorer with inputs (SAE, counts, ablate/grounding folders) and options",
      group = "listen", example = "WB.explore(model, data, Explorer.Inputs.of(ClassAssignments.read("
      + "Path.of(\"sel/neurons.csv\"))), Explorer.Options.defaults(), \"out/site\")")
  public static io.anw.listen.Explorer.Site explore(io.anw.model.AudioModel model, Dataset data,
      io.anw.listen.Explorer.Inputs inputs, io.anw.listen.Explorer.Options options, String out) {
    io.anw.pipeline.Steps steps = ConsoleSteps.create();
    return io.anw.listen.Explorer.write(model, data, inputs,
        options, Path.of(out),
        (stage, done, total) -> steps.at(stage.equals("top") ? "ranking clips"
            : "writing snippets", (int) done, (int) total));
  }

  // --- sample models (io.anw.train: trained tiny M2D / supervised / random-init ViTs) --------

  /**
   * A shipped sample model as a hooked model: {@code m2d-tiny} (self-supervised by M2D on every
   * sample task's audio), {@code vit-sl-tiny} (supervised on instrument_family + texture),
   * {@code random-tiny} (the random-init control) or {@code audio-text-tiny} (audio + caption,
   * for grounding), and the small generation's {@code m2d-small}, {@code vit-sl-small},
   * {@code random-small}, {@code audio-text-small}, {@code m2d-small-long}; see
   * {@code samples/models/README.md}.
   */
  @Help(value = "Load a sample model: m2d-small (SSL), vit-sl-small (SL), random-small, audio-text-small; *-tiny",
      group = "model", example = "var model = WB.sampleModel(\"m2d-tiny\")")
  public static M2dViT sampleModel(String name) {
    Path file = io.anw.train.SampleModels.file(io.anw.train.SampleModels.DIR, name);
    if (java.nio.file.Files.isRegularFile(file)) {
      io.anw.report.Provenance.record("model " + file.getFileName(), "sha256:"
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
