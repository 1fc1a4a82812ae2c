package io.anw.listen;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The bounded state of a top-activation pass, O(units · (k + sample)) whatever the dataset's
 * size: per unit a min-heap of the {@code k} clips with the highest maximum activation (ties: the
 * lower dataset row ranks higher), and a uniform sample of clips shared by all units, chosen by
 * a seeded hash of the row (the {@code sample} rows with the smallest hash), from which the
 * activation quantiles and their examples come. Both depend only on the set of clips seen, not
 * their order: a resumed pass ends in the same state as an uninterrupted one.
 */
final class TopState {
  final int units;
  final int k;
  final int sample;
  final long seed;
  // heaps, [units * k]
  final float[] hAct;
  final int[] hRow;
  final int[] hChunk;
  final int[] hToken;
  final int[] hTp;
  final int[] hSize;
  // the shared sample: slots of rows, and per unit the values at those rows [units * sample]
  final int[] sRow;
  final long[] sKey;
  int sUsed;
  final float[] sAct;
  final int[] sChunk;
  final int[] sToken;
  final int[] sTp;
  int rowsDone;
  long clips;

  TopState(int units, int k, int sample, long seed) {
    this.units = units;
    this.k = k;
    this.sample = sample;
    this.seed = seed;
    hAct = new float[units * k];
    hRow = new int[units * k];
    hChunk = new int[units * k];
    hToken = new int[units * k];
    hTp = new int[units * k];
    hSize = new int[units];
    sRow = new int[sample];
    sKey = new long[sample];
    sAct = new float[units * sample];
    sChunk = new int[units * sample];
    sToken = new int[units * sample];
    sTp = new int[units * sample];
  }

  /** Adds one clip (dataset row {@code row}) with its best token per unit. */
  void add(int row, ClipBest best) {
    for (int u = 0; u < units; u++) {
      offerHeap(u, row, best.act[u], best.chunk[u], best.token[u], best.timePatches[u]);
    }
    offerSample(row, best);
    clips++;
  }

  /** True if (a, rowA) ranks below (b, rowB): lower activation, or equal and later row. */
  private static boolean worse(float a, int rowA, float b, int rowB) {
    return a < b || (a == b && rowA > rowB);
  }

  private void offerHeap(int u, int row, float act, int chunk, int token, int tp) {
    int base = u * k;
    int n = hSize[u];
    if (n < k) {
      set(base + n, act, row, chunk, token, tp);
      hSize[u] = n + 1;
      siftUp(base, n);
      return;
    }
    if (!worse(hAct[base], hRow[base], act, row)) {
      return; // not better than the weakest kept
    }
    set(base, act, row, chunk, token, tp);
    siftDown(base, k);
  }

  private void set(int i, float act, int row, int chunk, int token, int tp) {
    hAct[i] = act;
    hRow[i] = row;
    hChunk[i] = chunk;
    hToken[i] = token;
    hTp[i] = tp;
  }

  private void siftUp(int base, int i) {
    while (i > 0) {
      int p = (i - 1) / 2;
      if (!worse(hAct[base + i], hRow[base + i], hAct[base + p], hRow[base + p])) {
        return;
      }
      swap(base + i, base + p);
      i = p;
    }
  }

  private void siftDown(int base, int n) {
    int i = 0;
    while (true) {
      int l = 2 * i + 1;
      int r = l + 1;
      int m = i;
      if (l < n && worse(hAct[base + l], hRow[base + l], hAct[base + m], hRow[base + m])) {
        m = l;
      }
      if (r < n && worse(hAct[base + r], hRow[base + r], hAct[base + m], hRow[base + m])) {
        m = r;
      }
      if (m == i) {
        return;
      }
      swap(base + i, base + m);
      i = m;
    }
  }

  private void swap(int a, int b) {
    float f = hAct[a];
    hAct[a] = hAct[b];
    hAct[b] = f;
    int t = hRow[a];
    hRow[a] = hRow[b];
    hRow[b] = t;
    t = hChunk[a];
    hChunk[a] = hChunk[b];
    hChunk[b] = t;
    t = hToken[a];
    hToken[a] = hToken[b];
    hToken[b] = t;
    t = hTp[a];
    hTp[a] = hTp[b];
    hTp[b] = t;
  }

  /** The sampling key of a row: SplitMix64 of the seed and the row. */
  long key(int row) {
    long z = seed * 0x9E3779B97F4A7C15L + row + 0x632BE59BD9B4E019L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return (z ^ (z >>> 31)) >>> 1; // non-negative
  }

  private void offerSample(int row, ClipBest best) {
    if (sample == 0) {
      return;
    }
    long key = key(row);
    int slot;
    if (sUsed < sample) {
      slot = sUsed++;
    } else {
      slot = 0;
      for (int s = 1; s < sample; s++) {
        if (sKey[s] > sKey[slot]) {
          slot = s;
        }
      }
      if (key >= sKey[slot]) {
        return;
      }
    }
    sRow[slot] = row;
    sKey[slot] = key;
    for (int u = 0; u < units; u++) {
      int i = u * sample + slot;
      sAct[i] = best.act[u];
      sChunk[i] = best.chunk[u];
      sToken[i] = best.token[u];
      sTp[i] = best.timePatches[u];
    }
  }

  /** One kept activation: a clip's best token for a unit. */
  record Hit(int row, float act, int chunk, int token, int timePatches) {}

  /** Unit {@code u}'s kept clips, highest first (ties: lower row first). */
  List<Hit> top(int u) {
    List<Hit> out = new ArrayList<>();
    for (int i = 0; i < hSize[u]; i++) {
      int j = u * k + i;
      out.add(new Hit(hRow[j], hAct[j], hChunk[j], hToken[j], hTp[j]));
    }
    out.sort((a, b) -> a.act() != b.act() ? Float.compare(b.act(), a.act())
        : Integer.compare(a.row(), b.row()));
    return out;
  }

  /** Unit {@code u}'s values at the sampled clips, lowest first (ties: lower row first). */
  List<Hit> sampled(int u) {
    List<Hit> out = new ArrayList<>();
    for (int s = 0; s < sUsed; s++) {
      int j = u * sample + s;
      out.add(new Hit(sRow[s], sAct[j], sChunk[j], sToken[j], sTp[j]));
    }
    out.sort((a, b) -> a.act() != b.act() ? Float.compare(a.act(), b.act())
        : Integer.compare(a.row(), b.row()));
    return out;
  }

  /** Entries held, for the bound: at most units · (k + sample). */
  long capacity() {
    return (long) hAct.length + sAct.length;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof TopState s)) {
      return false;
    }
    for (int u = 0; u < units; u++) {
      if (!top(u).equals(s.top(u)) || !sampled(u).equals(s.sampled(u))) {
        return false;
      }
    }
    return rowsDone == s.rowsDone && clips == s.clips;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(hSize) * 31 + rowsDone;
  }
}
