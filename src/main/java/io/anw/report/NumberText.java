package io.anw.report;

import java.util.Locale;

/**
 * The workbench's one rule for numbers that people read (printed tables, summary lines, HTML
 * tables): a few digits chosen by what the number is, and values within rounding of zero shown
 * as {@code 0} (no {@code 0.8000000000000002}, no {@code 1.139e-16}). Files (CSV, NPZ) keep
 * full precision; this is for text only.
 *
 * <ul>
 *   <li>{@link Kind#P_VALUE}: 3 decimals, {@code < 0.001} below that;</li>
 *   <li>{@link Kind#Z}: 2 decimals;</li>
 *   <li>{@link Kind#INTEGER}: counts, rounded to whole numbers;</li>
 *   <li>{@link Kind#DECIMAL}: probabilities, accuracies, drops, entropies: 4 decimals (1
 *       from 10 000 on, scientific from 10^9 on).</li>
 * </ul>
 */
public final class NumberText {
  /** What a number is, which decides its digits. */
  public enum Kind {
    /** A p-value. */
    P_VALUE,
    /** A z-score. */
    Z,
    /** A count or other whole number. */
    INTEGER,
    /** Anything else: probabilities, accuracies, differences, entropies. */
    DECIMAL
  }

  private NumberText() {}

  /**
   * The kind of a table column's numbers from its name: {@code p}, {@code p_*}, {@code *_p},
   * {@code p_value} are p-values; {@code z}, {@code z_*}, {@code *_z} z-scores; others decimal.
   */
  public static Kind kindOf(String column) {
    String c = column.toLowerCase(Locale.ROOT);
    if (c.equals("p") || c.startsWith("p_") || c.endsWith("_p") || c.equals("p-value")) {
      return Kind.P_VALUE;
    }
    if (c.equals("z") || c.startsWith("z_") || c.endsWith("_z") || c.equals("z-score")) {
      return Kind.Z;
    }
    return Kind.DECIMAL;
  }

  /** {@code v} written as its kind says. */
  public static String format(double v, Kind kind) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    return switch (kind) {
      case P_VALUE -> p(v);
      case Z -> fixed(v, 2);
      case INTEGER -> String.format(Locale.ROOT, "%d", Math.round(v));
      case DECIMAL -> decimal(v);
    };
  }

  /** A p-value: {@code 0.048}, {@code < 0.001}, {@code 1.000}. */
  public static String p(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    return v < 0.0005 ? "< 0.001" : fixed(v, 3);
  }

  /** A z-score with 2 decimals ({@code -0.00} is {@code 0.00}). */
  public static String z(double v) {
    return format(v, Kind.Z);
  }

  /** A probability, accuracy, drop or other decimal: 4 decimals, {@code 0} when it rounds to 0. */
  public static String decimal(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return format(v, Kind.DECIMAL);
    }
    double a = Math.abs(v);
    if (a < 0.00005) {
      return "0";
    }
    if (a >= 1e9) {
      return String.format(Locale.ROOT, "%.3e", v);
    }
    return a >= 10_000 ? fixed(v, 1) : fixed(v, 4);
  }

  /** A count with its noun, singular or plural: {@code 1 clip}, {@code 3 clips}. */
  public static String count(long n, String noun) {
    return n + " " + (n == 1 ? noun : noun.endsWith("s") || noun.endsWith("x") ? noun + "es"
        : noun + "s");
  }

  /** {@code v} with {@code digits} decimals, never {@code -0.00}. */
  public static String fixed(double v, int digits) {
    String s = String.format(Locale.ROOT, "%." + digits + "f", v);
    return s.matches("-0\\.?0*") ? s.substring(1) : s;
  }
}
