package io.anw.cli;

import io.anw.audio.SampleGenerator;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tech.tablesaw.api.Table;

/** {@code workbench samples make}: generates the offline sample datasets. */
@Command(name = "samples", mixinStandardHelpOptions = true,
    description = "Offline sample data: synthetic tasks mirroring the paper's.",
    subcommands = {SamplesCommand.Make.class, SamplesCommand.HfModels.class,
        CommandLine.HelpCommand.class})
public final class SamplesCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** {@code workbench samples make [--out DIR] [--seed S] [--clips N]}. */
  @Command(name = "make", mixinStandardHelpOptions = true,
      description = "Generate WAVs (16 kHz mono) and a labels.csv per task: pitch_synth, "
          + "pitch_midi, instrument_family, texture, spoken_language and voice_gender "
          + "(the last two need espeak-ng). Same seed, same files.")
  static final class Make implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "samples/data", paramLabel = "DIR",
        description = "Output folder.")
    Path out;

    @Option(names = "--seed", defaultValue = "" + SampleGenerator.DEFAULT_SEED, paramLabel = "S",
        description = "Random seed.")
    long seed;

    @Option(names = "--clips", defaultValue = "" + SampleGenerator.DEFAULT_CLIPS_PER_TASK,
        paramLabel = "N", description = "Clips per task, split evenly over its classes.")
    int clips;

    @Option(names = "--bank", paramLabel = "NAME|FILE.sf2",
        description = "Realistic data: instrument and pitch notes from a soundfont of recorded"
            + " instruments (pitch_<bank> for every installed bank instead of pitch_midi), more"
            + " speakers and sentences. NAME: fluid (apt-get install fluid-soundfont-gm), timgm"
            + " (timgm6mb-soundfont) or a .sf2 file. Without it: the data the shipped sample"
            + " models were trained on (JDK default bank).")
    String bank;

    @Override
    public Integer call() {
      long start = System.nanoTime();
      io.anw.audio.SoundBank sb = bank == null ? null : io.anw.audio.SoundBank.of(bank);
      if (sb != null && !sb.available()) {
        throw new io.anw.WorkbenchException("--bank " + bank + ": " + sb.missing());
      }
      Table index = SampleGenerator.generate(out, seed, clips, SampleGenerator.tasks(sb),
          System.out::println);
      System.out.print(io.anw.report.TableText.render(index));
      System.out.printf("%nwrote %d tasks to %s in %.1f s%n", index.rowCount(), out,
          (System.nanoTime() - start) / 1e9);
      return 0;
    }
  }

  /**
   * {@code workbench samples hf-models [--out DIR] [--size tiny|base] [--seed S] [--trained]}.
   */
  @Command(name = "hf-models", mixinStandardHelpOptions = true,
      description = "Write random-init Hugging Face folders of HuBERT, wav2vec 2.0 (stable "
          + "layout), Whisper and AST (config.json, preprocessor_config.json, "
          + "model.safetensors): the shipped hubert-tiny, wav2vec2-tiny, whisper-tiny, ast-tiny,"
          + " or base-size ones for throughput. Same seed, same files.")
  static final class HfModels implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "samples/models", paramLabel = "DIR",
        description = "Folder the model folders are written in.")
    Path out;

    @Option(names = "--size", defaultValue = "tiny", paramLabel = "tiny|base",
        description = "tiny (width 64, 2 blocks, 256 neurons each) or base (HuBERT / wav2vec 2.0"
            + " / AST base, Whisper base).")
    String size;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Random seed.")
    long seed;

    @Option(names = "--trained", description = "Also train each tiny folder briefly, supervised"
        + " on pitch_synth's train split (generated if absent), and write it as "
        + "<family>-sl-tiny, with its training report and loss plot in DIR/training/ "
        + "(about 25 minutes on 2 cores).")
    boolean trained;

    @Override
    public Integer call() {
      if (!size.equals("tiny") && !size.equals("base")) {
        throw new io.anw.WorkbenchException("--size must be tiny or base, got '" + size + "'");
      }
      if (trained && !size.equals("tiny")) {
        throw new io.anw.WorkbenchException("--trained trains the tiny folders; drop --size "
            + size);
      }
      for (String name : new java.util.TreeSet<>(io.anw.train.HfSampleFolders.SAMPLES.keySet())) {
        io.anw.model.HfAudioConfig.Family f = io.anw.train.HfSampleFolders.SAMPLES.get(name);
        var s = size.equals("tiny") ? io.anw.train.HfSampleFolders.tiny(f)
            : io.anw.train.HfSampleFolders.base(f);
        String folder = size.equals("tiny") ? name : name.replace("-tiny", "-base");
        Path dir = io.anw.train.HfSampleFolders.write(out.resolve(folder), f, s, seed);
        System.out.println("wrote " + dir + " (" + io.anw.train.HfSampleFolders.describe(folder,
            f, s) + ")");
      }
      if (trained) {
        Path csv = io.anw.audio.SampleGenerator.ensure(io.anw.audio.SampleGenerator.DEFAULT_OUT,
            "pitch_synth", System.out::println);
        io.anw.audio.Dataset train = io.anw.audio.Dataset.open(csv).split("train");
        for (String name : new java.util.TreeSet<>(io.anw.train.HfSampleFolders.SAMPLES
            .keySet())) {
          io.anw.model.HfAudioConfig.Family f = io.anw.train.HfSampleFolders.SAMPLES.get(name);
          String folder = name.replace("-tiny", "-sl-tiny");
          try (io.anw.model.HfAudioModel m = io.anw.model.HfAudioModel.load(out.resolve(name))) {
            io.anw.train.TrainingRun run = io.anw.train.HfSupervised.train(folder, m, train,
                io.anw.train.HfSampleFolders.trainingSettings(f), System.out::println);
            Path dir = io.anw.train.HfSampleFolders.writeTrained(m, run, out.resolve(folder));
            run.write(out.resolve("training"));
            System.out.println("wrote " + dir + "; report and loss plot in "
                + out.resolve("training"));
            System.out.println(run.report());
          }
        }
      }
      return 0;
    }
  }
}
