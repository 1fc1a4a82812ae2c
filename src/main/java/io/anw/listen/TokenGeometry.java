package io.anw.listen;

import io.anw.model.AudioModel;
import io.anw.model.ChunkPlan;
import io.anw.model.HfAudioConfig;
import io.anw.model.HfAudioModel;
import io.anw.model.M2dViT;

/**
 * Where a model's tokens sit in a clip, and the picture they are drawn on: each token's time
 * span and frequency band ({@link #place}), a time–frequency picture of the audio
 * ({@link #picture}, the model's own front end where it has one), and the tiling of that
 * picture by tokens ({@link #cellOf}, {@link #cellAt}) that activation maps are painted on.
 * One implementation per token layout: M2D's patch grid ({@link PatchGeometry}), frames along
 * time (wav2vec 2.0, HuBERT, Whisper: {@link FrameGeometry}), AST's overlapping patches
 * ({@link AstGeometry}).
 *
 * <p>Grids are {@code [rows][columns]}: row 0 the lowest band, columns the tokens' time steps
 * over all chunks of a clip in order. Picture coordinates are {@code (bin, frame)} of
 * {@link #picture}, frame 0 at the start of the audio given (a clip, or a window that starts
 * at a chunk boundary).
 */
public interface TokenGeometry {

  /** The geometry of {@code model}'s tokens. */
  static TokenGeometry of(AudioModel model) {
    if (model instanceof M2dViT m) {
      return PatchGeometry.of(m);
    }
    if (model instanceof HfAudioModel h) {
      return h.config().family() == HfAudioConfig.Family.AST ? AstGeometry.of(h)
          : FrameGeometry.of(h);
    }
    throw new io.anw.WorkbenchException(model.name() + ": no token geometry for "
        + model.getClass().getSimpleName());
  }

  /**
   * The place of {@code token} of chunk {@code chunk} (a chunk of {@code timePatches} time
   * patches, as the hook saw it) in a clip of {@code clipSeconds} s; spans are cut at the end.
   */
  TokenPlace place(int chunk, int token, int timePatches, double clipSeconds);

  /**
   * The picture the activations are drawn on: a log-mel (or log fbank) of {@code samples} at
   * {@link #sampleRate()}, {@code [bins][frames]}, bin 0 the lowest (any scale).
   */
  float[][] picture(float[] samples);

  /** Samples per second of the audio the geometry places tokens in. */
  int sampleRate();

  /** Seconds between the picture's frames. */
  double secondsPerFrame();

  /** The lowest frequency of the picture's axis (Hz). */
  double fminHz();

  /** The highest frequency of the picture's axis (Hz). */
  double fmaxHz();

  /** Where {@code hz} lies on the picture's frequency axis: 0 at {@link #fminHz}, 1 at the top. */
  double axisPosition(double hz);

  /** The activation grid of a clip whose model input has {@code inputFrames} frames: {rows, columns}. */
  int[] gridShape(int inputFrames);

  /**
   * The grid cell {@code {row, column}} of {@code token} of {@code chunk}, or null for a token
   * without a tile (CLS, distillation, caption words).
   */
  int[] cellOf(ChunkPlan.Chunk chunk, int token);

  /** The grid cell {@code {row, column}} drawn at picture bin {@code bin}, frame {@code frame}. */
  int[] cellAt(int bin, int frame);

  /** Whether {@code place} is a token that spans its whole chunk (CLS, distillation): not outlined. */
  default boolean summarises(TokenPlace place) {
    return place.label().equals("CLS") || place.label().equals("DIST");
  }

  /** Cuts {@code s} seconds to {@code [0, clipSeconds]}. */
  static double cut(double s, double clipSeconds) {
    return Math.max(0, Math.min(clipSeconds, s));
  }
}
