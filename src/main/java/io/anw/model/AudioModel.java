package io.anw.model;

import io.anw.audio.AudioStream;
import io.anw.audio.Clip;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link Model} loaded from files that reads audio through a front end of its own: M2D's
 * normalised log-mel ({@link M2dViT}), or a wav2vec 2.0 / HuBERT waveform, Whisper log-mel or AST
 * fbank ({@link HfAudioModel}). Every experiment (counts, probes, deactivation, patching, SAE
 * statistics) runs on this type, so each works alike on every family; what the front end was and
 * which tokens were read go into the results' provenance.
 *
 * <p>An input is {@code [rows, frames]} per clip (the batch stacks clips of equal frames):
 * {@code [mel, frames]} for M2D, {@code [1, samples]} at 16 kHz for the Hugging Face families,
 * whose front end runs inside the model.
 */
public interface AudioModel extends Model {

  /** The checkpoint file or folder the model was loaded from, if any. */
  Optional<Path> source();

  /** SHA-256 (hex) of the weights: names, shapes and float32 bytes in name order. */
  String weightsSha256();

  /** The text pathway of an audio-text model; empty for audio-only ones. */
  default Optional<TextPathway> textPathway() {
    return Optional.empty();
  }

  /** What loading set aside or assumed, one line each. */
  List<String> notes();

  /** Samples per second the front end reads; clips are resampled to it. */
  int sampleRate();

  /** Input frames of a clip of {@code samples} samples at {@link #sampleRate()}. */
  int inputFrames(long samples);

  /**
   * Frames of the segments a recording too long to hold is counted in (a whole number of the
   * model's chunks); {@link Integer#MAX_VALUE} when the model reads whole recordings.
   */
  int segmentFrames();

  /** The model's input of a clip, {@code [rows][frames]}. Thread-safe. */
  float[][] input(Clip clip);

  /** The model's input of a stream, block by block (see {@link InputFrames}). */
  InputFrames frames(AudioStream in);

  /**
   * The front end as recorded in provenance: {@code preset} (e.g. {@code m2d-16k},
   * {@code whisper-log-mel-80}) and {@code norm_stats} (the normalisation, e.g.
   * {@code mean,std}).
   */
  Map<String, String> frontEndProvenance();

  /**
   * The tokens counted when nothing is said: {@link TokenGroup#ALL} for models whose tokens all
   * cover audio; {@link TokenGroup#AUDIO} for models that pad their input (Whisper pads to 30 s,
   * AST to its input length), so padding is left out unless asked for.
   */
  default TokenGroup defaultTokens() {
    return TokenGroup.ALL;
  }
}
