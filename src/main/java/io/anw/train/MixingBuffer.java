package io.anw.train;

import io.anw.WorkbenchException;
import java.util.Random;

/**
 * A shuffled token buffer, as SAELens's mixing buffer: it holds up to {@code capacity} rows of
 * width d; when the rows ready to serve run out it is topped up from the source, all rows are
 * shuffled, and the first half is served in batches while the second half stays to mix with
 * the next rows. Consecutive tokens of one clip (strongly correlated) so reach training spread
 * over many batches. Memory: {@code capacity × d} floats. Its state (rows, fill, serve position)
 * is what a training checkpoint saves.
 */
public final class MixingBuffer {
  /**
   * Where rows come from, block by block, with a position that can be saved and sought back to
   * (so a resumed run takes in the very same rows).
   */
  public interface Source {
    /** The next rows {@code [n, d]}, flat, or null when the source is exhausted (for good). */
    float[] next();

    /** Where the next {@link #next()} starts. */
    long[] position();

    /** Continues from a position {@link #position()} returned. */
    void seek(long[] position);
  }

  private final int capacity;
  private final int d;
  private final float[] rows;
  private int filled;
  private int served;
  private int serveEnd;
  private float[] spill = new float[0];
  private int spillAt;
  private long[] spillFrom;

  /** An empty buffer of {@code capacity} rows of width {@code d}. */
  public MixingBuffer(int capacity, int d) {
    if (capacity < 2 || d < 1) {
      throw new WorkbenchException("a mixing buffer needs at least 2 rows of width 1, got "
          + capacity + " x " + d);
    }
    this.capacity = capacity;
    this.d = d;
    this.rows = new float[Math.multiplyExact(capacity, d)];
  }

  /** Rows it holds at most. */
  public int capacity() {
    return capacity;
  }

  /** Width. */
  public int width() {
    return d;
  }

  /**
   * The next batch of {@code b} rows, flat {@code [b, d]}: fewer only when the source ran out
   * (null when nothing is left).
   */
  public float[] next(int b, Source source, Random rnd) {
    if (b > capacity / 2) {
      throw new WorkbenchException("--batch-tokens " + b + " is more than half the buffer ("
          + capacity + " tokens); raise --buffer-tokens");
    }
    if (serveEnd - served < b) {
      refill(source, rnd);
    }
    int n = Math.min(b, serveEnd - served);
    if (n == 0) {
      return null;
    }
    float[] out = new float[n * d];
    System.arraycopy(rows, served * d, out, 0, n * d);
    served += n;
    return out;
  }

  private void refill(Source source, Random rnd) {
    // keep the unserved rows, move them to the front
    int keep = filled - served;
    System.arraycopy(rows, served * d, rows, 0, keep * d);
    filled = keep;
    served = 0;
    boolean exhausted = false;
    while (filled < capacity) {
      if (spillAt >= spill.length) {
        long[] at = source.position();
        float[] more = source.next();
        if (more == null) {
          exhausted = true;
          break;
        }
        if (more.length % d != 0) {
          throw new WorkbenchException("rows of width " + (more.length) + " values are not a"
              + " whole number of rows of width " + d);
        }
        spill = more;
        spillAt = 0;
        spillFrom = at;
      }
      int take = Math.min((capacity - filled) * d, spill.length - spillAt);
      System.arraycopy(spill, spillAt, rows, filled * d, take);
      spillAt += take;
      filled += take / d;
    }
    shuffle(rnd);
    serveEnd = exhausted ? filled : filled / 2;
  }

  private void shuffle(Random rnd) {
    float[] tmp = new float[d];
    for (int i = filled - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      if (i != j) {
        System.arraycopy(rows, i * d, tmp, 0, d);
        System.arraycopy(rows, j * d, rows, i * d, d);
        System.arraycopy(tmp, 0, rows, j * d, d);
      }
    }
  }

  /** The rows held, flat {@code [capacity, d]} (live: a checkpoint reads and restores it). */
  public float[] rows() {
    return rows;
  }

  /**
   * The counters a checkpoint saves with the rows: fill, serve position, serve end, and how much
   * of the last source block was taken in.
   */
  public int[] state() {
    return new int[] {filled, served, serveEnd, spillAt, spill.length};
  }

  /** The source position of the last block taken in (null before the first). */
  public long[] spillFrom() {
    return spillFrom == null ? null : spillFrom.clone();
  }

  /**
   * Restores {@link #state()} after the rows were restored in place: the last block is read
   * again from {@code spillFrom} and the source left after it.
   */
  public void restore(int[] state, long[] from, Source source) {
    filled = state[0];
    served = state[1];
    serveEnd = state[2];
    spillAt = state[3];
    spill = new float[0];
    spillFrom = from;
    if (from != null) {
      source.seek(from);
      spill = source.next();
      if (spill == null || spill.length != state[4]) {
        throw new WorkbenchException("the activation source gave other rows on resume than"
            + " before the checkpoint");
      }
    }
  }
}
