package io.anw.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.anw.GradMode;
import io.anw.WorkbenchException;
import io.anw.activation.ActivationCounter;
import io.anw.activation.ActivationCounts;
import io.anw.activation.CountRun;
import io.anw.activation.CountsFile;
import io.anw.activation.DatasetInputs;
import io.anw.audio.Dataset;
import io.anw.model.Batcher;
import io.anw.model.ChunkPlan;
import io.anw.model.ForwardBenchmark;
import io.anw.model.ForwardProfile;
import io.anw.model.Hooks;
import io.anw.model.M2dViT;
import io.anw.model.ModelConfig;
import io.anw.model.ModelFiles;
import io.anw.model.PartedInput;
import io.anw.model.VitDims;
import io.anw.tensor.TensorFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The counting benchmark ({@code ./workbench bench}, {@code WB.bench()}): in one run, on one
 * model and one set of WAV clips, the machine's fp32 GEMM rate at the model's linear-layer
 * shapes, the bare forward rate, the counting pass from decoded log-mels, {@code count} end to
 * end from the WAV files (load, decode, log-mel, forward, counts written), and, when Debian's
 * python3-torch is present, the same count done the Python way
 * ({@code src/test/python/count_python.py}); as clips/s, GFLOP/s and ratios to each other.
 * Rates are wall-clock; stages run one after the other on the same clips.
 */
public final class CountBenchmark {
  /** The script that counts the Python way, relative to the workbench folder. */
  public static final Path PYTHON_SCRIPT = Path.of("src", "test", "python", "count_python.py");

  /**
   * The sample task the default clips are made from (synthesised notes; generated on first use,
   * no system packages needed).
   */
  public static final String DEFAULT_TASK = "pitch_synth";

  /**
   * Length of the default clips: exactly one M2D unit, 208 frames (1 + 33120 / 160 with the
   * centred STFT; a clip of 2.08 s would have 209 frames and a second, one-patch chunk).
   */
  public static final double DEFAULT_SECONDS = 2.07;

  /**
   * Settings of a benchmark run.
   *
   * @param model checkpoint to benchmark (null: a random ViT-B M2D, float32, written to a
   *     temporary file and loaded from it as {@code count} would)
   * @param data dataset (CSV or folder) whose clips are counted (null: clips of
   *     {@link #DEFAULT_SECONDS} s made from the {@link #DEFAULT_TASK} sample task, each the
   *     notes of one class played one after another)
   * @param clips clips taken, spread evenly over the dataset's rows (0: all)
   * @param batch clips per forward pass
   * @param seed seed of the random model's weights
   * @param python also run the Python way when {@code /usr/bin/python3} has torch
   * @param python3 the Python interpreter
   */
  public record Options(Path model, Path data, int clips, int batch, long seed, boolean python,
      Path python3) {
    /** ViT-B random model, 160 default clips, batch 8, seed 1, Python if present. */
    public static Options defaults() {
      return new Options(null, null, 160, Batcher.DEFAULT_BATCH, 1, true,
          Path.of("/usr/bin/python3"));
    }

    /** These options on another checkpoint. */
    public Options withModel(Path m) {
      return new Options(m, data, clips, batch, seed, python, python3);
    }

    /** These options on another dataset. */
    public Options withData(Path d) {
      return new Options(model, d, clips, batch, seed, python, python3);
    }

    /** These options with {@code n} clips (0: all). */
    public Options withClips(int n) {
      return new Options(model, data, n, batch, seed, python, python3);
    }

    /** These options with another batch size. */
    public Options withBatch(int b) {
      return new Options(model, data, clips, b, seed, python, python3);
    }

    /** These options with or without the Python way. */
    public Options withPython(boolean on) {
      return new Options(model, data, clips, batch, seed, on, python3);
    }
  }

  /**
   * One measured stage.
   *
   * @param name what ran
   * @param seconds wall-clock seconds
   * @param clips clips processed (0 for the GEMM stage)
   * @param flops matmul FLOPs done
   */
  public record Stage(String name, double seconds, int clips, double flops) {
    /** Clips per second (NaN without clips). */
    public double clipsPerSecond() {
      return clips == 0 ? Double.NaN : clips / seconds;
    }

