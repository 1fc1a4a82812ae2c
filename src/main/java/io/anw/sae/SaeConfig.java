package io.anw.sae;

import io.anw.WorkbenchException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What an SAE is, as its {@code cfg.json} says: architecture, sizes, the hook point it reads and
 * how it encodes.
 *
 * @param architecture how pre-activations become feature activations
 * @param dIn width of the hooked activation (e.g. 768 MLP neurons, or the residual width)
 * @param dSae number of features
 * @param hookName the hook point whose output the SAE reads, e.g. {@code blocks.3.mlp.hook_post}
 * @param k features kept per token ({@link SaeArchitecture#TOPK}; 0 otherwise)
 * @param applyBDecToInput whether {@code b_dec} is subtracted from the input before encoding
 * @param metadata provenance and anything else stored under {@code metadata} (strings, numbers)
 */
public record SaeConfig(SaeArchitecture architecture, int dIn, int dSae, String hookName, int k,
    boolean applyBDecToInput, Map<String, Object> metadata) {
  /** Checks sizes and the top-k count. */
  public SaeConfig {
    Objects.requireNonNull(architecture, "architecture");
    Objects.requireNonNull(hookName, "hookName");
    if (dIn <= 0 || dSae <= 0) {
      throw new WorkbenchException("SAE sizes must be positive: d_in " + dIn + ", d_sae " + dSae);
    }
    if (architecture == SaeArchitecture.TOPK && (k <= 0 || k > dSae)) {
      throw new WorkbenchException("a top-k SAE needs 1 <= k <= d_sae (" + dSae + "), not " + k);
    }
    if (architecture != SaeArchitecture.TOPK) {
      k = 0;
    }
    metadata = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(
        metadata == null ? Map.of() : metadata));
  }

  /** The same configuration with {@code metadata} added to (and overriding) the present one. */
  public SaeConfig withMetadata(Map<String, Object> more) {
    Map<String, Object> m = new LinkedHashMap<>(metadata);
    m.putAll(more);
    return new SaeConfig(architecture, dIn, dSae, hookName, k, applyBDecToInput, m);
  }

  /** Features per input unit ({@code d_sae / d_in}). */
  public double expansion() {
    return dSae / (double) dIn;
  }
}
