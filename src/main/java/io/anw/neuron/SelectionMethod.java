package io.anw.neuron;

/**
 * The two published recipes for class-specific neurons, with their default rates.
 *
 * <ul>
 *   <li>{@link #LAPE}: Tang et al. 2024 — filter 0.95, top 0.01, bar 0.95.
 *   <li>{@link #AAPE}: Kawamura et al. 2026 — filter 0.05 (drop only the rarely active), top
 *       0.01, bar 0.95.
 * </ul>
 */
public enum SelectionMethod {
  /** Language activation probability entropy (Tang et al. 2024). */
  LAPE(0.95, 0.01, 0.95),
  /** Audio activation probability entropy (Kawamura et al. 2026). */
  AAPE(0.05, 0.01, 0.95);

  private final double filterRate;
  private final double topRate;
  private final double activationBar;

  SelectionMethod(double filterRate, double topRate, double activationBar) {
    this.filterRate = filterRate;
    this.topRate = topRate;
    this.activationBar = activationBar;
  }

  /** The default parameters of this method. */
  public SelectionParams defaults() {
    return new SelectionParams(this, filterRate, topRate, activationBar);
  }

  /** Parses {@code lape} or {@code aape} (any case). */
  public static SelectionMethod parse(String name) {
    for (SelectionMethod m : values()) {
      if (m.name().equalsIgnoreCase(name.strip())) {
        return m;
      }
    }
    throw new io.anw.WorkbenchException("unknown selection method '" + name + "' (lape or aape)");
  }
}
