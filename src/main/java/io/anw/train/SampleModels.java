package io.anw.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.anw.GradMode;
import io.anw.WorkbenchException;
import io.anw.audio.Dataset;
import io.anw.audio.SampleGenerator;
import io.anw.intervention.LinearProbe;
import io.anw.intervention.ProbeEvaluation;
import io.anw.intervention.ProbeOptions;
import io.anw.model.M2dViT;
import io.anw.model.ModelConfig;
import io.anw.model.ModelFiles;
import io.anw.model.NormStats;
import io.anw.model.VitDims;
import io.anw.tensor.Tensor;
import io.anw.tensor.TensorFiles;
import io.anw.tensor.TensorTree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The shipped sample models ({@code samples/models/}) and the recipe that makes them:
 * {@code m2d-tiny} (self-supervised by M2D on the audio of every sample task, no labels),
 * {@code vit-sl-tiny} (supervised on instrument_family + texture only) and {@code random-tiny}
 * (the random-init control), all the same tiny M2D ViT ({@link #DIMS}); and
 * {@code audio-text-tiny}, the two-pathway model for grounding coefficients: m2d-tiny with a
 * text pathway, fine-tuned with labels on the captioned pitch task.
 */
public final class SampleModels {
  private SampleModels() {}

  /** Where the shipped models live. */
  public static final Path DIR = Path.of("samples", "models");

  /** The self-supervised model. */
  public static final String M2D = "m2d-tiny";
  /** The supervised model. */
  public static final String SL = "vit-sl-tiny";
  /** The random-init control. */
  public static final String RANDOM = "random-tiny";
  /** The two-pathway (audio + caption) model. */
  public static final String AUDIO_TEXT = "audio-text-tiny";
  /** The audio-only sample models (the SSL / SL / random-init comparison of the RQ scripts). */
  public static final List<String> NAMES = List.of(M2D, SL, RANDOM);
  /** Every sample model, in training order (the audio-text model starts from m2d-tiny). */
  public static final List<String> ALL = List.of(M2D, SL, RANDOM, AUDIO_TEXT);

  /** The captioned task the audio-text model is trained on. */
  public static final String CAPTION_TASK = "pitch_caption";
  /** Caption tokens the audio-text model reads. */
  public static final int TEXT_LENGTH = 4;

  /** The audio-text model's vocabulary: the captioned task's words. */
  public static io.anw.model.TextVocabulary vocabulary() {
    return io.anw.model.TextVocabulary.of(
        io.anw.audio.PitchCaptionTask.WORDS.toArray(String[]::new));
  }

  /** Every sample task of the shipped models, in the generator's order. */
  public static final List<String> TASKS = SampleGeneration.TINY.tasks();
  /** The tasks the supervised model is trained on; the others are novel to it. */
  public static final List<String> SL_TASKS = SampleGeneration.TINY.slTasks();

  /**
   * The sample models' shape: depth 4, width 128, 2 heads of 64, MLP 512 (the neurons per
   * layer), 80 mel bins, 16×16 patches, a 208-frame (2.08 s) unit as M2D's short models.
   */
  public static final VitDims DIMS = TrainableViT.dims(4, 128, 2, 512, 208);

  /**
   * How long to train.
   *
   * @param dims model shape
   * @param sslSteps M2D steps
   * @param slSteps supervised steps
   * @param audioTextSteps supervised fine-tuning steps of the audio-text model
   * @param batch clips per step
   * @param logEvery steps between progress lines
   * @param checkpointEvery steps between training snapshots (a rerun resumes from the last)
   */
  public record Plan(VitDims dims, int sslSteps, int slSteps, int audioTextSteps, int batch,
      int logEvery, int checkpointEvery) {
    @Override
    public String toString() {
      return "Plan[depth " + dims.depth() + ", width " + dims.width() + ", heads " + dims.heads()
          + ", mlp " + dims.mlpDim() + "; steps SSL " + sslSteps + ", SL " + slSteps
          + ", audio-text " + audioTextSteps + "; batch " + batch + "; snapshot every "
          + checkpointEvery + "]";
    }

    /** The shipped models' training. */
    public static Plan full() {
      return new Plan(DIMS, 2400, 160, 240, 32, 50, 100);
    }

    /**
     * The next generation's training ({@link SampleGeneration#SMALL}): depth 6, width 192, 3
     * heads, MLP 768 (5.5 MB as float16); 6 000 M2D steps (about 30 min on one thread here),
     * 800 supervised steps, 300 audio-text fine-tuning steps.
     */
    public static Plan small() {
      return new Plan(TrainableViT.dims(6, 192, 3, 768, 208), 6000, 800, 300, 32, 100, 200);
    }

    /**
     * The second attempt at the small generation ({@link SampleGeneration#SMALL_LONG}): as
     * {@link #small()} with 18 000 M2D steps (three times as long; about 90 min on one thread
     * here), decided before its results.
     */
    public static Plan smallLong() {
      return new Plan(small().dims(), 18000, small().slSteps(), 0, 32, 100, 200);
    }

    /** A few steps of a smaller model, to check the recipe end to end in seconds. */
    public static Plan check() {
      return new Plan(TrainableViT.dims(2, 64, 1, 128, 208), 6, 6, 6, 8, 2, 3);
    }
  }

  /** The file of a sample model (of any generation) in {@code dir}. */
  public static Path file(Path dir, String name) {
    SampleGeneration.of(name); // a known name, or a one-line error listing them
    return dir.resolve(name + ".safetensors");
  }

  /** Loads a shipped sample model as a hooked model. */
  public static M2dViT load(String name) {
    return load(DIR, name);
  }

  /** Loads a sample model from {@code dir}. */
  public static M2dViT load(Path dir, String name) {
    Path f = file(dir, name);
    if (!Files.isRegularFile(f)) {
      throw new WorkbenchException(f + ": missing; make the sample models with"
          + " ./workbench run scripts/train-sample-models.jsh full");
    }
    return ModelFiles.loadM2d(f, ModelConfig.defaults().withName(name));
  }

  /**
   * Saves a model as safetensors with float16 weights (the loader widens them to float32),
   * float32 {@code norm_stats}, and metadata (name, unit_frames, heads, and {@code extra}).
   */
  public static Path save(M2dViT model, Path file, Map<String, String> extra) {
    GradMode.disableOnCurrentThread();
    TensorTree.Builder b = TensorTree.builder(file.toString(), "safetensors");
    try (NDManager scratch = NDManager.newBaseManager()) {
      // the model's own manager is capped: convert views in a manager of our own
      for (Map.Entry<String, NDArray> e : model.stateDict().entrySet()) {
        NDArray view = e.getValue().get(scratch, new ai.djl.ndarray.index.NDIndex(":"));
        b.tensor(e.getKey(), Tensor.of(view.toType(DataType.FLOAT16, true)));
      }
    }
    b.tensor("norm_stats", Tensor.ofFloats(new float[] {model.normStats().mean(),
        model.normStats().std()}, 2));
    b.meta("name", model.name());
    b.meta("unit_frames", (long) model.dims().unitFrames());
    b.meta("heads", (long) model.dims().heads());
    model.textPathway().ifPresent(t -> b.meta(ModelFiles.VOCABULARY,
        t.vocabulary().stored()));
    extra.forEach(b::meta);
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    TensorFiles.write(file, b.build());
    return file;
  }

  /** The sample models: name, recipe, file, size in MB (0 when missing). */
  public static Table index() {
    List<String> names = new ArrayList<>();
    List<String> recipes = new ArrayList<>();
    List<String> files = new ArrayList<>();
    List<Double> mb = new ArrayList<>();
    for (SampleGeneration g : SampleGeneration.ALL) {
      for (String name : g.models()) {
        if (names.contains(name)) {
          continue; // shared with an earlier generation
        }
        Path f = file(DIR, name);
        if (g != SampleGeneration.TINY && !Files.isRegularFile(f)) {
          continue; // a later generation not trained here yet
        }
        names.add(name);
        recipes.add(name.equals(g.m2d()) ? "M2D self-supervised on the audio of all "
            + g.name() + " tasks (no labels)"
            : name.equals(g.sl()) ? "supervised on " + String.join(" + ", g.slTasks())
                + " (other tasks novel)"
            : name.equals(g.random()) ? "random-init control (the common initialisation)"
            : g.m2d() + " + a caption pathway, supervised on pitch_caption (two input parts)");
        files.add(f.toString());
        try {
          mb.add(Files.isRegularFile(f) ? Math.round(Files.size(f) / 1e4) / 100.0 : 0);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    }
    return Table.create("sample models").addColumns(StringColumn.create("name", names),
        StringColumn.create("recipe", recipes), StringColumn.create("file", files),
        DoubleColumn.create("MB", mb.stream().mapToDouble(Double::doubleValue).toArray()));
  }

  /** A sample task's dataset (shipped generation), generating the sample data first if missing. */
  public static Dataset task(String name) {
    return SampleGeneration.TINY.dataset(name, System.out::println);
  }

  /**
   * Trains the three sample models by {@code plan} (seed 1 for the encoders' initialisation,
   * 2 for the supervised run, 3 for M2D) and writes them to {@code modelDir}, with their
   * training reports and loss plots in {@code reportDir}. The random-init model is the common
   * initialisation itself.
   */
  public static List<TrainingRun> trainAll(Plan plan, Path modelDir, Path reportDir,
      Consumer<String> log) {
    return train(plan, ALL, modelDir, reportDir, log);
  }

  /**
   * {@link #trainAll} for some of the models only: each model's run depends only on its own
   * seeds (and the audio-text model on the m2d-tiny file in {@code modelDir}), so training one
   * alone gives the same weights as training all. Every run saves a snapshot every
   * {@code plan.checkpointEvery()} steps under {@code reportDir/checkpoints/}; run again after
   * an interruption, it continues from there.
   */
  public static List<TrainingRun> train(Plan plan, List<String> names, Path modelDir,
      Path reportDir, Consumer<String> log) {
    return train(SampleGeneration.TINY, plan, names, modelDir, reportDir, log);
  }

  /**
   * Trains models of {@code gen} by {@code plan} on its sample data (generated first if
   * missing), as {@link #train(Plan, List, Path, Path, Consumer)} does for the shipped ones.
   */
  public static List<TrainingRun> train(SampleGeneration gen, Plan plan, List<String> names,
      Path modelDir, Path reportDir, Consumer<String> log) {
    for (String n : names) {
      if (!gen.models().contains(n)) {
        throw new WorkbenchException(n + " is not a model of the " + gen.name()
            + " generation (" + String.join(", ", gen.models()) + ")");
      }
    }
    GradMode.disableOnCurrentThread();
    List<Dataset> all = new ArrayList<>();
    List<Dataset> sl = new ArrayList<>();
    // A real run needs every task; a check run takes what this machine can make.
    boolean real = plan.equals(Plan.full()) || plan.equals(Plan.small())
        || plan.equals(Plan.smallLong());
    List<String> tasks = real ? gen.tasks()
        : io.anw.audio.SampleGenerator.available(gen.dataDir(), gen.tasks(),
            io.anw.audio.SampleGenerator.tasks(gen.bank()), log);
    List<String> slTasks = gen.slTasks().stream().filter(tasks::contains).toList();
    for (String t : tasks) {
      Dataset train = gen.dataset(t, log).split("train");
      all.add(train);
      if (gen.slTasks().contains(t)) {
        sl.add(train);
      }
    }
    log.accept(org.apache.commons.text.WordUtils.wrap("loading the M2D pool (train splits of "
        + String.join(", ", tasks) + ")", 100, "\n  ", false));
    TrainingData pool = TrainingData.load(all, tasks);
    NormStats stats = pool.normStats();
    log.accept("pool: " + pool.size() + " clips, norm stats " + stats);
    TrainingData labelled = names.contains(gen.sl()) ? TrainingData.load(sl, slTasks) : null;
    if (labelled != null) {
      log.accept("supervised data: " + labelled.size() + " clips, "
          + labelled.classes().size() + " classes");
    }
    List<TrainingRun> runs = new ArrayList<>();
    try (NDManager m = NDManager.newBaseManager()) {
      Map<String, String> meta = new LinkedHashMap<>();
      meta.put("recipe", "random-init (seed 1)");
      if (names.contains(gen.random())) {
        try (TrainableViT init = TrainableViT.init(plan.dims(), 1, m);
            M2dViT random = init.toM2d(gen.random(), stats, m)) {
          save(random, file(modelDir, gen.random()), meta);
          log.accept("wrote " + file(modelDir, gen.random()) + "\n  " + init);
        }
      }
      if (names.contains(gen.sl())) {
        try (TrainableViT vit = TrainableViT.init(plan.dims(), 1, m)) {
          TrainingRun run = Trainers.supervised(gen.sl(), vit, labelled, stats,
              new Trainers.Settings(plan.slSteps(), plan.batch(), 1e-3, plan.slSteps() / 10,
                  0.05, 2, plan.logEvery()), checkpoint(plan, reportDir, gen.sl()), log);
          saveRun(vit, run, stats, modelDir, reportDir, log);
          runs.add(run);
        }
      }
      if (names.contains(gen.m2d())) {
        try (TrainableViT vit = TrainableViT.init(plan.dims(), 1, m)) {
          TrainingRun run = Trainers.m2d(gen.m2d(), vit, pool, stats,
              new Trainers.Settings(plan.sslSteps(), plan.batch(), 1e-3, plan.sslSteps() / 10,
                  0.05, 3, plan.logEvery()),
              new Trainers.M2dSettings(0.7, 2, 64, 2, 0.995, 0.9999),
              checkpoint(plan, reportDir, gen.m2d()), log);
          saveRun(vit, run, stats, modelDir, reportDir, log);
          runs.add(run);
        }
      }
      if (gen.audioText() != null && names.contains(gen.audioText())) {
        runs.add(trainAudioText(gen, plan, modelDir, reportDir, m, log));
      }
    }
    return runs;
  }

  /**
   * The generation's audio-text model: its M2D model (from {@code modelDir}) with a text
   * pathway added (seed 5), fine-tuned with labels on the captioned task's train split,
   * captions read (seed 4).
   */
  private static TrainingRun trainAudioText(SampleGeneration gen, Plan plan, Path modelDir,
      Path reportDir, NDManager m, Consumer<String> log) {
    String ssl0 = gen.m2d();
    String name = gen.audioText();
    Path base = file(modelDir, ssl0);
    if (!Files.isRegularFile(base)) {
      throw new WorkbenchException(base + ": missing; " + name + " starts from " + ssl0
          + ", train it first");
    }
    io.anw.model.TextVocabulary words = vocabulary();
    TrainingData captioned = TrainingData.load(
        List.of(gen.dataset(CAPTION_TASK, log).split("train")), List.of(CAPTION_TASK), words,
        TEXT_LENGTH);
    log.accept("captioned data: " + captioned.size() + " clips, " + captioned.classes().size()
        + " classes, " + words.size() + " tokens");
    try (M2dViT ssl = ModelFiles.loadM2d(base, ModelConfig.defaults().withName(ssl0));
        TrainableViT vit = TrainableViT.of(ssl, m).addTextPathway(words, TEXT_LENGTH, 5)) {
      TrainingRun run = Trainers.supervised(name, vit, captioned, ssl.normStats(),
          new Trainers.Settings(plan.audioTextSteps(), plan.batch(), 5e-4,
              Math.max(1, plan.audioTextSteps() / 10), 0.05, 4, plan.logEvery()),
          checkpoint(plan, reportDir, name), log);
      TrainingRun noted = new TrainingRun(run.name(), "supervised (audio + caption), from "
          + ssl0, run.settings(), run.wallSeconds(), run.losses(), run.dataHash(), run.clips(),
          run.parameters(), run.notes());
      saveRun(vit, noted, ssl.normStats(), modelDir, reportDir, log);
      return noted;
    }
  }

  private static TrainingCheckpoint checkpoint(Plan plan, Path reportDir, String name) {
    return new TrainingCheckpoint(reportDir.resolve("checkpoints")
        .resolve(name + ".ckpt.safetensors"), plan.checkpointEvery());
  }

  private static void saveRun(TrainableViT vit, TrainingRun run, NormStats stats,
      Path modelDir, Path reportDir, Consumer<String> log) {
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("recipe", run.recipe());
    meta.put("steps", Integer.toString(run.settings().steps()));
    meta.put("data_sha256", run.dataHash());
    try (M2dViT model = vit.toM2d(run.name(), stats, vit.manager())) {
      save(model, file(modelDir, run.name()), meta);
    }
    run.write(reportDir);
    log.accept("wrote " + file(modelDir, run.name()) + "; report and loss plot in " + reportDir);
    log.accept(run.report());
  }

  /**
   * Linear-probe accuracy on the test split of every task, probes trained on the train split
   * (the workbench's probe: scene embeddings, seed 0): one row per task, one column per model.
   */
  public static Table probeTable(Map<String, M2dViT> models, List<String> tasks,
      Consumer<String> log) {
    return probeTable(SampleGeneration.TINY, models, tasks, log);
  }

  /** {@link #probeTable(Map, List, Consumer)} on the sample data of {@code gen}. */
  public static Table probeTable(SampleGeneration gen, Map<String, M2dViT> models,
      List<String> tasks, Consumer<String> log) {
    GradMode.disableOnCurrentThread();
    Table t = Table.create("linear-probe accuracy (test split)");
    t.addColumns(StringColumn.create("task", tasks));
    for (Map.Entry<String, M2dViT> e : models.entrySet()) {
      double[] acc = new double[tasks.size()];
      for (int i = 0; i < tasks.size(); i++) {
        Dataset data = gen.dataset(tasks.get(i), log);
        Dataset train = data.split("train");
        Dataset test = data.split("test");
        M2dViT model = e.getValue();
        LinearProbe probe = io.anw.pipeline.Probing.train(model, train, ProbeOptions.defaults(),
            io.anw.model.Batcher.DEFAULT_BATCH);
        ProbeEvaluation ev = io.anw.pipeline.Probing.evaluate(probe, model, test,
            io.anw.model.Batcher.DEFAULT_BATCH);
        acc[i] = ev.accuracy();
        log.accept(String.format(java.util.Locale.ROOT, "%s on %s: %.3f", e.getKey(),
            tasks.get(i), acc[i]));
      }
      t.addColumns(DoubleColumn.create(e.getKey(), acc));
    }
    return t;
  }
}
