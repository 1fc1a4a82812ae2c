package io.anw.sae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.anw.AtomicFile;
import io.anw.WorkbenchException;
import io.anw.tensor.Tensor;
import io.anw.tensor.TensorFiles;
import io.anw.tensor.TensorTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SAEs on disk in SAELens's layout: a folder with {@code cfg.json} and
 * {@code sae_weights.safetensors}. Reads what SAELens writes (hook name at the top level or
 * under {@code metadata}, {@code k} at the top level or in {@code activation_fn_kwargs}, any
 * float dtype); writes float32 weights and a {@code cfg.json} with {@code architecture},
 * {@code d_in}, {@code d_sae}, {@code hook_name}, {@code k} (top-k), {@code
 * apply_b_dec_to_input}, {@code dtype}, {@code normalize_activations} ({@code none}: nothing to
 * undo) and the workbench's provenance under {@code metadata}. Files appear atomically.
 */
public final class SaeFiles {
  private SaeFiles() {}

  /** The configuration file in an SAE folder. */
  public static final String CONFIG = "cfg.json";
  /** The weights file in an SAE folder. */
  public static final String WEIGHTS = "sae_weights.safetensors";

  /**
   * Loads the SAE in folder {@code dir}.
   *
   * @throws WorkbenchException one line naming the file and what is wrong with it
   */
  public static SparseAutoencoder load(Path dir) {
    Path cfgFile = dir.resolve(CONFIG);
    Path weights = dir.resolve(WEIGHTS);
    if (!Files.isDirectory(dir)) {
      throw new WorkbenchException(dir + ": not an SAE folder (expected " + CONFIG + " and "
          + WEIGHTS + ")");
    }
    for (Path f : new Path[] {cfgFile, weights}) {
      if (!Files.isRegularFile(f)) {
        throw new WorkbenchException(f + ": missing (an SAE folder holds " + CONFIG + " and "
            + WEIGHTS + ")");
      }
    }
    SaeConfig cfg = readConfig(cfgFile);
    TensorTree tree = TensorFiles.read(weights);
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray wEnc = tensor(tree, weights, "W_enc", m);
      NDArray bEnc = tensor(tree, weights, "b_enc", m);
      NDArray wDec = tensor(tree, weights, "W_dec", m);
      NDArray bDec = tensor(tree, weights, "b_dec", m);
      NDArray threshold = null;
      if (cfg.architecture() == SaeArchitecture.JUMPRELU) {
        if (tree.tensors().containsKey("threshold")) {
          threshold = tensor(tree, weights, "threshold", m);
        } else if (tree.tensors().containsKey("log_threshold")) {
          threshold = tensor(tree, weights, "log_threshold", m).exp();
        } else {
          throw new WorkbenchException(weights + ": a jumprelu SAE needs 'threshold'");
        }
      }
      try {
        return SparseAutoencoder.of(cfg, wEnc, bEnc, wDec, bDec, threshold);
      } catch (WorkbenchException e) {
        throw new WorkbenchException(weights + ": " + e.getMessage(), e);
      }
    }
  }

  private static NDArray tensor(TensorTree tree, Path file, String key, NDManager m) {
    Tensor t = tree.tensors().get(key);
    if (t == null) {
      throw new WorkbenchException(file + ": no tensor '" + key + "' (has "
          + String.join(", ", tree.tensors().keySet()) + ")");
    }
    if (!t.dtype().isFloating()) {
      throw new WorkbenchException(file + ": '" + key + "' is " + t.dtype()
          + ", not a float tensor");
    }
    return t.toNDArray(m);
  }

  /** Reads and checks a {@code cfg.json}. */
  public static SaeConfig readConfig(Path cfgFile) {
    JsonObject o;
    try {
      JsonElement e = JsonParser.parseString(Files.readString(cfgFile, StandardCharsets.UTF_8));
      if (!e.isJsonObject()) {
        throw new WorkbenchException(cfgFile + ": not a JSON object");
      }
      o = e.getAsJsonObject();
    } catch (IOException e) {
      throw new WorkbenchException(cfgFile + ": cannot read (" + e.getMessage() + ")", e);
    } catch (com.google.gson.JsonParseException e) {
      throw new WorkbenchException(cfgFile + ": not valid JSON (" + e.getMessage() + ")", e);
    }
    JsonObject meta = o.has("metadata") && o.get("metadata").isJsonObject()
        ? o.getAsJsonObject("metadata") : new JsonObject();
    String arch = string(o, "architecture", cfgFile, "standard");
    SaeArchitecture a;
    try {
      a = SaeArchitecture.of(arch);
    } catch (WorkbenchException e) {
      throw new WorkbenchException(cfgFile + ": " + e.getMessage(), e);
    }
    int dIn = integer(o, "d_in", cfgFile);
    int dSae = integer(o, "d_sae", cfgFile);
    String hook = o.has("hook_name") ? string(o, "hook_name", cfgFile, null)
        : meta.has("hook_name") ? string(meta, "hook_name", cfgFile, null) : null;
    if (hook == null) {
      throw new WorkbenchException(cfgFile + ": no hook_name (top level or under metadata)");
    }
    int k = 0;
    if (a == SaeArchitecture.TOPK) {
      if (o.has("k")) {
        k = integer(o, "k", cfgFile);
      } else if (o.has("activation_fn_kwargs") && o.get("activation_fn_kwargs").isJsonObject()
          && o.getAsJsonObject("activation_fn_kwargs").has("k")) {
        k = integer(o.getAsJsonObject("activation_fn_kwargs"), "k", cfgFile);
      } else {
        throw new WorkbenchException(cfgFile + ": a topk SAE needs k");
      }
    }
    String norm = o.has("normalize_activations") && !o.get("normalize_activations").isJsonNull()
        ? o.get("normalize_activations").getAsString() : "none";
    if (!norm.equals("none")) {
      throw new WorkbenchException(cfgFile + ": normalize_activations is '" + norm
          + "'; fold the normalisation into the weights first (the workbench applies SAEs to raw"
          + " activations)");
    }
    boolean applyBDec = !o.has("apply_b_dec_to_input")
        || o.get("apply_b_dec_to_input").getAsBoolean();
    Map<String, Object> metadata = new LinkedHashMap<>();
    for (Map.Entry<String, JsonElement> e : meta.entrySet()) {
      JsonElement v = e.getValue();
      metadata.put(e.getKey(), v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber()
          ? (Object) v.getAsNumber() : v.isJsonPrimitive() ? v.getAsString() : v.toString());
    }
    try {
      return new SaeConfig(a, dIn, dSae, hook, k, applyBDec, metadata);
    } catch (WorkbenchException e) {
      throw new WorkbenchException(cfgFile + ": " + e.getMessage(), e);
    }
  }

  private static String string(JsonObject o, String key, Path file, String fallback) {
    if (!o.has(key) || o.get(key).isJsonNull()) {
      if (fallback != null) {
        return fallback;
      }
      throw new WorkbenchException(file + ": no " + key);
    }
    return o.get(key).getAsString();
  }

  private static int integer(JsonObject o, String key, Path file) {
    if (!o.has(key)) {
      throw new WorkbenchException(file + ": no " + key);
    }
    try {
      double v = o.get(key).getAsDouble();
      if (v != Math.rint(v) || v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
        throw new NumberFormatException(o.get(key).toString());
      }
      return (int) v;
    } catch (RuntimeException e) {
      throw new WorkbenchException(file + ": " + key + " must be an integer, is " + o.get(key),
          e);
    }
  }

  /**
   * Writes {@code sae} into folder {@code dir} (created if missing): float32 weights, then
   * {@code cfg.json}, each atomically, so a folder with a {@code cfg.json} is complete.
   */
  public static Path save(SparseAutoencoder sae, Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new WorkbenchException(dir + ": cannot create (" + e.getMessage() + ")", e);
    }
    TensorTree.Builder b = TensorTree.builder(dir.resolve(WEIGHTS).toString(), "safetensors");
    b.tensor("W_enc", Tensor.of(sae.wEnc()));
    b.tensor("b_enc", Tensor.of(sae.bEnc()));
    b.tensor("W_dec", Tensor.of(sae.wDec()));
    b.tensor("b_dec", Tensor.of(sae.bDec()));
    if (sae.threshold() != null) {
      b.tensor("threshold", Tensor.of(sae.threshold()));
    }
    TensorFiles.write(dir.resolve(WEIGHTS), b.build());
    AtomicFile.write(dir.resolve(CONFIG), configJson(sae.config())
        .getBytes(StandardCharsets.UTF_8));
    return dir;
  }

  /** The {@code cfg.json} text of a configuration. */
  public static String configJson(SaeConfig c) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("architecture", c.architecture().saeLensName());
    o.put("d_in", c.dIn());
    o.put("d_sae", c.dSae());
    o.put("hook_name", c.hookName());
    if (c.architecture() == SaeArchitecture.TOPK) {
      o.put("k", c.k());
    }
    o.put("apply_b_dec_to_input", c.applyBDecToInput());
    o.put("dtype", "float32");
    o.put("device", "cpu");
    o.put("normalize_activations", "none");
    Map<String, Object> meta = new LinkedHashMap<>(c.metadata());
    meta.putIfAbsent("hook_name", c.hookName());
    o.put("metadata", meta);
    Gson gson = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
    return gson.toJson(o) + "\n";
  }
}
