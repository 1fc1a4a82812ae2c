package io.anw.listen;

import io.anw.audio.KaldiFbank;
import io.anw.model.ChunkPlan;
import io.anw.model.HfAudioModel;
import io.anw.model.PatchGrid;
import java.util.Locale;

/**
 * The geometry of AST's tokens: CLS and distillation tokens (the whole chunk and band), then
 * patches {@code (f, t)} of the Kaldi fbank (10 ms frames of 25 ms at 16 kHz) covering frames
 * {@code [t · timeStride, t · timeStride + patchFrames)} and bins
 * {@code [f · freqStride, f · freqStride + patchBins)}, a band between the Kaldi-mel midpoints
 * of the outer bins and their neighbours. Patches overlap (16 wide, stride 10), so the grid a
 * picture is painted with gives each patch its stride cell (the last row and column reach to
 * the edge); the marked patch is outlined at its full extent. Chunk {@code c} starts at sample
 * {@code c · chunkSamples}.
 */
public final class AstGeometry implements TokenGeometry {
  private static final int SHIFT = 160;
  private static final int WINDOW = 400;
  private final int rate;
  private final int chunkSamples;
  private final int bins;
  private final PatchGrid grid;

  /** AST patches of {@code grid} over a {@code bins}-bin fbank, chunks of {@code chunkSamples}. */
  public AstGeometry(int rate, int chunkSamples, int bins, PatchGrid grid) {
    this.rate = rate;
    this.chunkSamples = chunkSamples;
    this.bins = bins;
    this.grid = grid;
  }

  /** The geometry of an AST model's tokens. */
  public static AstGeometry of(HfAudioModel model) {
    return new AstGeometry(model.sampleRate(), model.chunkSamples(), model.config().melBins(),
        model.patchGrid().orElseThrow());
  }

  @Override
  public TokenPlace place(int chunk, int token, int timePatches, double clipSeconds) {
    long chunkStart = (long) chunk * chunkSamples;
    if (token < 2) {
      return new TokenPlace(chunk, token, token == 0 ? "CLS" : "DIST",
          TokenGeometry.cut(chunkStart / (double) rate, clipSeconds),
          TokenGeometry.cut((chunkStart + chunkSamples) / (double) rate, clipSeconds),
          fminHz(), fmaxHz());
    }
    int p = token - 2;
    int f = p / grid.timePatches();
    int t = p % grid.timePatches();
    long first = chunkStart + (long) t * grid.timeStride() * SHIFT;
    long last = first + (long) (grid.patchFrames() - 1) * SHIFT + WINDOW;
    int b0 = f * grid.freqStride();
    return new TokenPlace(chunk, token, "f" + f + ".t" + t,
        TokenGeometry.cut(first / (double) rate, clipSeconds),
        TokenGeometry.cut(last / (double) rate, clipSeconds),
        melPointHz(b0 + 0.5), melPointHz(b0 + grid.patchBins() + 0.5));
  }

  /** The frequency of Kaldi mel point {@code k} (bin {@code b} is centred at point b + 1), cut to the axis. */
  private double melPointHz(double k) {
    double lo = KaldiFbank.mel(fminHz());
    double hi = KaldiFbank.mel(fmaxHz());
    double mel = lo + k * (hi - lo) / (bins + 1);
    return Math.max(fminHz(), Math.min(fmaxHz(), 700.0 * (Math.exp(mel / 1127.0) - 1.0)));
  }

  /** AST's own log fbank (not normalised). */
  @Override
  public float[][] picture(float[] samples) {
    return new KaldiFbank(rate, bins, KaldiFbank.Window.HANNING).compute(samples);
  }

  @Override
  public int sampleRate() {
    return rate;
  }

  @Override
  public double secondsPerFrame() {
    return SHIFT / (double) rate;
  }

  @Override
  public double fminHz() {
    return KaldiFbank.LOW_HZ;
  }

  @Override
  public double fmaxHz() {
    return rate / 2.0;
  }

  /** The position on Kaldi's mel scale between 20 Hz and Nyquist. */
  @Override
  public double axisPosition(double hz) {
    double lo = KaldiFbank.mel(fminHz());
    double hi = KaldiFbank.mel(fmaxHz());
    return (KaldiFbank.mel(Math.max(fminHz(), Math.min(hz, fmaxHz()))) - lo) / (hi - lo);
  }

  /** {frequency patches, time patches per chunk times chunks}. */
  @Override
  public int[] gridShape(int inputFrames) {
    int chunks = (int) ((inputFrames + (long) chunkSamples - 1) / chunkSamples);
    return new int[] {grid.freqPatches(), Math.max(1, chunks) * grid.timePatches()};
  }

  @Override
  public int[] cellOf(ChunkPlan.Chunk chunk, int token) {
    if (token < 2 || token >= 2 + grid.freqPatches() * grid.timePatches()) {
      return null;
    }
    int p = token - 2;
    return new int[] {p / grid.timePatches(),
        chunk.index() * grid.timePatches() + p % grid.timePatches()};
  }

  @Override
  public int[] cellAt(int bin, int frame) {
    long s = (long) frame * SHIFT;
    int c = (int) (s / chunkSamples);
    int j = (int) ((s - (long) c * chunkSamples) / SHIFT);
    int t = Math.min(j / grid.timeStride(), grid.timePatches() - 1);
    int f = Math.min(bin / grid.freqStride(), grid.freqPatches() - 1);
    return new int[] {f, c * grid.timePatches() + t};
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%d x %d patches of %d bins x %d frames, strides %d, %d",
        grid.freqPatches(), grid.timePatches(), grid.patchBins(), grid.patchFrames(),
        grid.freqStride(), grid.timeStride());
  }
}
