package io.anw.sae;

import io.anw.WorkbenchException;
import java.util.Locale;

/**
 * How an SAE turns its pre-activations {@code pre = (x − b_dec·[apply_b_dec_to_input]) W_enc +
 * b_enc} into feature activations, named as in SAELens's {@code cfg.json}.
 */
public enum SaeArchitecture {
  /** ReLU, trained with an L1 penalty: {@code relu(pre)}. SAELens: {@code standard}. */
  STANDARD("standard"),
  /** The k largest {@code pre} of each token kept and passed through ReLU, the rest 0. */
  TOPK("topk"),
  /**
   * {@code pre · [pre > threshold]}, one threshold per feature (also how a BatchTopK SAE is
   * saved: its batch-level top-k becomes a fixed threshold for inference).
   */
  JUMPRELU("jumprelu");

  private final String saeLensName;

  SaeArchitecture(String saeLensName) {
    this.saeLensName = saeLensName;
  }

  /** The name in SAELens's {@code cfg.json} ({@code standard}, {@code topk}, {@code jumprelu}). */
  public String saeLensName() {
    return saeLensName;
  }

  /** The architecture a {@code cfg.json} names; {@code relu} is read as {@code standard}. */
  public static SaeArchitecture of(String name) {
    String n = name.toLowerCase(Locale.ROOT).strip();
    if (n.equals("relu")) {
      return STANDARD;
    }
    for (SaeArchitecture a : values()) {
      if (a.saeLensName.equals(n)) {
        return a;
      }
    }
    throw new WorkbenchException("unknown SAE architecture '" + name
        + "' (standard, topk, jumprelu)");
  }
}