    /** GFLOP per second of wall time. */
    public double gflops() {
      return flops / seconds / 1e9;
    }
  }

  /**
   * The figures of one run.
   *
   * @param model the model's name and where it came from
   * @param data the dataset and the clips taken
   * @param threads PyTorch's intra-op threads
   * @param gemm the linear layers of one batch at the model's shapes, best of several rounds
   * @param decode WAV decoding and log-mels of every clip, on the loading threads
   * @param forward bare forward passes over the decoded clips
   * @param counting the counting pass over the decoded clips
   * @param count {@code count} end to end from the WAV files
   * @param waitPolicy the OpenMP wait policy of this process (the launcher sets PASSIVE)
   * @param python the Python way's span (load + count) with OpenMP as installed (null when
   *     not run)
   * @param pythonProcess that Python process, start to exit (null when not run)
   * @param pythonPassive the Python way's span with {@code OMP_WAIT_POLICY=PASSIVE}, as the
   *     workbench runs (null when not run)
   * @param pythonNote why the Python way did not run, or its torch version and threads
   * @param agreement share of {@code over_zero} entries equal in the workbench's and the
   *     Python way's counts (NaN when not run)
   */
  public record Result(String model, String data, int threads, String waitPolicy, Stage gemm,
      Stage decode, Stage forward, Stage counting, Stage count, Stage python,
      Stage pythonProcess, Stage pythonPassive, String pythonNote, double agreement,
      List<ForwardProfile.Part> profile, int batch, int tokens) {

    /** Counting pass rate over bare forward rate (goal ≥ 0.95). */
    public double countingOverForward() {
      return counting.clipsPerSecond() / forward.clipsPerSecond();
    }

    /** Forward GFLOP/s over the same-run GEMM GFLOP/s at the model's shapes (goal ≥ 0.85). */
    public double forwardOverGemm() {
      return forward.gflops() / gemm.gflops();
    }

    /** {@code count} end to end over the counting pass from log-mels. */
    public double countOverCounting() {
      return count.clipsPerSecond() / counting.clipsPerSecond();
    }

    /** {@code count} end to end over the Python way's span (goal ≥ 2.5; NaN when not run). */
    public double countOverPython() {
      return python == null ? Double.NaN : count.clipsPerSecond() / python.clipsPerSecond();
    }

    /** The figures as lines that fit a terminal. */
    public String report() {
      StringBuilder s = new StringBuilder();
      s.append(String.format(Locale.ROOT, "model: %s%ndata: %s%nPyTorch threads: %d; %s%n%n",
          model, data, threads, waitPolicy));
      s.append(String.format(Locale.ROOT, "%-34s %9s %9s %9s%n", "stage", "seconds", "clips/s",
          "GFLOP/s"));
      for (Stage st : stages()) {
        s.append(String.format(Locale.ROOT, "%-34s %9.2f %9s %9s%n", st.name(), st.seconds(),
            st.clips() == 0 ? "-" : String.format(Locale.ROOT, "%.1f", st.clipsPerSecond()),
            st.flops() == 0 ? "-" : String.format(Locale.ROOT, "%.1f", st.gflops())));
      }
      s.append(String.format(Locale.ROOT, "%nratios (same run)%n"));
      s.append(ratio("forward / GEMM at the model's shapes", forwardOverGemm(), "goal >= 0.85"));
      s.append(ratio("counting pass / bare forward", countingOverForward(), "goal >= 0.95"));
      s.append(ratio("count end to end / counting pass", countOverCounting(), ""));
      if (python != null) {
        s.append(ratio("count end to end / Python way", countOverPython(), "goal >= 2.5 (OpenMP as installed)"));
        s.append(ratio("count end to end / Python, OMP passive",
            count.clipsPerSecond() / pythonPassive.clipsPerSecond(), "same wait policy"));
        s.append(String.format(Locale.ROOT, "%-40s %8.4f %%%n", "over_zero equal to the Python way's",
            100 * agreement));
      }
      s.append(String.format(Locale.ROOT, "Python way: %s%n", pythonNote));
      double perBatch = forward.seconds() * batch / forward.clips();
      s.append(String.format(Locale.ROOT, "%nwhere a forward's time goes (batch %d x %d tokens, "
          + "%.0f ms; each part timed alone)%n", batch, tokens, 1e3 * perBatch));
      s.append(ForwardProfile.report(profile, perBatch));
      return s.toString();
    }

    /** The measured stages in order (the Python ones when run). */
    public List<Stage> stages() {
      List<Stage> all = new ArrayList<>(List.of(gemm, decode, forward, counting, count));
      if (python != null) {
        all.add(python);
        all.add(pythonProcess);
        all.add(pythonPassive);
      }
      return all;
    }

    @Override
    public String toString() {
      return report();
    }

    private static String ratio(String what, double value, String goal) {
      return String.format(Locale.ROOT, "%-40s %8.2f   %s%n", what, value, goal).stripTrailing()
          + System.lineSeparator();
    }
  }

