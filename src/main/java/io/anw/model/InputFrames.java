package io.anw.model;

/**
 * A recording's model input handed out block by block along its time axis, so that recordings
 * of any length reach the model in bounded memory: {@code [rows][k]} blocks, rows fixed by the
 * model (mel bins of a log-mel, or one row of waveform samples). Not thread-safe; close it to
 * release the file.
 */
public interface InputFrames extends AutoCloseable {
  /** The next at most {@code max} frames {@code [rows][k]}; null at the end. */
  float[][] next(int max);

  /** All frames of the recording. */
  int total();

  /** Frames handed out so far. */
  int done();

  /** Seconds of audio. */
  double seconds();

  /** Releases the file; never throws. */
  @Override
  void close();
}
