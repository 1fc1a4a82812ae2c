package io.anw.activation;

import io.anw.WorkbenchException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The provenance of counts, one vocabulary for every writer (the REPL, the CLI, merges): the
 * keys as constants, which are required, and which must agree for two count sets to be summed
 * (shards of one run) or for a run to resume from partial counts.
 */
public final class CountsProvenance {
  /** SHA-256 of the model's weights (names, shapes, float32 bytes): the model's identity. */
  public static final String WEIGHTS_SHA256 = "weights_sha256";
  /** The model's name (its checkpoint folder). */
  public static final String MODEL = "model";
  /** The checkpoint file's name, when the model was loaded from one. */
  public static final String MODEL_FILE = "model_file";
  /** The log-mel front end, e.g. {@code m2d-16k}. */
  public static final String PRESET = "preset";
  /** The log-mel normalisation, {@code mean,std}. */
  public static final String NORM_STATS = "norm_stats";
  /** The hook points counted, {@code blocks.*.mlp.hook_post}. */
  public static final String HOOK = "hook";
  /** The token group counted in every chunk ({@code all}, {@code cls}, {@code audio}, {@code text}). */
  public static final String TOKENS = "tokens";
  /** The dataset's name. */
  public static final String DATA = "data";
  /** SHA-256 of the whole dataset's item list (before sharding): the data's identity. */
  public static final String DATASET_SHA256 = "dataset_sha256";
  /** SHA-256 of the item list counted (this shard's). */
  public static final String DATA_SHA256 = "data_sha256";
  /** Which shards were counted, {@code i/n} or {@code 1,3/4} after a merge. */
  public static final String SHARD = "shard";
  /** Clips counted. */
  public static final String CLIPS = "clips";
  /** Rows and files skipped as unreadable, one per line. */
  public static final String SKIPPED = "skipped";
  /** Partial counts only: dataset rows done, where a resumed pass starts. */
  public static final String ROWS_DONE = "rows_done";
  /** The workbench version that counted. */
  public static final String WORKBENCH = "workbench";
  /** Feature counts only: SHA-256 of the sparse autoencoder's weights (its identity). */
  public static final String SAE_SHA256 = "sae_sha256";
  /** Feature counts only: the SAE's folder name. */
  public static final String SAE = "sae";
  /** After a merge: the files summed. */
  public static final String MERGED_FROM = "merged_from";

  /** Keys every count set made by the workbench has. */
  public static final List<String> REQUIRED = List.of(WEIGHTS_SHA256, PRESET, NORM_STATS, HOOK,
      TOKENS, DATA, DATASET_SHA256, DATA_SHA256, SHARD, CLIPS, WORKBENCH);

  /** Keys that may be there. */
  public static final List<String> OPTIONAL = List.of(MODEL, MODEL_FILE, SKIPPED, ROWS_DONE,
      MERGED_FROM, SAE, SAE_SHA256);

  /**
   * Keys that must agree for counts to be summed: same model, front end, hook, tokens, data
   * (and SAE, for feature counts).
   */
  public static final List<String> IDENTITY = List.of(WEIGHTS_SHA256, PRESET, NORM_STATS, HOOK,
      TOKENS, DATASET_SHA256, SAE_SHA256);

  private CountsProvenance() {}

  /**
   * Throws unless {@code a} and {@code b} may be summed: their identity keys agree (a key both
   * lack, as in files of other tools, is not compared; one has and one lacks is an error).
   *
   * @param what names the two in the message, e.g. {@code "a.npz and b.npz"}
   */
  public static void requireSameRun(Map<String, String> a, Map<String, String> b, String what) {
    for (String key : IDENTITY) {
      String x = a.get(key);
      String y = b.get(key);
      if (!Objects.equals(x, y)) {
        throw new WorkbenchException(what + " are not counts of one run: " + key + " "
            + brief(x) + " vs " + brief(y));
      }
    }
  }

  private static String brief(String v) {
    if (v == null) {
      return "(none)";
    }
    return v.length() > 16 && v.matches("[0-9a-f]+") ? v.substring(0, 12) + "..." : v;
  }

  /**
   * The shard indices of a {@link #SHARD} value {@code i/n} or {@code i,j,.../n} (1-based),
   * with n last.
   *
   * @throws WorkbenchException for anything else
   */
  public static int[] shards(String value) {
    String v = value == null ? "1/1" : value.strip();
    int slash = v.lastIndexOf('/');
    try {
      int n = Integer.parseInt(v.substring(slash + 1));
      TreeSet<Integer> set = new TreeSet<>();
      for (String part : v.substring(0, slash).split(",")) {
        int i = Integer.parseInt(part.strip());
        if (i < 1 || i > n || !set.add(i)) {
          throw new NumberFormatException();
        }
      }
      int[] out = new int[set.size() + 1];
      int k = 0;
      for (int i : set) {
        out[k++] = i;
      }
      out[k] = n;
      return out;
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      throw new WorkbenchException("shard '" + value + "' is not i/n (or i,j/n)");
    }
  }

  /** The {@link #SHARD} value of some of n shards: {@code 1,3/4}, or {@code 1/1} for all. */
  public static String shardValue(java.util.SortedSet<Integer> shards, int n) {
    if (shards.size() == n) {
      return "1/1";
    }
    StringBuilder sb = new StringBuilder();
    for (int i : shards) {
      sb.append(sb.length() == 0 ? "" : ",").append(i);
    }
    return sb + "/" + n;
  }
}
