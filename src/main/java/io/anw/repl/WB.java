package io.anw.repl;

import io.anw.Version;
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
}
