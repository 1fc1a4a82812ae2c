package io.anw.listen;

import io.anw.audio.AudioStream;
import io.anw.audio.Clip;
import io.anw.audio.Dataset;
import io.anw.audio.LogMel;
import io.anw.audio.LogMelPreset;
import io.anw.model.AudioModel;
import io.anw.model.HfAudioModel;
import io.anw.model.M2dViT;

/**
 * The stretch of a recording an entry is seen and heard in: the whole clip when it is short,
 * else whole chunks around the entry's chunk (M2D: about {@link OverlayPicture#MAX_SECONDS};
 * the Hugging Face families, whose chunks are 10 s or more: the entry's chunk, and its
 * neighbours only where the excerpts reach into them). The window starts at a chunk
 * boundary and its model input is the recording's own (M2D: log-mel frames computed with a
 * margin of real samples on both sides, decoded from the stream without holding the rest of
 * the file; a waveform model: its slice of the recording's prepared input), so the model's
 * chunks, and so the activations, are the recording's own.
 *
 * @param audio the window's samples at the model's rate
 * @param offsetS where the window starts in the recording (s)
 * @param firstChunk the recording's chunk the window starts with
 * @param picture the window's picture {@code [bins][frames]} ({@link TokenGeometry#picture};
 *     M2D: its log-mel, not normalised)
 * @param input the window's model input {@code [rows][frames]}
 * @param whole whether the window is the whole recording
 */
