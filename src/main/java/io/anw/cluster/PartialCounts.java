package io.anw.cluster;

import io.anw.activation.ActivationCounts;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts of some partitions of a Spark counting job, as they travel between executors and the
 * driver: {@code over_zero} flat {@code [layers, neurons, classes]}, {@code n} per class, the
 * clips counted, and the rows skipped, keyed by each partition's first row so that they come
 * out in row order whatever order Spark combines partitions in. Sums are of integers, so any
 * combination order gives the same counts.
 */
public final class PartialCounts implements Serializable {
  private static final long serialVersionUID = 1L;

  private long[] overZero;
  private long[] n;
  private long clips;
  private final TreeMap<Integer, List<String>> skipped = new TreeMap<>();

  /** Nothing counted yet (the aggregation's zero). */
  public static PartialCounts empty() {
    return new PartialCounts();
  }

  /** The counts of the partition starting at dataset row {@code firstRow}. */
  public static PartialCounts of(ActivationCounts counts, int firstRow, List<String> skipped) {
    PartialCounts p = new PartialCounts();
    p.overZero = counts.overZeroFlat().clone();
    p.n = counts.nPerClass().clone();
    p.clips = Long.parseLong(counts.provenance().getOrDefault("clips", "0"));
    if (!skipped.isEmpty()) {
      p.skipped.put(firstRow, List.copyOf(skipped));
    }
    return p;
  }

  /** Only skipped rows (a partition none of whose clips could be read). */
  public static PartialCounts skippedOnly(int firstRow, List<String> skipped) {
    PartialCounts p = new PartialCounts();
    p.skipped.put(firstRow, List.copyOf(skipped));
    return p;
  }

  /** Adds {@code other} into this and returns this (Spark's seqOp and combOp). */
  public PartialCounts plus(PartialCounts other) {
    if (other.overZero != null) {
      if (overZero == null) {
        overZero = new long[other.overZero.length];
        n = new long[other.n.length];
      }
      for (int i = 0; i < overZero.length; i++) {
        overZero[i] += other.overZero[i];
      }
      for (int i = 0; i < n.length; i++) {
        n[i] += other.n[i];
      }
    }
    clips += other.clips;
    for (Map.Entry<Integer, List<String>> e : other.skipped.entrySet()) {
      skipped.put(e.getKey(), e.getValue());
    }
    return this;
  }

  /** {@code over_zero} summed (null when nothing was counted). */
  public long[] overZero() {
    return overZero;
  }

  /** Tokens per class summed (null when nothing was counted). */
  public long[] n() {
    return n;
  }

  /** Clips counted. */
  public long clips() {
    return clips;
  }

  /** The skipped rows in row order. */
  public List<String> skipped() {
    List<String> all = new ArrayList<>();
    skipped.values().forEach(all::addAll);
    return all;
  }
}
