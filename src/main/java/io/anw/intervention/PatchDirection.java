package io.anw.intervention;

/**
 * Which run is patched from which, as in TransformerLens.
 *
 * <p>The normalised effect is {@code (patched - corrupted) / (clean - corrupted)} both ways:
 * denoising, 1 = the patch alone restores the clean behaviour (sufficient), 0 = no effect;
 * noising, 1 = no damage, 0 = the patch alone breaks it as the corrupted input does (necessary).
 */
public enum PatchDirection {
  /** Run the corrupted input, patch in activations cached from the clean one (sufficiency). */
  DENOISE,
  /** Run the clean input, patch in activations cached from the corrupted one (necessity). */
  NOISE;

  /** Lower-case name, as in tables. */
  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
