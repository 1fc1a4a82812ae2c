package io.anw.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.anw.WorkbenchException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An M2D checkpoint's flattened tensors with the wrapper prefixes removed and the non-encoder
 * entries set aside: the encoder parameters under timm's names ({@code cls_token},
 * {@code pos_embed}, {@code patch_embed.proj.weight}, {@code blocks.0.attn.qkv.weight}, ...).
 *
 * <p>Accepts a bare state dict, M2D's {@code {'model': state_dict, ...}} flattened as keys
 * {@code model.*} (other top-level entries such as the optimizer are then ignored), and EVAR
 * fine-tuning checkpoints whose keys start with {@code module.ar.runtime.backbone.}. Decoder,
 * target-encoder, mask token, CLAP projection and task-head entries are ignored with a note.
 *
 * @param params encoder parameters by timm name
 * @param normStats the checkpoint's {@code norm_stats}, or null
 * @param notes what was ignored, one line per group (e.g. {@code "ignored 41 decoder* entries"})
 */
public record M2dStateDict(Map<String, NDArray> params, NormStats normStats,
    List<String> notes) {

  /** Leading key segments that wrap the encoder (DDP, EVAR runtime, backbone attribute). */
  private static final List<String> WRAPPERS =
      List.of("module.", "ar.", "runtime.", "backbone.", "model.");

  /** Key prefixes of checkpoint parts that are not the audio encoder, ignored with a note. */
  static final List<String> EXTRAS = List.of("decoder", "target_", "mask_token", "audio_proj",
      "text_proj", "text_encoder", "logit_scale", "head.", "head_norm.", "to_spec.");

  /** Wraps the parts; the map is kept as given, in key order. */
  public M2dStateDict {
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    notes = List.copyOf(notes);
  }

  /**
   * Where the encoder's entries are in a checkpoint, read from its key names alone (so a file
   * can be checked before any tensor is read).
   *
   * @param params timm name to the checkpoint's key, in checkpoint order
   * @param normStatsKey the key of {@code norm_stats}, or null
   * @param notes what is ignored, one line per group
   */
  public record Layout(Map<String, String> params, String normStatsKey, List<String> notes) {
    /** Copies the parts. */
    public Layout {
      params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
      notes = List.copyOf(notes);
    }
  }

  /**
   * The layout of a flattened checkpoint's keys.
   *
   * @throws WorkbenchException when two keys collide after stripping the wrappers
   */
  public static Layout layout(java.util.Collection<String> keys) {
    List<String> notes = new ArrayList<>();
    String normStatsKey = null;
    List<String> source = new ArrayList<>(keys);
    boolean nested = keys.stream().anyMatch(k -> k.startsWith("model."));
    if (nested) {
      source = new ArrayList<>();
      int outside = 0;
      for (String k : keys) {
        if (k.startsWith("model.")) {
          source.add(k);
        } else if (k.equals("norm_stats")) {
          normStatsKey = k;
        } else {
          outside++;
        }
      }
      if (outside > 0) {
        notes.add("ignored " + outside
            + " checkpoint entries outside 'model' (optimizer, args...)");
      }
    }
    Map<String, String> params = new LinkedHashMap<>();
    Map<String, Integer> ignored = new TreeMap<>();
    for (String original : source) {
      String key = stripWrappers(original);
      if (key.equals("norm_stats")) {
        normStatsKey = original;
        continue;
      }
      String extra = extraGroup(key);
      if (extra != null) {
        ignored.merge(extra, 1, Integer::sum);
        continue;
      }
      if (params.put(key, original) != null) {
        throw new WorkbenchException("checkpoint: two entries map to '" + key
            + "' after removing wrapper prefixes (module., backbone., ...)");
      }
    }
    ignored.forEach((group, n) -> notes.add("ignored " + n + " " + group + "* "
        + (n == 1 ? "entry" : "entries") + " (not part of the audio encoder)"));
    return new Layout(params, normStatsKey, notes);
  }

  /**
   * Normalises the keys of a flattened checkpoint.
   *
   * @param tensors flattened keys to tensors, as the tensor-tree loader returns them
   * @throws WorkbenchException when two keys collide after stripping the wrappers
   */
  public static M2dStateDict normalise(Map<String, NDArray> tensors) {
    Layout layout = layout(tensors.keySet());
    Map<String, NDArray> params = new LinkedHashMap<>();
    layout.params().forEach((name, key) -> params.put(name, tensors.get(key)));
    NormStats normStats = layout.normStatsKey() == null ? null
        : readNormStats(tensors.get(layout.normStatsKey()));
    return new M2dStateDict(params, normStats, layout.notes());
  }

  /** The key without leading wrapper segments, e.g. {@code module.ar.runtime.backbone.x -> x}. */
  static String stripWrappers(String key) {
    boolean stripped = true;
    while (stripped) {
      stripped = false;
      for (String w : WRAPPERS) {
        if (key.startsWith(w) && key.length() > w.length()) {
          key = key.substring(w.length());
          stripped = true;
        }
      }
    }
    return key;
  }

  private static String extraGroup(String key) {
    for (String prefix : EXTRAS) {
      if (key.startsWith(prefix)) {
        return prefix;
      }
    }
    return null;
  }

  private static NormStats readNormStats(NDArray array) {
    if (array.size() != 2) {
      throw new WorkbenchException("checkpoint: norm_stats has " + array.size()
          + " values, expected [mean, std]");
    }
    try (NDArray f = array.toType(DataType.FLOAT64, true)) {
      double[] v = f.toDoubleArray();
      return new NormStats((float) v[0], (float) v[1]);
    }
  }
}
