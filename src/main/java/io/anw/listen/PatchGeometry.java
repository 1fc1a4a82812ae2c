package io.anw.listen;

import io.anw.audio.LogMelPreset;
import io.anw.audio.MelFilterbank;
import io.anw.model.M2dViT;
import io.anw.model.VitDims;

/**
 * The time–frequency geometry of an audio ViT's tokens. Log-mel frame {@code i} is centred at
 * {@code i · hop / rate} s ({@code center=True}), so a patch of frames {@code [a, b)} spans
 * {@code [a · hop / rate, b · hop / rate)} s, cut at the clip's end (padding frames hold no
 * audio). Chunk {@code c} starts at frame {@code c · unitFrames}. A patch of mel bins
 * {@code [m, m + patchFreq)} covers the band between the Slaney-mel midpoints of its outer
 * bins' neighbours, so the patches tile {@code [fmin, fmax]} without gaps or overlap. The
 * picture is the model's log-mel; grid cell {@code (f, s)} is frequency patch {@code f} at time
 * step {@code s} of the clip (time patches of all chunks in order).
 */
public final class PatchGeometry implements TokenGeometry {
  private final VitDims dims;
  private final LogMelPreset preset;
  private final double[] bandEdges; // freqPatches + 1 edges in Hz

  /** The geometry of {@code dims} tokens over log-mels of {@code preset}. */
  public PatchGeometry(VitDims dims, LogMelPreset preset) {
    this.dims = dims;
    this.preset = preset;
    int fp = dims.freqPatches();
    bandEdges = new double[fp + 1];
    double lo = MelFilterbank.hzToMel(preset.fmin());
    double hi = MelFilterbank.hzToMel(preset.fmax());
    double step = (hi - lo) / (preset.nMels() + 1); // mel points 0 .. nMels + 1; bin k centred at k+1
    for (int f = 0; f <= fp; f++) {
      if (f == 0) {
        bandEdges[f] = preset.fmin();
      } else if (f == fp) {
        bandEdges[f] = preset.fmax();
      } else {
        // between the centres of bin f·pf − 1 and bin f·pf: mel point f·pf + 0.5
        bandEdges[f] = MelFilterbank.melToHz(lo + step * (f * dims.patchFreq() + 0.5));
      }
    }
  }

  /** The geometry of {@code model}'s tokens. */
  public static PatchGeometry of(M2dViT model) {
    return new PatchGeometry(model.dims(), model.preset());
  }

  /** Seconds between log-mel frames ({@code hop / rate}). */
  @Override
  public double secondsPerFrame() {
    return preset.hop() / (double) preset.sampleRate();
  }

  /** The band of frequency patch {@code f}: {@code [lo, hi]} in Hz. */
  public double[] band(int f) {
    return new double[] {bandEdges[f], bandEdges[f + 1]};
  }

  /** Frequency patches per time step. */
  public int freqPatches() {
    return dims.freqPatches();
  }

  /** Frames per patch along time. */
  public int patchFrames() {
    return dims.patchTime();
  }

  /** Frames per chunk. */
  public int unitFrames() {
    return dims.unitFrames();
  }

  /** The model's log-mel (not normalised). */
  @Override
  public float[][] picture(float[] samples) {
    return new io.anw.audio.LogMel(preset).compute(samples);
  }

  @Override
  public int sampleRate() {
    return preset.sampleRate();
  }

  @Override
  public double fminHz() {
    return preset.fmin();
  }

  @Override
  public double fmaxHz() {
    return preset.fmax();
  }

  /** The position on the Slaney mel scale between fmin and fmax. */
  @Override
  public double axisPosition(double hz) {
    double lo = MelFilterbank.hzToMel(preset.fmin());
    double hi = MelFilterbank.hzToMel(preset.fmax());
    double h = Math.max(preset.fmin(), Math.min(hz, preset.fmax()));
    return (MelFilterbank.hzToMel(h) - lo) / (hi - lo);
  }

  /** {frequency patches, time steps of all chunks}. */
  @Override
  public int[] gridShape(int inputFrames) {
    return new int[] {dims.freqPatches(),
        io.anw.model.ChunkPlan.of(inputFrames, dims.unitFrames(), dims.patchTime()).timeSteps()};
  }

  @Override
  public int[] cellOf(io.anw.model.ChunkPlan.Chunk chunk, int token) {
    int tp = chunk.timePatches();
    if (token < 1 || token > dims.freqPatches() * tp) {
      return null;
    }
    return new int[] {(token - 1) / tp, chunk.start() / dims.patchTime() + (token - 1) % tp};
  }

  @Override
  public int[] cellAt(int bin, int frame) {
    return new int[] {bin / dims.patchFreq(), frame / dims.patchTime()};
  }

  /** The log-mel front end's settings. */
  public LogMelPreset preset() {
    return preset;
  }

  /**
   * The place of {@code token} of chunk {@code chunk}, a chunk of {@code timePatches} time
   * patches, in a clip of {@code clipSeconds} s.
   */
  @Override
  public TokenPlace place(int chunk, int token, int timePatches, double clipSeconds) {
    int patches = dims.freqPatches() * timePatches;
    int chunkStart = chunk * dims.unitFrames();
    double spf = secondsPerFrame();
    if (token == 0) {
      double start = Math.min(clipSeconds, chunkStart * spf);
      double end = Math.min(clipSeconds, (chunkStart + timePatches * dims.patchTime()) * spf);
      return new TokenPlace(chunk, 0, "CLS", start, end, preset.fmin(), preset.fmax());
    }
    if (token > patches) {
      return new TokenPlace(chunk, token, "w" + (token - 1 - patches), Double.NaN, Double.NaN,
          Double.NaN, Double.NaN);
    }
    int f = (token - 1) / timePatches;
    int t = (token - 1) % timePatches;
    int a = chunkStart + t * dims.patchTime();
    double start = Math.min(clipSeconds, a * spf);
    double end = Math.min(clipSeconds, (a + dims.patchTime()) * spf);
    return new TokenPlace(chunk, token, "f" + f + ".t" + t, start, end, bandEdges[f],
        bandEdges[f + 1]);
  }
}
