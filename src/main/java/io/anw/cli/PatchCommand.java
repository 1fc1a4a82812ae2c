package io.anw.cli;

import io.anw.GradMode;
import io.anw.audio.LogMelPreset;
import io.anw.intervention.PatchDirection;
import io.anw.intervention.SweepResult;
import io.anw.model.AudioModel;
import io.anw.model.ModelFiles;
import io.anw.pipeline.FilePatching;
import io.anw.report.CsvFiles;
import io.anw.report.Plots;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tech.tablesaw.api.Table;

/**
 * {@code workbench patch --model CKPT CLEAN CORRUPTED [--hooks GLOB | --groups N] [--noise] --out DIR}:
 * an activation-patching sweep between two audio files, measured as the cosine similarity of
 * the scene embedding to the clean one's (1 = clean behaviour).
 */
@Command(name = "patch", mixinStandardHelpOptions = true,
    description = "Activation-patching sweep between a clean and a corrupted audio file: hook "
        + "points x token positions (or x groups of MLP neurons); writes a CSV table and a "
        + "heatmap PNG. Metric: cosine similarity of the scene embedding to the clean one.")
public final class PatchCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "CKPT",
      description = ModelOption.DESCRIPTION)
  Path model;

  @Parameters(index = "0", paramLabel = "CLEAN", description = "Clean audio (WAV/FLAC).")
  Path clean;

  @Parameters(index = "1", paramLabel = "CORRUPTED", description = "Corrupted audio (WAV/FLAC).")
  Path corrupted;

  @Option(names = "--hooks", paramLabel = "GLOB",
      description = "Hook points, one row each (default blocks.*.hook_resid_pre; with --groups "
          + "blocks.*.mlp.hook_post; with --sae the SAE's HOOK.hook_sae_acts_post).")
  String hooks;

  @Option(names = "--sae", paramLabel = "DIR", description = "Splice this SAE in at its hook in "
      + "every run (error term kept) and patch its features (HOOK.hook_sae_acts_post; with "
      + "--groups, groups of features).")
  Path sae;

  @Option(names = "--groups", paramLabel = "N",
      description = "Sweep groups of N units (neurons) instead of token positions.")
  Integer groups;

  @Option(names = "--noise", description = "Noising (clean run, corrupted activations) instead "
      + "of denoising.")
  boolean noise;

  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "Folder for patch-sweep.csv and patch-sweep.png.")
  Path out;

  @Option(names = "--preset", paramLabel = "NAME",
      description = "Front-end preset, m2d-16k or m2d-32k (default: the model's).")
  String preset;

  @Override
  public Integer call() throws Exception {
    GradMode.disableOnCurrentThread();
    var config = io.anw.model.ModelConfig.fromCheckpointPath(model);
    if (preset != null) {
      config = config.withPreset(LogMelPreset.of(preset));
    }
    FilePatching.Options options = FilePatching.Options.defaults()
        .withDirection(noise ? PatchDirection.NOISE : PatchDirection.DENOISE).withHooks(hooks);
    if (groups != null) {
      options = options.withGroups(groups);
    }
    boolean m2d = ModelFiles.isM2d(model);
    if (!m2d && preset != null) {
      throw new io.anw.WorkbenchException("--preset is for M2D checkpoints; " + model
          + " brings its own front end");
    }
    try (AudioModel m = m2d ? ModelFiles.loadM2d(model, config) : ModelFiles.load(model);
        io.anw.sae.SparseAutoencoder spliced = sae == null ? null
            : io.anw.sae.SaeFiles.load(sae)) {
      options = options.withSae(spliced);
      SweepResult s = FilePatching.sweep(m, clean, corrupted, options, System.err::println);
      Files.createDirectories(out);
      Path csv = CsvFiles.write(s.table(), out.resolve("patch-sweep.csv"));
      Path png = Plots.savePng(s.heatmap(), out.resolve("patch-sweep.png"));
      System.out.printf("%s: clean %.4f, corrupted %.4f (similarity to the clean embedding)%n",
          s.title(), s.clean(), s.corrupted());
      // the cells that matter most: restore the most (denoise) or break the most (noise)
      Table t = noise ? s.table().sortAscendingOn("effect")
          : s.table().sortDescendingOn("effect");
      System.out.println(io.anw.report.TableText.render(t, io.anw.report.TableText.width(), 5));
      System.out.println("wrote " + csv + " and " + png);
      return 0;
    }
  }
}
