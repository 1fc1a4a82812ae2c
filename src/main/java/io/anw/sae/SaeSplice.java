package io.anw.sae;

import ai.djl.ndarray.NDArray;
import io.anw.model.Hooks;
import io.anw.model.Splice;
import java.util.List;

/**
 * An SAE spliced in at its hook point, as SAELens's {@code HookedSAETransformer} does: the
 * point's activation is replaced by the reconstruction plus the error term, so the model's
 * outputs are unchanged (up to float rounding) until a hook edits the features. Sub-points,
 * each {@code [batch, tokens, ...]}:
 * <ul>
 *   <li>{@code POINT.hook_sae_input}: what the SAE reads ({@code d_in});
 *   <li>{@code POINT.hook_sae_acts_post}: feature activations ({@code d_sae}), the place to
 *       zero, patch or steer features;
 *   <li>{@code POINT.hook_sae_recons}: the reconstruction of the (possibly edited) features;
 *   <li>{@code POINT.hook_sae_error}: input − reconstruction of the <em>unedited</em> features;
 *   <li>{@code POINT.hook_sae_output}: reconstruction + error, what flows on.
 * </ul>
 */
public final class SaeSplice implements Splice {
  /** Suffix of the SAE input sub-point. */
  public static final String INPUT = ".hook_sae_input";
  /** Suffix of the feature activations sub-point. */
  public static final String ACTS = ".hook_sae_acts_post";
  /** Suffix of the reconstruction sub-point. */
  public static final String RECONS = ".hook_sae_recons";
  /** Suffix of the error-term sub-point. */
  public static final String ERROR = ".hook_sae_error";
  /** Suffix of the output sub-point. */
  public static final String OUTPUT = ".hook_sae_output";

  private final SparseAutoencoder sae;
  private final String point;

  private SaeSplice(SparseAutoencoder sae) {
    this.sae = sae;
    this.point = sae.hookName();
  }

  /** {@code sae} spliced in at its own hook point. */
  public static SaeSplice of(SparseAutoencoder sae) {
    return new SaeSplice(sae);
  }

  /** Hooks that splice {@code sae} in (add feature hooks with {@code .and(...)}). */
  public static Hooks hooks(SparseAutoencoder sae) {
    return Hooks.splicing(of(sae));
  }

  /**
   * The SAE's features as units to count, ablate and patch: one layer of {@code d_sae} units at
   * {@code HOOK.hook_sae_acts_post}, in the SAE's block, run with the SAE spliced in (error term
   * kept, so outputs are the model's until features are edited).
   */
  public static io.anw.model.UnitSpace units(SparseAutoencoder sae) {
    return io.anw.model.UnitSpace.at("feature", featurePoint(sae),
        Math.max(0, io.anw.model.HookNames.blockOf(sae.hookName())), sae.dSae(), hooks(sae));
  }

  /** The feature-activation hook point of an SAE, e.g. {@code blocks.3.mlp.hook_post.hook_sae_acts_post}. */
  public static String featurePoint(SparseAutoencoder sae) {
    return sae.hookName() + ACTS;
  }

  @Override
  public String point() {
    return point;
  }

  @Override
  public List<String> subPoints() {
    return List.of(point + INPUT, point + ACTS, point + RECONS, point + ERROR, point + OUTPUT);
  }

  @Override
  public NDArray apply(NDArray x, SubPoints points) {
    NDArray in = points.at(point + INPUT, x);
    NDArray clean = sae.encode(in);
    NDArray acts = points.at(point + ACTS, clean);
    NDArray recons = points.at(point + RECONS, sae.decode(acts));
    NDArray cleanRecons = acts == clean ? recons : sae.decode(clean);
    NDArray error = points.at(point + ERROR, in.sub(cleanRecons));
    return points.at(point + OUTPUT, recons.add(error));
  }

  @Override
  public String toString() {
    return "SaeSplice[" + sae + "]";
  }
}
