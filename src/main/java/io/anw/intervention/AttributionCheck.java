package io.anw.intervention;

import tech.tablesaw.api.Table;

/**
 * Attribution estimates next to real patching of the same units: the table of
 * {@link AttributionResult#top(int)} plus {@code patched} (real metric change) and
 * {@code patched_effect}.
 *
 * @param table one row per checked unit
 * @param estimated estimated metric changes, in table order
 * @param patched real metric changes, in table order
 */
public record AttributionCheck(Table table, double[] estimated, double[] patched) {

  /** Pearson correlation of estimated and real changes (NaN for fewer than 2 units). */
  public double correlation() {
    int n = estimated.length;
    if (n < 2) {
      return Double.NaN;
    }
    double ma = 0;
    double mb = 0;
    for (int i = 0; i < n; i++) {
      ma += estimated[i] / n;
      mb += patched[i] / n;
    }
    double sab = 0;
    double saa = 0;
    double sbb = 0;
    for (int i = 0; i < n; i++) {
      sab += (estimated[i] - ma) * (patched[i] - mb);
      saa += (estimated[i] - ma) * (estimated[i] - ma);
      sbb += (patched[i] - mb) * (patched[i] - mb);
    }
    return sab / Math.sqrt(saa * sbb);
  }

  /** Largest |estimated − real| change. */
  public double maxError() {
    double m = 0;
    for (int i = 0; i < estimated.length; i++) {
      m = Math.max(m, Math.abs(estimated[i] - patched[i]));
    }
    return m;
  }

  @Override
  public String toString() {
    return String.format("AttributionCheck[%d units, correlation %.4f, max error %.4g]",
        estimated.length, correlation(), maxError());
  }
}
