package io.anw.audio;

import io.anw.WorkbenchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Generates the offline sample data: one folder per {@link SampleTask} holding WAVs (16 kHz
 * mono, 16-bit, in one subfolder per class) and {@code labels.csv} in the dataset format
 * ({@code file_name,label,...metadata}), plus an index {@code tasks.csv}. The output depends only
 * on the seed and the clip count. Tasks run in parallel; each is written to a temporary folder
 * and renamed into place when complete.
 */
public final class SampleGenerator {
  /** Where the data goes by default, relative to the working directory. */
  public static final Path DEFAULT_OUT = Path.of("samples", "data");
  /** The default seed. */
  public static final long DEFAULT_SEED = 1234;
  /** Default clips per task (split evenly over its classes). */
  public static final int DEFAULT_CLIPS_PER_TASK = 240;
  /** Name of each task's dataset CSV. */
  public static final String LABELS = "labels.csv";
  /** Name of the index of generated tasks. */
  public static final String INDEX = "tasks.csv";

  private SampleGenerator() {}

  /**
   * All tasks, new instances (the speech tasks share renders within one list): pitch octave by
   * two synthesis methods, instrument family, texture, spoken language, voice gender, and pitch
   * octave with captions (for audio-text models).
   */
  public static List<SampleTask> tasks() {
    return tasks(null);
  }

  /**
   * The sample tasks, the instrument notes rendered with {@code bank} (recorded instruments;
   * null: the JDK's default bank, the data the shipped sample models were trained on).
   */
  public static List<SampleTask> tasks(SoundBank bank) {
    List<SampleTask> tasks = new ArrayList<>(List.of(new PitchOctaveTask(PitchOctaveTask.Method.SYNTH)));
    if (bank == null) {
      tasks.add(new PitchOctaveTask(PitchOctaveTask.Method.MIDI));
    } else {
      // the same pitches from every known recorded bank: sources to compare pitch neurons across
      // (one not installed here is skipped when generating, naming its package)
      java.util.LinkedHashSet<SoundBank> banks = new java.util.LinkedHashSet<>();
      banks.add(bank);
      banks.addAll(SoundBank.KNOWN);
      banks.forEach(b -> tasks.add(new PitchOctaveTask(b)));
    }
    tasks.add(new InstrumentFamilyTask(bank));
    tasks.add(new TextureTask());
    // realistic data (a bank given): more sentences and speakers too
    tasks.addAll(SpeechTask.languageAndGender(bank == null ? SpeechTask.Voices.BASIC
        : SpeechTask.Voices.MORE));
    tasks.add(new PitchCaptionTask());
    return List.copyOf(tasks);
  }

  /** Whether {@code out} already holds generated data (its {@code tasks.csv}). */
  public static boolean exists(Path out) {
    return Files.isRegularFile(out.resolve(INDEX));
  }

  /** What was written for one task. */
  private record Written(String task, int clips, int classes, double seconds, String description) {}

  /**
   * Generates every available task into {@code out}, replacing earlier output of those tasks.
   * Tasks that cannot run here (e.g. speech without espeak-ng) are skipped with a message.
   *
   * @param clipsPerTask clips per task, divided evenly among its classes (at least one each)
   * @param log receives one line per task
   * @return the index: task, clips, classes, seconds, description
   */
  public static Table generate(Path out, long seed, int clipsPerTask, Consumer<String> log) {
    return generate(out, seed, clipsPerTask, tasks(), log);
  }

