package io.anw.neuron;

import io.anw.WorkbenchException;

/**
 * Parameters of a class-specific neuron selection; all rates are fractions in [0, 1].
 *
 * @param method the recipe whose defaults these started from
 * @param filterRate quantile of all P below which a neuron counts as never active for a class
 * @param topRate fraction of all L·J neurons kept (those with the lowest entropy)
 * @param activationBar quantile of all P a kept neuron must exceed for a class to be assigned
 */
public record SelectionParams(SelectionMethod method, double filterRate, double topRate,
    double activationBar) {
  /** Validates the rates. */
  public SelectionParams {
    check("filter-rate", filterRate);
    check("top-rate", topRate);
    check("activation-bar", activationBar);
  }

  private static void check(String name, double v) {
    if (!(v >= 0 && v <= 1)) {
      throw new WorkbenchException("--" + name + " must be in [0, 1], got " + v);
    }
  }

  /** These parameters with another filter rate. */
  public SelectionParams withFilterRate(double r) {
    return new SelectionParams(method, r, topRate, activationBar);
  }

  /** These parameters with another top rate. */
  public SelectionParams withTopRate(double r) {
    return new SelectionParams(method, filterRate, r, activationBar);
  }

  /** These parameters with another activation bar. */
  public SelectionParams withActivationBar(double r) {
    return new SelectionParams(method, filterRate, topRate, r);
  }

  @Override
  public String toString() {
    return method.name().toLowerCase() + " (filter " + filterRate + ", top " + topRate
        + ", bar " + activationBar + ")";
  }
}
