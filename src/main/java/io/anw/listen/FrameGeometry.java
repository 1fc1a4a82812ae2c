package io.anw.listen;

import io.anw.audio.LogMel;
import io.anw.audio.LogMelPreset;
import io.anw.audio.MelFilterbank;
import io.anw.audio.WhisperLogMel;
import io.anw.model.ChunkPlan;
import io.anw.model.HfAudioConfig;
import io.anw.model.HfAudioModel;
import java.util.Locale;

/**
 * The geometry of models whose tokens are frames along time, each over the whole band:
 * wav2vec 2.0 and HuBERT (frame {@code t} of a chunk sees samples {@code [hop · t, hop · t +
 * span)}, 320 and 400 at 16 kHz), and Whisper's encoder (token {@code t} is 20 ms from
 * {@code 20 t} ms; its convolutions also see 10 ms either side). Chunk {@code c} starts at
 * sample {@code c · chunkSamples}. The picture is Whisper's own log-mel for Whisper, an 80-bin
 * log-mel ({@code m2d-16k}) for the waveform models (they read no spectrogram); grid cell
 * {@code (0, s)} is the token {@code s} hops from the clip's start, drawn over its hop.
 */
public final class FrameGeometry implements TokenGeometry {
  private final int rate;
  private final int chunkSamples;
  private final int hop;
  private final int span;
  private final LogMelPreset picturePreset;
  private final WhisperLogMel whisper; // Whisper's front end as the picture, else null

  /**
   * Frames of {@code hop} samples seeing {@code span} samples each, in chunks of
   * {@code chunkSamples} at {@code rate} Hz, drawn on {@code whisper}'s log-mel if given, else
   * on the log-mel of {@code picture}.
   */
  public FrameGeometry(int rate, int chunkSamples, int hop, int span, LogMelPreset picture,
      WhisperLogMel whisper) {
    if (hop < 1 || span < 1 || chunkSamples < hop) {
      throw new io.anw.WorkbenchException("frame geometry: hop " + hop + ", span " + span
          + ", chunk " + chunkSamples + " samples");
    }
    this.rate = rate;
    this.chunkSamples = chunkSamples;
    this.hop = hop;
    this.span = span;
    this.picturePreset = whisper == null ? picture : WhisperLogMel.preset(whisper.nMels());
    this.whisper = whisper;
  }

  /** The geometry of a wav2vec 2.0, HuBERT or Whisper model's tokens. */
  public static FrameGeometry of(HfAudioModel model) {
    boolean isWhisper = model.config().family() == HfAudioConfig.Family.WHISPER;
    return new FrameGeometry(model.sampleRate(), model.chunkSamples(), model.tokenHop(),
        model.tokenSamples(), LogMelPreset.M2D_16K,
        isWhisper ? new WhisperLogMel(model.config().melBins()) : null);
  }

  @Override
  public TokenPlace place(int chunk, int token, int timePatches, double clipSeconds) {
    long first = (long) chunk * chunkSamples + (long) hop * token;
    double start = TokenGeometry.cut(first / (double) rate, clipSeconds);
    double end = TokenGeometry.cut((first + span) / (double) rate, clipSeconds);
    return new TokenPlace(chunk, token, "t" + token, start, end, fminHz(), fmaxHz());
  }

  @Override
  public float[][] picture(float[] samples) {
    return whisper != null ? whisper.compute(samples) : new LogMel(picturePreset).compute(samples);
  }

  @Override
  public int sampleRate() {
    return rate;
  }

  @Override
  public double secondsPerFrame() {
    return picturePreset.hop() / (double) rate;
  }

  @Override
  public double fminHz() {
    return picturePreset.fmin();
  }

  @Override
  public double fmaxHz() {
    return picturePreset.fmax();
  }

  @Override
  public double axisPosition(double hz) {
    double lo = MelFilterbank.hzToMel(fminHz());
    double hi = MelFilterbank.hzToMel(fmaxHz());
    return (MelFilterbank.hzToMel(Math.max(fminHz(), Math.min(hz, fmaxHz()))) - lo) / (hi - lo);
  }

  /** One row; a column per hop of the input and one more. */
  @Override
  public int[] gridShape(int inputFrames) {
    return new int[] {1, inputFrames / hop + 2};
  }

  @Override
  public int[] cellOf(ChunkPlan.Chunk chunk, int token) {
    return new int[] {0, (int) (((long) chunk.index() * chunkSamples) / hop) + token};
  }

  @Override
  public int[] cellAt(int bin, int frame) {
    return new int[] {0, (int) ((long) frame * picturePreset.hop() / hop)};
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "frames of %.0f ms every %.0f ms", span * 1000.0 / rate,
        hop * 1000.0 / rate);
  }
}
