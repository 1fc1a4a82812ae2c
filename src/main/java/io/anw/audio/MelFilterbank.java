package io.anw.audio;

/**
 * Mel filterbanks with librosa's formulas ({@code librosa.filters.mel} with {@code htk=False,
 * norm='slaney'}): triangles on the Slaney mel scale (linear below 1 kHz, logarithmic above),
 * each scaled by {@code 2 / (f[i+2] - f[i])} so that its area is constant.
 */
public final class MelFilterbank {
  private static final double F_SP = 200.0 / 3;
  private static final double MIN_LOG_HZ = 1000.0;
  private static final double MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
  private static final double LOG_STEP = Math.log(6.4) / 27.0;

  private MelFilterbank() {}

  /** Hz to mels on the Slaney scale. */
  public static double hzToMel(double hz) {
    return hz >= MIN_LOG_HZ ? MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOG_STEP : hz / F_SP;
  }

  /** Mels to Hz on the Slaney scale. */
  public static double melToHz(double mel) {
    return mel >= MIN_LOG_MEL ? MIN_LOG_HZ * Math.exp(LOG_STEP * (mel - MIN_LOG_MEL)) : F_SP * mel;
  }

  /**
   * The filterbank as weights {@code [nMels][1 + nFft/2]} applied to a power spectrum.
   *
   * @param sampleRate Hz
   * @param nFft FFT size; bin {@code k} lies at {@code k * sampleRate / nFft} Hz
   * @param nMels number of bands
   * @param fmin lowest edge (Hz)
   * @param fmax highest edge (Hz)
   */
  public static double[][] slaney(int sampleRate, int nFft, int nMels, double fmin, double fmax) {
    int bins = 1 + nFft / 2;
    double[] fft = new double[bins];
    for (int k = 0; k < bins; k++) {
      fft[k] = k * (sampleRate / 2.0) / (bins - 1); // np.linspace(0, sr/2, bins)
    }
    double[] edges = new double[nMels + 2];
    double lo = hzToMel(fmin);
    double hi = hzToMel(fmax);
    for (int i = 0; i < edges.length; i++) {
      edges[i] = melToHz(lo + (hi - lo) * i / (edges.length - 1)); // np.linspace(lo, hi, n+2)
    }
    double[][] w = new double[nMels][bins];
    for (int m = 0; m < nMels; m++) {
      double enorm = 2.0 / (edges[m + 2] - edges[m]);
      for (int k = 0; k < bins; k++) {
        double lower = (fft[k] - edges[m]) / (edges[m + 1] - edges[m]);
        double upper = (edges[m + 2] - fft[k]) / (edges[m + 2] - edges[m + 1]);
        w[m][k] = Math.max(0, Math.min(lower, upper)) * enorm;
      }
    }
    return w;
  }
}