  private CountBenchmark() {}

  /**
   * Runs the benchmark.
   *
   * @param log told what runs, stage by stage
   * @throws WorkbenchException for a missing dataset or model
   */
  public static Result run(Options opt, Consumer<String> log) {
    if (opt.batch() < 1 || opt.clips() < 0) {
      throw new WorkbenchException("bench: --batch must be >= 1 and --clips >= 0");
    }
    GradMode.disableOnCurrentThread();
    if (opt.data() != null && !Files.exists(opt.data())) {
      throw new WorkbenchException(opt.data() + ": no such dataset");
    }
    Path work = tempDir();
    try {
      Path dataPath = opt.data();
      if (dataPath == null) {
        int n = opt.clips() == 0 ? Options.defaults().clips() : opt.clips();
        log.accept("making " + n + " clips of " + DEFAULT_SECONDS + " s from the "
            + DEFAULT_TASK + " samples...");
        dataPath = defaultClips(n, work.resolve("clips"), log);
      }
      Path modelFile = opt.model();
      String modelName;
      if (modelFile == null) {
        log.accept("writing a random ViT-B M2D (float32, seed " + opt.seed() + ")...");
        modelFile = work.resolve("vit-b-random.safetensors");
        try (M2dViT m = M2dViT.random(ModelConfig.defaults().withName("vit-b-random"), 12, 768,
            3072, opt.seed(), null)) {
          ModelFiles.saveM2d(m, modelFile);
        }
        modelName = "vit-b-random (12 blocks, width 768, MLP 3072, float32, seed "
            + opt.seed() + ")";
      } else {
        modelName = modelFile.toString();
      }
      Dataset all = Dataset.open(dataPath);
      Dataset data = spread(all, opt.clips());
      Path csv = work.resolve("bench-data.csv");
      writeCsv(data, csv);
      Dataset fromCsv = Dataset.open(csv);
      String dataText = String.format(Locale.ROOT, "%s: %d of %d clips, %d classes, %.1f s of audio",
          opt.data() == null ? DEFAULT_TASK + " notes, " + DEFAULT_SECONDS + " s clips"
              : dataPath.toString(), data.size(), all.size(), data.classes().size(),
          data.items().stream().mapToDouble(Dataset.Item::seconds).sum());

      Stage gemm;
      Stage decode;
      Stage forward;
      Stage counting;
      int threads;
      List<ForwardProfile.Part> profile;
      int maxTokens = 0;
      try (M2dViT model = ModelFiles.loadM2d(modelFile)) {
        threads = ai.djl.pytorch.jni.JniUtils.getNumThreads();
        if (opt.model() != null) {
          modelName += String.format(Locale.ROOT, " (%d blocks, width %d, MLP %d)",
              model.dims().depth(), model.dims().width(), model.dims().mlpDim());
        }
        log.accept("decoding " + data.size() + " clips...");
        long d0 = System.nanoTime();
        List<DatasetInputs.Prepared> prepared = DatasetInputs.prepared(model, data);
        decode = new Stage("decode + log-mel (loading threads)", seconds(d0), data.size(), 0);
        int[] labels = DatasetInputs.labels(data);
        double flops = 0;
        for (DatasetInputs.Prepared p : prepared) {
          ChunkPlan plan = ChunkPlan.of(p.frames(), model.dims().unitFrames(),
              model.dims().patchTime());
          for (ChunkPlan.Chunk c : plan.chunks()) {
            int tokens = 1 + model.dims().freqPatches() * c.timePatches();
            flops += ForwardBenchmark.forwardFlops(model.dims(), tokens);
            maxTokens = Math.max(maxTokens, tokens);
          }
        }
        log.accept("GEMM at the model's shapes...");
        gemm = gemm(model.dims(), opt.batch() * maxTokens);
        try (NDManager manager = NDManager.newBaseManager()) {
          List<PartedInput> inputs = prepared.stream().map(p -> p.toInput(manager)).toList();
          // warm-up: one batch through each path
          List<PartedInput> first = inputs.subList(0, Math.min(opt.batch(), inputs.size()));
          bare(model, first, opt.batch());
          try (ActivationCounter warm = new ActivationCounter(model, data.classes())) {
            warm.addAll(first, java.util.Arrays.copyOf(labels, first.size()), opt.batch());
          }
          log.accept("bare forward over " + inputs.size() + " clips...");
          long t0 = System.nanoTime();
          bare(model, inputs, opt.batch());
          forward = new Stage("bare forward (log-mels decoded)", seconds(t0), inputs.size(),
              flops);
          log.accept("counting pass over " + inputs.size() + " clips...");
          t0 = System.nanoTime();
          try (ActivationCounter counter = new ActivationCounter(model, data.classes())) {
            counter.addAll(inputs, labels, opt.batch());
            counter.counts(java.util.Map.of());
          }
          counting = new Stage("counting pass (log-mels decoded)", seconds(t0), inputs.size(),
              flops);
        }
        log.accept("profiling the parts of a forward...");
        profile = ForwardProfile.of(model.dims(), opt.batch(), maxTokens, 3,
            data.classes().size());
      }
      log.accept("count end to end from WAV files...");
      Path countsFile = work.resolve("counts.npz");
      long t0 = System.nanoTime();
      ActivationCounts counts;
      try (M2dViT model = ModelFiles.loadM2d(modelFile)) {
        counts = CountRun.run(model, fromCsv,
            CountRun.Options.defaults().withBatchSize(opt.batch()), java.util.Map.of(),
            (rows, secs) -> { });
        CountsFile.write(counts, countsFile);
      }
      Stage count = new Stage("count end to end (WAV files)", seconds(t0), data.size(), forward.flops());

      Stage python = null;
      Stage process = null;
      Stage passive = null;
      String note;
      double agreement = Double.NaN;
      String missing = opt.python() ? pythonMissing(opt.python3()) : "not asked for (--no-python)";
      if (missing != null) {
        note = "skipped: " + missing;
      } else {
        Path pyOut = work.resolve("python-counts.npz");
        List<String> args = List.of(home().resolve(PYTHON_SCRIPT).toString(), "--model",
            modelFile.toString(), "--data", csv.toString(), "--out", pyOut.toString(),
            "--batch", Integer.toString(opt.batch()), "--threads", Integer.toString(threads));
        log.accept("the Python way (Debian's torch, OpenMP as installed)...");
        long p0 = System.nanoTime();
        com.google.gson.JsonObject o = runPython(opt.python3(), args, null);
        double processSeconds = seconds(p0);
        python = new Stage("Python way: load + count", span(o), data.size(), forward.flops());
        process = new Stage("Python way: whole process", processSeconds, data.size(),
            forward.flops());
        agreement = agreement(counts, pyOut);
        log.accept("the Python way with OMP_WAIT_POLICY=PASSIVE...");
        o = runPython(opt.python3(), args, "PASSIVE");
        passive = new Stage("Python way, OpenMP passive", span(o), data.size(),
            forward.flops());
        note = "torch " + o.get("torch").getAsString() + ", " + o.get("threads").getAsInt()
            + " threads, " + PYTHON_SCRIPT;
      }
      return new Result(modelName, dataText, threads, waitPolicy(), gemm, decode, forward,
          counting, count, python, process, passive, note, agreement, profile, opt.batch(),
          maxTokens);
    } finally {
      deleteTree(work);
    }
  }

