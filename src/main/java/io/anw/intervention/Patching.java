package io.anw.intervention;

import ai.djl.ndarray.NDArray;
import io.anw.GradMode;
import io.anw.WorkbenchException;
import io.anw.model.ActivationCache;
import io.anw.model.Hooks;
import io.anw.model.Model;
import io.anw.model.PartedInput;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Activation patching with TransformerLens semantics: run one input, replace activations at
 * the {@link PatchTarget targets} with those cached from the other input's run, and measure a
 * {@link PatchMetric}. Denoising (corrupted run, clean activations) tests sufficiency, noising
 * (clean run, corrupted activations) necessity; see {@link PatchDirection} for the normalised
 * effect.
 *
 * <p>Inputs are normalised log-mels ({@code [mel, frames]} or batches of B examples, metrics
 * averaged over the batch) of the same shape; see {@link TokenLayout} to crop or pad.
 */
public final class Patching {
  private Patching() {}

  /** Denoising: the corrupted run with the targets' activations from the clean run. */
  public static PatchResult denoise(Model model, NDArray clean, NDArray corrupted,
      PatchMetric metric, PatchTarget... targets) {
    return run(model, PatchDirection.DENOISE, PartedInput.audio(clean),
        PartedInput.audio(corrupted), metric, List.of(targets));
  }

  /** Noising: the clean run with the targets' activations from the corrupted run. */
  public static PatchResult noise(Model model, NDArray clean, NDArray corrupted,
      PatchMetric metric, PatchTarget... targets) {
    return run(model, PatchDirection.NOISE, PartedInput.audio(clean),
        PartedInput.audio(corrupted), metric, List.of(targets));
  }

  /**
   * One patching experiment on inputs of any parts.
   *
   * @param targets patched together in one run (e.g. a neuron set across layers)
   * @throws WorkbenchException when the inputs differ in layout or a target matches nothing
   */
  public static PatchResult run(Model model, PatchDirection direction, PartedInput clean,
      PartedInput corrupted, PatchMetric metric, List<PatchTarget> targets) {
    if (targets.isEmpty()) {
      throw new WorkbenchException("nothing to patch: give at least one target");
    }
    GradMode.disableOnCurrentThread();
    TokenLayout.requireSame(clean, corrupted);
    List<List<PatchTarget>> variants = List.of(List.copyOf(targets));
    String[] names = PatchRuns.patterns(variants);
    try (ActivationCache c = model.run(clean, Hooks.none(), names);
        ActivationCache k = model.run(corrupted, Hooks.none(), names)) {
      double cleanMetric = metric.value(c.output());
      double corruptedMetric = metric.value(k.output());
      boolean denoise = direction == PatchDirection.DENOISE;
      double patched = PatchRuns.metrics(model, denoise ? corrupted : clean, denoise ? c : k,
          metric, variants, PatchRuns.DEFAULT_MAX_ROWS)[0];
      String what = targets.stream().map(PatchTarget::toString)
          .collect(Collectors.joining(" + "));
      return new PatchResult(direction, what, cleanMetric, corruptedMetric, patched);
    }
  }
}
