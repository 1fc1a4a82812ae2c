package io.anw.activation;

import io.anw.WorkbenchException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Sums count sets that are shards of one run: the same model weights, front end, hook, token
 * group, classes and dataset (the {@link CountsProvenance#IDENTITY} keys), and distinct shards
 * of the same n. A repeated or overlapping shard, or counts of another run, are refused with one
 * line naming the two; all n shards merged equal one run of the whole data, bit for bit.
 */
public final class CountsMerge {
  private CountsMerge() {}

  /** A count set and what to call it in messages (its file name). */
  public record Named(String name, ActivationCounts counts) {}

  /**
   * The sum of the count sets.
   *
   * @throws WorkbenchException naming the two sets that cannot be summed, and why
   */
  public static ActivationCounts merge(List<Named> parts) {
    if (parts.isEmpty()) {
      throw new WorkbenchException("nothing to merge");
    }
    Named first = parts.get(0);
    int n = CountsProvenance.shards(first.counts().provenance().get(CountsProvenance.SHARD))[
        shardsOf(first).length - 1];
    SortedSet<Integer> seen = new TreeSet<>();
    Map<Integer, String> owner = new LinkedHashMap<>();
    ActivationCounts total = null;
    long clips = 0;
    LinkedHashSet<String> skipped = new LinkedHashSet<>();
    List<String> names = new ArrayList<>();
    for (Named p : parts) {
      Map<String, String> prov = p.counts().provenance();
      String what = first.name() + " and " + p.name();
      if (p != first) {
        CountsProvenance.requireSameRun(first.counts().provenance(), prov, what);
      }
      int[] s = shardsOf(p);
      if (s[s.length - 1] != n) {
        throw new WorkbenchException(what + " are shards of different splits ("
            + first.counts().provenance().get(CountsProvenance.SHARD) + " vs "
            + prov.get(CountsProvenance.SHARD) + ")");
      }
      for (int k = 0; k < s.length - 1; k++) {
        if (!seen.add(s[k])) {
          throw new WorkbenchException(owner.get(s[k]) + " and " + p.name() + " both hold shard "
              + s[k] + "/" + n + "; each shard may be merged once");
        }
        owner.put(s[k], p.name());
      }
      try {
        total = total == null ? p.counts() : total.plus(p.counts());
      } catch (WorkbenchException e) {
        throw new WorkbenchException(what + ": " + e.getMessage(), e);
      }
      clips += Long.parseLong(prov.getOrDefault(CountsProvenance.CLIPS, "0"));
      String sk = prov.get(CountsProvenance.SKIPPED);
      if (sk != null) {
        skipped.addAll(sk.lines().toList());
      }
      names.add(p.name());
    }
    Map<String, String> prov = new LinkedHashMap<>(first.counts().provenance());
    prov.put(CountsProvenance.SHARD, CountsProvenance.shardValue(seen, n));
    if (seen.size() == n && prov.containsKey(CountsProvenance.DATASET_SHA256)) {
      prov.put(CountsProvenance.DATA_SHA256, prov.get(CountsProvenance.DATASET_SHA256));
    } else {
      prov.remove(CountsProvenance.DATA_SHA256);
    }
    prov.put(CountsProvenance.CLIPS, Long.toString(clips));
    prov.remove(CountsProvenance.SKIPPED);
    if (!skipped.isEmpty()) {
      prov.put(CountsProvenance.SKIPPED, String.join("\n", skipped));
    }
    prov.put(CountsProvenance.MERGED_FROM, String.join(" ", names));
    return new ActivationCounts(total.layers(), total.neurons(), total.classes(),
        total.overZeroFlat(), total.nPerClass(), total.hook(), prov);
  }

  private static int[] shardsOf(Named p) {
    try {
      return CountsProvenance.shards(p.counts().provenance().get(CountsProvenance.SHARD));
    } catch (WorkbenchException e) {
      throw new WorkbenchException(p.name() + ": " + e.getMessage(), e);
    }
  }
}