  /**
   * {@code n} WAV clips of {@link #DEFAULT_SECONDS} s in {@code dir} (class folders): clip i
   * plays the notes of one class of the {@link #DEFAULT_TASK} samples one after another, the
   * classes taken in turn; returns the folder.
   */
  static Path defaultClips(int n, Path dir, Consumer<String> log) {
    Path csv = io.anw.audio.SampleGenerator.ensure(io.anw.audio.SampleGenerator.DEFAULT_OUT,
        DEFAULT_TASK, log);
    Dataset notes = Dataset.open(csv);
    List<String> classes = notes.classes();
    List<List<Integer>> rowsOf = new ArrayList<>();
    for (String c : classes) {
      List<Integer> rows = new ArrayList<>();
      for (int r = 0; r < notes.size(); r++) {
        if (notes.items().get(r).label().equals(c)) {
          rows.add(r);
        }
      }
      rowsOf.add(rows);
    }
    int rate = io.anw.audio.AudioFiles.MODEL_RATE;
    int length = (int) Math.round(DEFAULT_SECONDS * rate);
    int[] next = new int[classes.size()];
    for (int i = 0; i < n; i++) {
      int c = i % classes.size();
      float[] clip = new float[length];
      for (int at = 0; at < length; ) {
        List<Integer> rows = rowsOf.get(c);
        float[] note = notes.load(rows.get(next[c]++ % rows.size())).samples();
        int take = Math.min(note.length, length - at);
        System.arraycopy(note, 0, clip, at, take);
        at += take;
      }
      Path file = dir.resolve(classes.get(c)).resolve(String.format(Locale.ROOT, "%s-%03d.wav",
          classes.get(c), i));
      try {
        Files.createDirectories(file.getParent());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      io.anw.audio.WavFile.write(file, new io.anw.audio.Clip(clip, rate));
    }
    return dir;
  }

  /** {@code n} rows spread evenly over the dataset (all when n is 0 or at least its size). */
  static Dataset spread(Dataset data, int n) {
    if (n == 0 || n >= data.size()) {
      return data;
    }
    int[] rows = new int[n];
    for (int i = 0; i < n; i++) {
      rows[i] = (int) ((long) i * data.size() / n);
    }
    return data.select(rows);
  }

  private static void writeCsv(Dataset data, Path csv) {
    List<List<String>> rows = data.items().stream()
        .map(it -> List.of(it.file().toAbsolutePath().toString(), it.label())).toList();
    io.anw.report.CsvFiles.write(List.of("file_name", "label"), rows, csv);
  }

  /** One forward of every input, batched, no hooks, results dropped. */
  private static void bare(M2dViT model, List<PartedInput> inputs, int batch) {
    Batcher.run(model, inputs, batch, Hooks.none(),
        (run, rows) -> Collections.nCopies(rows, Boolean.TRUE));
  }

  /**
   * The linear layers of one block at {@code rows} token rows (qkv, proj, fc1, fc2 with
   * biases, the op the model runs), best of 5 rounds, as one stage per model forward.
   */
  private static Stage gemm(VitDims d, int rows) {
    long w = d.width();
    long h = d.mlpDim();
    long[][] shapes = {{w, 3 * w}, {w, w}, {w, h}, {h, w}}; // in, out
    try (NDManager m = NDManager.newBaseManager()) {
      List<NDArray[]> layers = new ArrayList<>();
      double flops = 0;
      for (long[] s : shapes) {
        NDArray x = m.randomNormal(0, 1, new Shape(rows, s[0]), DataType.FLOAT32);
        NDArray weight = m.randomNormal(0, 0.02f, new Shape(s[1], s[0]), DataType.FLOAT32);
        NDArray bias = m.zeros(new Shape(s[1]), DataType.FLOAT32);
        layers.add(new NDArray[] {x, weight, bias});
        flops += 2.0 * rows * s[0] * s[1];
      }
      double best = Double.MAX_VALUE;
      for (int round = 0; round <= 5; round++) {
        long t0 = System.nanoTime();
        for (NDArray[] l : layers) {
          l[0].getNDArrayInternal().linear(l[0], l[1], l[2]).singletonOrThrow().close();
        }
        double s = seconds(t0);
        if (round > 0) {
          best = Math.min(best, s);
        }
      }
      return new Stage("GEMM, linear layers x " + rows + " rows", best, 0, flops);
    }
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  /** The workbench folder: the launcher's ({@code -Dworkbench.launcher}), else the current one. */
  public static Path home() {
    String launcher = System.getProperty("workbench.launcher");
    return launcher == null ? Path.of("") : Path.of(launcher).toAbsolutePath().getParent();
  }

  /** Why the Python way cannot run here (null: it can). */
  public static String pythonMissing(Path python3) {
    if (!Files.isExecutable(python3)) {
      return python3 + " not found (apt-get install python3-torch python3-numpy)";
    }
    if (!Files.isRegularFile(home().resolve(PYTHON_SCRIPT))) {
      return PYTHON_SCRIPT + " not found (run from the workbench folder)";
    }
    try {
      Process p = new ProcessBuilder(python3.toString(), "-c", "import torch, numpy")
          .redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return "torch or numpy is not importable by " + python3
            + " (apt-get install python3-torch python3-numpy)";
      }
      return null;
    } catch (IOException e) {
      return python3 + ": " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  /** The OpenMP wait policy this process runs with, as the environment says. */
  static String waitPolicy() {
    String policy = System.getenv("OMP_WAIT_POLICY");
    String spin = System.getenv("GOMP_SPINCOUNT");
    if (policy == null && spin == null) {
      return "OpenMP's default (spin, then sleep)";
    }
    return (policy == null ? "" : "OMP_WAIT_POLICY=" + policy)
        + (spin == null ? "" : (policy == null ? "" : ", ") + "GOMP_SPINCOUNT=" + spin);
  }

  private static double span(com.google.gson.JsonObject o) {
    return o.get("load_s").getAsDouble() + o.get("count_s").getAsDouble();
  }

  /**
   * Runs the Python script and returns its JSON timings (its last stdout line); with
   * {@code waitPolicy} null, OpenMP runs as installed (no wait policy or spin count set).
   */
  private static com.google.gson.JsonObject runPython(Path python3, List<String> args,
      String waitPolicy) {
    List<String> cmd = new ArrayList<>();
    cmd.add(python3.toString());
    cmd.addAll(args);
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.environment().remove("GOMP_SPINCOUNT");
      if (waitPolicy == null) {
        pb.environment().remove("OMP_WAIT_POLICY");
      } else {
        pb.environment().put("OMP_WAIT_POLICY", waitPolicy);
      }
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new WorkbenchException(PYTHON_SCRIPT + " failed: " + out.strip().lines()
            .reduce((a, b) -> b).orElse("(no output)"));
      }
      return com.google.gson.JsonParser.parseString(out.strip().lines().reduce((a, b) -> b)
          .orElseThrow()).getAsJsonObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkbenchException("interrupted while the Python way ran");
    }
  }

  /** Share of over_zero entries equal in our counts and the Python way's file. */
  private static double agreement(ActivationCounts ours, Path pythonFile) {
    long[] theirs = TensorFiles.read(pythonFile).tensors().get("over_zero").toLongArray();
    long[] mine = ours.overZeroFlat();
    if (theirs.length != mine.length) {
      throw new WorkbenchException(pythonFile + ": over_zero has " + theirs.length
          + " entries, ours " + mine.length);
    }
    long equal = 0;
    for (int i = 0; i < mine.length; i++) {
      if (mine[i] == theirs[i]) {
        equal++;
      }
    }
    return (double) equal / mine.length;
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("workbench-bench");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes the benchmark's temporary folder; one left behind is harmless. */
  private static void deleteTree(Path dir) {
    try {
      org.apache.commons.io.file.PathUtils.deleteDirectory(dir);
    } catch (IOException e) {
      // a temp folder left behind is harmless
    }
  }
}
