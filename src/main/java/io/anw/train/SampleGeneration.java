package io.anw.train;

import io.anw.WorkbenchException;
import io.anw.audio.Dataset;
import io.anw.audio.SampleGenerator;
import io.anw.audio.SoundBank;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One generation of sample models: the sample data they are trained on (folder, soundfont,
 * clips per task, tasks) and their names. {@link #TINY} is what ships today (toy audio from the
 * JDK's default bank); {@link #SMALL} is the next one (recorded-instrument soundfonts, richer
 * speech, test splits of 120 clips a task; issue 16), trained by
 * {@code train-sample-models.jsh small}.
 *
 * @param name the generation's name ({@code tiny}, {@code small})
 * @param dataDir where its sample data is generated
 * @param bank the soundfont its notes are rendered with, or null for the JDK's default bank
 * @param clipsPerTask clips generated per task
 * @param tasks the tasks its SSL model pools (and the RQ scripts use)
 * @param slTasks the tasks its supervised model is trained on (the others are novel to it)
 * @param m2d name of its M2D self-supervised model
 * @param sl name of its supervised model
 * @param random name of its random-init control
 * @param audioText name of its audio-text model, or null when it has none
 */
public record SampleGeneration(String name, Path dataDir, SoundBank bank, int clipsPerTask,
    List<String> tasks, List<String> slTasks, String m2d, String sl, String random,
    String audioText) {
  /** The shipped models: m2d-tiny, vit-sl-tiny, random-tiny, audio-text-tiny. */
  public static final SampleGeneration TINY = new SampleGeneration("tiny",
      SampleGenerator.DEFAULT_OUT, null, SampleGenerator.DEFAULT_CLIPS_PER_TASK,
      List.of("pitch_synth", "pitch_midi", "instrument_family", "texture", "spoken_language",
          "voice_gender"),
      List.of("instrument_family", "texture"), "m2d-tiny", "vit-sl-tiny", "random-tiny",
      "audio-text-tiny");

  /**
   * The next models (issue 16): trained on recorded-instrument data with two pitch sources
   * beside the synthesiser; the audio-text model starts from m2d-small.
   */
  public static final SampleGeneration SMALL = new SampleGeneration("small",
      Path.of("samples", "data-real"), SoundBank.FLUID, 600,
      List.of("pitch_synth", "pitch_fluid", "pitch_timgm", "instrument_family", "texture",
          "spoken_language", "voice_gender"),
      List.of("instrument_family", "texture"), "m2d-small", "vit-sl-small", "random-small",
      "audio-text-small");

  /**
   * The second attempt at the small generation, decided before its results: the same data,
   * shape and recipe as {@link #SMALL} with three times the M2D steps ({@code m2d-small-long});
   * it is compared with SMALL's supervised and random-init models.
   */
  public static final SampleGeneration SMALL_LONG = new SampleGeneration("small-long",
      SMALL.dataDir(), SMALL.bank(), SMALL.clipsPerTask(), SMALL.tasks(), SMALL.slTasks(),
      "m2d-small-long", SMALL.sl(), SMALL.random(), null);

  /** Every generation, oldest first. */
  public static final List<SampleGeneration> ALL = List.of(TINY, SMALL, SMALL_LONG);

  /** Checks the fields. */
  public SampleGeneration {
    Objects.requireNonNull(name);
    tasks = List.copyOf(tasks);
    slTasks = List.copyOf(slTasks);
    if (!tasks.containsAll(slTasks)) {
      throw new WorkbenchException("generation " + name + ": supervised tasks " + slTasks
          + " must be among its tasks " + tasks);
    }
  }

  /** The audio-only models (the SSL / SL / random-init comparison of the RQ scripts). */
  public List<String> audioModels() {
    return List.of(m2d, sl, random);
  }

  /** Every model of the generation, the audio-text one last when there is one. */
  public List<String> models() {
    List<String> out = new ArrayList<>(audioModels());
    if (audioText != null) {
      out.add(audioText);
    }
    return List.copyOf(out);
  }

  /** The generation a model name belongs to. */
  public static SampleGeneration of(String model) {
    for (SampleGeneration g : ALL) {
      if (g.models().contains(model)) {
        return g;
      }
    }
    List<String> names = new ArrayList<>();
    ALL.forEach(g -> names.addAll(g.models()));
    throw new WorkbenchException("no sample model '" + model + "'; there are "
        + String.join(", ", names));
  }

  /** A generation by name ({@code tiny}, {@code small}, {@code small-long}). */
  public static SampleGeneration named(String name) {
    return ALL.stream().filter(g -> g.name().equals(name)).findFirst()
        .orElseThrow(() -> new WorkbenchException("no sample generation '" + name
            + "'; there are " + String.join(", ", ALL.stream().map(SampleGeneration::name)
                .toList())));
  }

  /**
   * The generation a script's first argument names: {@code check} (a short run, what CI's
   * smoke test runs) means the small models, {@code all} the tiny ones, anything else a
   * generation by name.
   */
  public static SampleGeneration forScript(String mode) {
    return mode.equals("check") ? SMALL : mode.equals("all") ? TINY : named(mode);
  }

  /**
   * Where a script writes this generation's results: {@code out/BASE} for the tiny models,
   * {@code out/BASE/NAME} for the others (e.g. {@code out/rq1/small}).
   */
  public Path outDir(String base) {
    return this == TINY ? Path.of("out", base) : Path.of("out", base, name);
  }

  /** A task's dataset in this generation's data, generating that task first if missing. */
  public Dataset dataset(String task, Consumer<String> log) {
    // only the task asked for is made: the others may need packages this machine lacks
    return Dataset.open(SampleGenerator.ensure(dataDir, task, SampleGenerator.tasks(bank),
        clipsPerTask, log));
  }
}
