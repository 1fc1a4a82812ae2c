package io.anw.listen;

/**
 * Where a token of an audio ViT sits in its clip: the chunk (forward pass), the token index in
 * that chunk, a label ({@code CLS}, {@code f2.t7}, {@code w0}), the time span in seconds and the
 * mel-frequency band in Hz. The CLS token spans its chunk and the whole band; caption tokens
 * have no place in the audio (NaN spans).
 *
 * @param chunk chunk index from 0
 * @param token token index in the chunk (0 = CLS, then frequency-major patches)
 * @param label readable token name
 * @param startS start of the span (s from the clip's start)
 * @param endS end of the span (s), at most the clip's length
 * @param freqLoHz lower band edge (Hz)
 * @param freqHiHz upper band edge (Hz)
 */
public record TokenPlace(int chunk, int token, String label, double startS, double endS,
    double freqLoHz, double freqHiHz) {
  /** True for a token with a place in the audio (CLS or a patch, not a caption token). */
  public boolean inAudio() {
    return !Double.isNaN(startS);
  }

  /** The middle of the time span (s). */
  public double centreS() {
    return (startS + endS) / 2;
  }

  @Override
  public String toString() {
    if (!inAudio()) {
      return "chunk " + chunk + " " + label;
    }
    return String.format(java.util.Locale.ROOT, "chunk %d %s: %.2f-%.2f s, %.0f-%.0f Hz", chunk,
        label, startS, endS, freqLoHz, freqHiHz);
  }
}