  /** Generates the given tasks (see {@link #generate(Path, long, int, Consumer)}). */
  public static Table generate(Path out, long seed, int clipsPerTask, List<SampleTask> tasks,
      Consumer<String> log) {
    if (clipsPerTask <= 0) {
      throw new WorkbenchException("clips per task must be positive: " + clipsPerTask);
    }
    try {
      Files.createDirectories(out);
    } catch (IOException e) {
      throw new WorkbenchException(out + ": cannot create (" + e.getMessage() + ")", e);
    }
    List<SampleTask> runnable = new ArrayList<>();
    for (SampleTask t : tasks) {
      Optional<String> why = t.unavailable();
      if (why.isPresent()) {
        log.accept(t.name() + ": skipped, " + why.get());
      } else {
        runnable.add(t);
      }
    }
    // At least two threads: the speech tasks spend much of their time waiting for espeak-ng.
    int threads = Math.max(1, Math.min(runnable.size(),
        Math.max(2, Runtime.getRuntime().availableProcessors())));
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread th = new Thread(r, "anw-samples");
      th.setDaemon(true);
      return th;
    });
    List<Written> written = new ArrayList<>();
    try {
      List<Future<Written>> futures = new ArrayList<>();
      for (SampleTask t : runnable) {
        futures.add(pool.submit(() -> writeTask(out, t, seed, clipsPerTask, log)));
      }
      for (Future<Written> f : futures) {
        written.add(f.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkbenchException("sample generation interrupted", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      throw c instanceof WorkbenchException w ? w
          : new WorkbenchException("sample generation failed: " + c, c);
    } finally {
      pool.shutdownNow();
    }
    // Tasks generated earlier and not now keep their rows; rows follow the order of tasks().
    List<Written> rows = new ArrayList<>();
    List<String> order = tasks().stream().map(SampleTask::name).toList();
    if (exists(out)) {
      Table before = index(out);
      for (int r = 0; r < before.rowCount(); r++) {
        String name = before.stringColumn("task").get(r);
        if (written.stream().noneMatch(w -> w.task().equals(name))
            && Files.isRegularFile(out.resolve(name).resolve(LABELS))) {
          rows.add(new Written(name, before.intColumn("clips").get(r),
              before.intColumn("classes").get(r), before.doubleColumn("seconds").get(r),
              before.stringColumn("description").get(r)));
        }
      }
    }
    rows.addAll(written);
    rows.sort(Comparator.comparingInt(w -> order.indexOf(w.task()) < 0 ? Integer.MAX_VALUE
        : order.indexOf(w.task())));
    Table index = Table.create(INDEX,
        StringColumn.create("task", rows.stream().map(Written::task).toList()),
        IntColumn.create("clips", rows.stream().mapToInt(Written::clips).toArray()),
        IntColumn.create("classes", rows.stream().mapToInt(Written::classes).toArray()),
        DoubleColumn.create("seconds", rows.stream().mapToDouble(Written::seconds).toArray()),
        StringColumn.create("description", rows.stream().map(Written::description).toList()));
    List<List<String>> csv = new ArrayList<>();
    for (Written w : rows) {
      csv.add(List.of(w.task(), Integer.toString(w.clips()), Integer.toString(w.classes()),
          String.format(Locale.ROOT, "%.1f", w.seconds()), w.description()));
    }
    io.anw.report.CsvFiles.write(List.of("task", "clips", "classes", "seconds", "description"),
        csv, out.resolve(INDEX));
    return index;
  }

  /**
   * The dataset CSV of one task in {@code out}, generating the task first (default seed and
   * clip count) when its folder is missing, e.g. a task added after the data was made.
   *
   * @throws WorkbenchException naming the tasks there are when {@code task} is not one, or why
   *     it cannot be generated here
   */
  public static Path ensure(Path out, String task, Consumer<String> log) {
    return ensure(out, task, tasks(), DEFAULT_CLIPS_PER_TASK, log);
  }

  /**
   * {@link #ensure(Path, String, Consumer)} among {@code tasks} (e.g. {@code tasks(bank)}),
   * generating a missing one with {@code clipsPerTask} clips.
   */
  public static Path ensure(Path out, String task, List<SampleTask> tasks, int clipsPerTask,
      Consumer<String> log) {
    Path csv = out.resolve(task).resolve(LABELS);
    if (Files.isRegularFile(csv)) {
      return csv;
    }
    SampleTask t = tasks.stream().filter(x -> x.name().equals(task)).findFirst()
        .orElseThrow(() -> new WorkbenchException("no sample task '" + task + "'; there are "
            + String.join(", ", tasks.stream().map(SampleTask::name).toList())));
    Optional<String> why = t.unavailable();
    if (why.isPresent()) {
      throw new WorkbenchException("sample task " + task + " cannot be made here: " + why.get());
    }
    generate(out, DEFAULT_SEED, clipsPerTask, List.of(t), log);
    return csv;
  }

  /**
   * The tasks of {@code names} that exist in {@code out} or can be made on this machine, in
   * order; each other one is told to {@code log} in one line naming what to install (e.g. the
   * speech tasks without espeak-ng).
   */
  public static List<String> available(Path out, List<String> names, Consumer<String> log) {
    return available(out, names, tasks(), log);
  }

  /** {@link #available(Path, List, Consumer)} among {@code tasks} (e.g. {@code tasks(bank)}). */
  public static List<String> available(Path out, List<String> names, List<SampleTask> tasks,
      Consumer<String> log) {
    List<String> ok = new ArrayList<>();
    for (String name : names) {
      Optional<String> why = Files.isRegularFile(out.resolve(name).resolve(LABELS))
          ? Optional.empty()
          : tasks.stream().filter(x -> x.name().equals(name)).findFirst()
              .flatMap(SampleTask::unavailable);
      if (why.isPresent()) {
        log.accept("skipped " + name + ": " + why.get());
      } else {
        ok.add(name);
      }
    }
    return ok;
  }

  /** The index of generated tasks in {@code out} ({@code tasks.csv}) as a table. */
  public static Table index(Path out) {
    Path f = out.resolve(INDEX);
    if (!Files.isRegularFile(f)) {
      throw new WorkbenchException(f + ": no generated samples (run `workbench samples make`)");
    }
    try {
      List<io.anw.report.CsvFiles.Row> rows = io.anw.report.CsvFiles.read(f);
      List<io.anw.report.CsvFiles.Row> data = rows.subList(1, rows.size());
      return Table.create(INDEX,
          StringColumn.create("task", data.stream().map(r -> r.fields().get(0)).toList()),
          IntColumn.create("clips", data.stream().mapToInt(r -> Integer.parseInt(r.fields().get(1))).toArray()),
          IntColumn.create("classes", data.stream().mapToInt(r -> Integer.parseInt(r.fields().get(2))).toArray()),
          DoubleColumn.create("seconds", data.stream().mapToDouble(r -> Double.parseDouble(r.fields().get(3))).toArray()),
          StringColumn.create("description", data.stream().map(r -> r.fields().get(4)).toList()));
    } catch (RuntimeException e) {
      throw new WorkbenchException(f + ": unreadable index (" + e.getMessage() + ")", e);
    }
  }

  private static Written writeTask(Path out, SampleTask task, long seed, int clipsPerTask,
      Consumer<String> log) throws IOException {
    long start = System.nanoTime();
    int perClass = Math.max(1, clipsPerTask / task.classes().size());
    List<Clip> clips = task.make(seed, perClass);
    Path partial = out.resolve("." + task.name() + ".partial");
    deleteTree(partial);
    Set<String> metaKeys = new LinkedHashSet<>();
    clips.forEach(c -> metaKeys.addAll(c.metadata().keySet()));
    List<String> header = new ArrayList<>(List.of("file_name", "label"));
    header.addAll(metaKeys);
    List<List<String>> csv = new ArrayList<>();
    int[] perLabel = new int[task.classes().size()];
    double seconds = 0;
    for (Clip c : clips) {
      int k = task.classes().indexOf(c.label());
      String file = c.label() + "/" + c.label() + String.format(Locale.ROOT, "-%03d.wav", perLabel[k]++);
      WavFile.write(partial.resolve(file), c);
      seconds += c.seconds();
      List<String> row = new ArrayList<>(List.of(file, c.label()));
      for (String key : metaKeys) {
        row.add(c.metadata().getOrDefault(key, ""));
      }
      csv.add(row);
    }
    io.anw.report.CsvFiles.write(header, csv, partial.resolve(LABELS));
    Path dest = out.resolve(task.name());
    deleteTree(dest);
    Files.move(partial, dest, StandardCopyOption.ATOMIC_MOVE);
    log.accept(String.format(Locale.ROOT, "%s: %d clips, %d classes (%.1f s)", task.name(),
        clips.size(), task.classes().size(), (System.nanoTime() - start) / 1e9));
    return new Written(task.name(), clips.size(), task.classes().size(), seconds, task.description());
  }

  /** Deletes a folder and its contents, if it is there. */
  private static void deleteTree(Path dir) throws IOException {
    if (Files.exists(dir)) {
      org.apache.commons.io.file.PathUtils.deleteDirectory(dir);
    }
  }
}