public record ClipWindow(Clip audio, double offsetS, int firstChunk, float[][] picture,
    float[][] input, boolean whole) {
  /** Recordings up to this long are shown whole (s). */
  public static final double WHOLE_S = 2 * OverlayPicture.MAX_SECONDS;

  /** {@code place} in the window's time (its times minus {@link #offsetS}). */
  public TokenPlace local(TokenPlace place) {
    if (!place.inAudio() || offsetS == 0) {
      return place;
    }
    return new TokenPlace(place.chunk() - firstChunk, place.token(), place.label(),
        place.startS() - offsetS, place.endS() - offsetS, place.freqLoHz(), place.freqHiHz());
  }

  /** The window of {@code item} around chunk {@code chunk}. */
  public static ClipWindow around(AudioModel model, Dataset data, Dataset.Item item, int chunk) {
    return around(model, data, item, chunk, Double.NaN, Double.NaN);
  }

  /**
   * The window of {@code item} around chunk {@code chunk} that also holds the recording's
   * seconds {@code [fromS, toS)} (e.g. the excerpts of the entries shown in it; NaN: only the
   * chunk's own). M2D's windows hold about five seconds either side of the chunk anyway.
   */
  public static ClipWindow around(AudioModel model, Dataset data, Dataset.Item item, int chunk,
      double fromS, double toS) {
    if (model instanceof M2dViT m) {
      return around(m, data, item, chunk);
    }
    if (model instanceof HfAudioModel h) {
      return around(h, data, item, chunk, fromS, toS);
    }
    throw new io.anw.WorkbenchException(model.name() + ": no listening windows for "
        + model.getClass().getSimpleName());
  }

  private static ClipWindow around(HfAudioModel model, Dataset data, Dataset.Item item,
      int chunk, double fromS, double toS) {
    TokenGeometry geo = TokenGeometry.of(model);
    int rate = model.sampleRate();
    long samples = data.samplesOf(item) * rate / Math.max(1, data.options().sampleRate());
    if (samples <= WHOLE_S * rate) {
      try (AudioStream in = data.openAudio(item, rate)) {
        Clip clip = in.readClip();
        return new ClipWindow(clip, 0, 0, geo.picture(clip.samples()), model.input(clip), true);
      }
    }
    float[] prepared;
    try (io.anw.activation.DatasetInputs.Frames f =
        io.anw.activation.DatasetInputs.frames(model, data, item)) {
      prepared = f.next(f.total())[0];
    }
    long cs = model.chunkSamples();
    int c0 = chunk;
    int c1 = chunk;
    if (fromS < toS) { // whole chunks that hold [fromS, toS) too
      c0 = (int) Math.max(0, Math.min(chunk, Math.floor(fromS * rate / cs)));
      c1 = (int) Math.max(chunk, Math.floor(Math.max(0, toS * rate - 1) / cs));
    }
    long s0 = Math.min(c0 * cs, prepared.length);
    long s1 = Math.min((c1 + 1) * cs, prepared.length);
    float[] audio;
    try (AudioStream in = data.openAudio(item, rate)) {
      skip(in, s0);
      audio = read(in, s1 - s0);
    }
    float[] input = java.util.Arrays.copyOfRange(prepared, (int) s0, (int) s1);
    return new ClipWindow(new Clip(audio, rate, item.label(), item.file(), item.metadata()),
        s0 / (double) rate, c0, geo.picture(audio), new float[][] {input}, false);
  }

  private static ClipWindow around(M2dViT model, Dataset data, Dataset.Item item, int chunk) {
    LogMelPreset p = model.preset();
    LogMel front = new LogMel(p);
    int rate = p.sampleRate();
    long samples = data.samplesOf(item) * rate / Math.max(1, data.options().sampleRate());
    if (samples <= WHOLE_S * rate) {
      try (AudioStream in = data.openAudio(item, rate)) {
        Clip clip = in.readClip();
        float[][] logMel = front.compute(clip);
        return new ClipWindow(clip, 0, 0, logMel, normalised(model, logMel), true);
      }
    }
    int unit = model.dims().unitFrames();
    double chunkS = unit * p.hop() / (double) rate;
    int k = (int) Math.ceil(OverlayPicture.MAX_SECONDS / 2 / chunkS);
    int c0 = Math.max(0, chunk - k);
    int c1 = chunk + k;
    int margin = p.nFft() / (2 * p.hop()) + 2; // frames whose windows reach past the cut
    long startFrame = (long) c0 * unit;
    long endFrame = (long) (c1 + 1) * unit;
    long s0 = Math.max(0, (startFrame - margin) * p.hop());
    long s1 = (endFrame + margin) * p.hop();
    float[] crop;
    try (AudioStream in = data.openAudio(item, rate)) {
      skip(in, s0);
      crop = read(in, s1 - s0);
    }
    float[][] all = front.compute(crop);
    int from = (int) (startFrame - s0 / p.hop());
    // frames past the recording's end are not in the crop; frames past the window are cut
    int to = (int) Math.min(all[0].length, endFrame - s0 / p.hop());
    float[][] logMel = new float[all.length][];
    for (int m = 0; m < all.length; m++) {
      logMel[m] = java.util.Arrays.copyOfRange(all[m], from, to);
    }
    int first = (int) (startFrame * p.hop());
    long last = Math.min(s0 + crop.length, s0 + (long) to * p.hop());
    float[] audio = java.util.Arrays.copyOfRange(crop, (int) (first - s0), (int) (last - s0));
    return new ClipWindow(new Clip(audio, rate, item.label(), item.file(), item.metadata()),
        first / (double) rate, c0, logMel, normalised(model, logMel), false);
  }

  private static float[][] normalised(M2dViT model, float[][] logMel) {
    float[][] copy = new float[logMel.length][];
    for (int m = 0; m < logMel.length; m++) {
      copy[m] = logMel[m].clone();
    }
    return LogMel.normalise(copy, model.normStats().mean(), model.normStats().std());
  }

  private static void skip(AudioStream in, long n) {
    float[] scratch = new float[8192];
    long left = n;
    while (left > 0) {
      int got = in.read(scratch, 0, (int) Math.min(scratch.length, left));
      if (got <= 0) {
        return;
      }
      left -= got;
    }
  }

  private static float[] read(AudioStream in, long n) {
    float[] out = new float[(int) n];
    int at = 0;
    while (at < out.length) {
      int got = in.read(out, at, out.length - at);
      if (got <= 0) {
        break;
      }
      at += got;
    }
    return at == out.length ? out : java.util.Arrays.copyOf(out, at);
  }
}
