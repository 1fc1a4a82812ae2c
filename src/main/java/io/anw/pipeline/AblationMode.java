package io.anw.pipeline;

import io.anw.WorkbenchException;
import java.util.Locale;

/** What a deactivated neuron becomes. */
public enum AblationMode {
  /** Zero (its GELU output set to 0). */
  ZERO,
  /** Its mean activation over every token of the train split. */
  MEAN;

  /** {@code zero} or {@code mean}. */
  public static AblationMode parse(String s) {
    try {
      return valueOf(s.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new WorkbenchException("ablation mode must be zero or mean, got '" + s + "'");
    }
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
