package io.anw.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.anw.GradMode;
import io.anw.TorchArrays;
import io.anw.activation.DatasetInputs;
import io.anw.audio.AudioFiles;
import io.anw.intervention.PatchDirection;
import io.anw.intervention.PatchMetric;
import io.anw.intervention.PatchSweep;
import io.anw.intervention.SweepResult;
import io.anw.intervention.TokenLayout;
import io.anw.model.Hooks;
import io.anw.model.AudioModel;
import io.anw.sae.SaeSplice;
import io.anw.model.PartedInput;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Activation patching between two recordings: the model's front end makes both inputs (cropped
 * to the shorter when their lengths differ), the metric is the cosine similarity of the scene
 * embedding to the clean run's (1 = clean behaviour), and a sweep patches hook points × token
 * positions, or groups of units.
 */
public final class FilePatching {
  private FilePatching() {}

  /**
   * Settings of a sweep between two files.
   *
   * @param direction denoising (default: clean activations into the corrupted run) or noising
   * @param hooks hook points swept (null: {@code blocks.*.hook_resid_pre} for positions,
   *     {@code blocks.*.mlp.hook_post} for unit groups; with an SAE, its features
   *     {@code HOOK.hook_sae_acts_post})
   * @param groupSize units per group (0: sweep token positions instead; default)
   * @param maxRows patched variants run together in one pass (default 32)
   * @param sae an SAE spliced in at its hook in every run (error term kept), or null
   */
  public record Options(PatchDirection direction, String hooks, int groupSize, int maxRows,
      io.anw.sae.SparseAutoencoder sae) {
    /** Checks the values. */
    public Options {
      if (groupSize < 0) {
        throw new io.anw.WorkbenchException("--groups must be at least 1, got " + groupSize);
      }
      if (maxRows < 1) {
        throw new io.anw.WorkbenchException("rows per pass must be at least 1, got " + maxRows);
      }
    }

    /** Denoising over {@code blocks.*.hook_resid_pre} × positions, 32 variants per pass. */
    public static Options defaults() {
      return new Options(PatchDirection.DENOISE, null, 0, 32, null);
    }

    /** These options in another direction. */
    public Options withDirection(PatchDirection d) {
      return new Options(d, hooks, groupSize, maxRows, sae);
    }

    /** These options over other hook points. */
    public Options withHooks(String glob) {
      return new Options(direction, glob, groupSize, maxRows, sae);
    }

    /** These options sweeping groups of {@code n} units instead of positions. */
    public Options withGroups(int n) {
      if (n < 1) {
        throw new io.anw.WorkbenchException("--groups must be at least 1, got " + n);
      }
      return new Options(direction, hooks, n, maxRows, sae);
    }

    /** These options with {@code s} spliced in at its hook in every run (null: none). */
    public Options withSae(io.anw.sae.SparseAutoencoder s) {
      return new Options(direction, hooks, groupSize, maxRows, s);
    }

    /** The hook points swept: as given, or the default for the sweep's kind. */
    String glob() {
      if (hooks != null) {
        return hooks;
      }
      if (sae != null) {
        return io.anw.sae.SaeSplice.featurePoint(sae);
      }
      return groupSize == 0 ? "blocks.*.hook_resid_pre" : "blocks.*.mlp.hook_post";
    }
  }

  /** Sweeps between {@code clean} and {@code corrupted}; notes (a crop) go to {@code log}. */
  public static SweepResult sweep(AudioModel model, Path clean, Path corrupted, Options options,
      Consumer<String> log) {
    GradMode.disableOnCurrentThread();
    try (NDManager nd = NDManager.newBaseManager()) {
      NDArray x = input(model, clean, nd);
      NDArray y = input(model, corrupted, nd);
      long fx = x.getShape().get(1);
      long fy = y.getShape().get(1);
      if (fx != fy) {
        log.accept(String.format("note: cropped both to %d frames (clean %d, corrupted %d)",
            Math.min(fx, fy), fx, fy));
        NDArray[] both = TokenLayout.cropToShorter(x, y);
        x = both[0];
        y = both[1];
      }
      Hooks base = options.sae() == null ? Hooks.none() : SaeSplice.hooks(options.sae());
      float[] target;
      try (io.anw.model.ActivationCache o = model.run(PartedInput.audio(x), base)) {
        target = o.output().sceneEmbedding().toFloatArray();
      }
      PatchMetric metric = PatchMetric.similarityTo(target);
      return options.groupSize() == 0
          ? PatchSweep.positions(model, base, options.direction(), PartedInput.audio(x),
              PartedInput.audio(y), metric, options.glob(), options.maxRows())
          : PatchSweep.unitGroups(model, base, options.direction(), PartedInput.audio(x),
              PartedInput.audio(y), metric, options.glob(), options.groupSize(),
              options.maxRows());
    }
  }

  /** The model's normalised log-mel of a file, {@code [mel, frames]} in {@code nd}. */
  private static NDArray input(AudioModel model, Path file, NDManager nd) {
    try (DatasetInputs.Frames f = DatasetInputs.frames(model, AudioFiles.open(file))) {
      return TorchArrays.of(nd, f.next(f.total()));
    }
  }
}
