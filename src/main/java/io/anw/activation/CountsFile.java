package io.anw.activation;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import io.anw.WorkbenchException;
import io.anw.tensor.Tensor;
import io.anw.tensor.TensorFiles;
import io.anw.tensor.TensorTree;
import io.anw.tensor.TextArray;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The counts file ({@code COUNTS.npz}), readable with {@code numpy.load}:
 * {@code over_zero} int64 {@code [layers, neurons, classes]}, {@code n} int64 {@code [classes]},
 * {@code classes} unicode {@code [classes]}, {@code hook} (a string) and {@code provenance} (a
 * JSON object as a string: model hash, data list hash, workbench version, ...).
 *
 * <p>Also reads LAPE's per-language activation files ({@code torch.save(dict(n=..., over_zero=
 * ...))}, one file per class) into the same counts.
 */
public final class CountsFile {
  private static final Gson GSON = new Gson();

  private CountsFile() {}

  /** Writes {@code counts} to {@code file} ({@code .npz}, atomically). */
  public static Path write(ActivationCounts counts, Path file) {
    int l = counts.layers();
    int j = counts.neurons();
    int c = counts.classes().size();
    TensorTree tree = TensorTree.builder(file.toString(), "npz")
        .tensor("over_zero", Tensor.ofLongs(counts.overZeroFlat(), l, j, c))
        .tensor("n", Tensor.ofLongs(counts.nPerClass(), c))
        .meta("classes", new TextArray(new long[] {c}, counts.classes()))
        .meta("hook", counts.hook())
        .meta("provenance", GSON.toJson(counts.provenance()))
        .build();
    TensorFiles.write(file, tree);
    return file;
  }

  /** Reads a counts file written by {@link #write} (or by Python in the same layout). */
  public static ActivationCounts read(Path file) {
    TensorTree tree = TensorFiles.read(file);
    Tensor overZero = need(tree, file, "over_zero");
    Tensor n = need(tree, file, "n");
    long[] shape = overZero.shape();
    if (shape.length != 3) {
      throw new WorkbenchException(file + ": over_zero must be [layers, neurons, classes], has "
          + shape.length + " dimensions");
    }
    List<String> classes = textList(tree.meta("classes"));
    if (classes == null) {
      classes = new ArrayList<>();
      for (int i = 0; i < shape[2]; i++) {
        classes.add("class" + i);
      }
    }
    if (classes.size() != shape[2]) {
      throw new WorkbenchException(file + ": " + classes.size() + " class names for "
          + shape[2] + " classes in over_zero");
    }
    Object hook = tree.meta("hook");
    Map<String, String> provenance = new LinkedHashMap<>();
    Object prov = tree.meta("provenance");
    if (prov != null) {
      try {
        Map<String, String> parsed = GSON.fromJson(prov.toString(),
            new TypeToken<Map<String, String>>() {}.getType());
        provenance.putAll(parsed);
      } catch (RuntimeException e) {
        throw new WorkbenchException(file + ": provenance is not a JSON object of strings");
      }
    }
    try {
      return new ActivationCounts((int) shape[0], (int) shape[1], classes,
          overZero.toLongArray(), n.toLongArray(), hook == null ? null : hook.toString(),
          provenance);
    } catch (WorkbenchException e) {
      throw new WorkbenchException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Counts from LAPE's per-language files, one per class: each a {@code dict(n=int,
   * over_zero=LongTensor[layers, neurons])}; classes in the order given.
   */
  public static ActivationCounts fromLape(Map<String, Path> filePerClass) {
    List<String> classes = new ArrayList<>(filePerClass.keySet());
    int c = classes.size();
    long[] n = new long[c];
    long[] flat = null;
    int layers = 0;
    int neurons = 0;
    for (int k = 0; k < c; k++) {
      Path file = filePerClass.get(classes.get(k));
      TensorTree tree = TensorFiles.read(file);
      Tensor oz = need(tree, file, "over_zero");
      if (oz.shape().length != 2) {
        throw new WorkbenchException(file + ": over_zero must be [layers, neurons]");
      }
      if (flat == null) {
        layers = (int) oz.shape()[0];
        neurons = (int) oz.shape()[1];
        flat = new long[layers * neurons * c];
      } else if (oz.shape()[0] != layers || oz.shape()[1] != neurons) {
        throw new WorkbenchException(file + ": over_zero shape differs from the other classes'");
      }
      long[] v = oz.toLongArray();
      for (int i = 0; i < v.length; i++) {
        flat[i * c + k] = v[i];
      }
      Object nMeta = tree.meta("n");
      Tensor nTensor = tree.tensors().get("n");
      n[k] = nTensor != null ? nTensor.toLongArray()[0]
          : nMeta instanceof Number num ? num.longValue() : -1;
      if (n[k] < 0) {
        throw new WorkbenchException(file + ": no token count 'n'");
      }
    }
    if (flat == null) {
      throw new WorkbenchException("no LAPE files given");
    }
    return new ActivationCounts(layers, neurons, classes, flat, n, "lape.act_fn", Map.of());
  }

  private static Tensor need(TensorTree tree, Path file, String key) {
    Tensor t = tree.tensors().get(key);
    if (t == null) {
      throw new WorkbenchException(file + ": no '" + key + "' array; is this a counts file?");
    }
    return t;
  }

  private static List<String> textList(Object meta) {
    if (meta instanceof TextArray t) {
      return new ArrayList<>(t.values());
    }
    return null;
  }
}
