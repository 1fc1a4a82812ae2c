package io.anw.model;

import io.anw.WorkbenchException;
import java.util.Locale;

/**
 * Which tokens of a chunk a statistic reads: {@link #ALL}, the {@link #CLS} token, AST's
 * {@link #DIST distillation} token, the {@link #AUDIO} tokens (M2D's patches, the frames of
 * wav2vec 2.0 / HuBERT, Whisper's frames that cover audio, AST's patches that cover audio) or
 * the {@link #TEXT} caption tokens of an audio-text model. An M2D chunk's tokens are
 * {@code [CLS, patches (frequency-major), text]}; see {@link Model#tokenPositions}. A neuron measured over one group is a neuron <em>at</em> those
 * positions: in a two-pathway model the few caption tokens would otherwise be outweighed by the
 * many audio patches.
 */
public enum TokenGroup {
  /** Every token (the method's default). */
  ALL,
  /** The CLS token (index 0). */
  CLS,
  /** AST's distillation token (index 1). */
  DIST,
  /** The audio patch tokens. */
  AUDIO,
  /** The caption tokens (audio-text models). */
  TEXT;

  /** Parses {@code all}, {@code cls}, {@code dist}, {@code audio} or {@code text} (any case). */
  public static TokenGroup parse(String name) {
    for (TokenGroup g : values()) {
      if (g.name().equalsIgnoreCase(name.strip())) {
        return g;
      }
    }
    throw new WorkbenchException("tokens must be all, cls, dist, audio or text; got '" + name + "'");
  }

  /** The lower-case name, as written in provenance and on the command line. */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
