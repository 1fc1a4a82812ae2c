package io.anw.activation;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import io.anw.WorkbenchException;
import io.anw.tensor.Tensor;
import io.anw.tensor.TensorFiles;
import io.anw.tensor.TensorTree;
import io.anw.tensor.TextArray;
import io.anw.tensor.TorchWriter;
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
 * <p>Interop with the Python tools (see docs/interop.md): reads and writes LAPE's per-language
 * activation files ({@code torch.save(dict(n=..., over_zero=...))}, one file per class:
 * {@link #fromLape}, {@link #writeLape}) and stacked {@code torch.save}d counts such as the AAPE
 * code's {@code over_zero.pt} ({@link #readAape}, {@link #writeAape}).
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

  /**
   * Reads counts: our {@code .npz} ({@link #write}), or a {@code torch.save}d file in one of the
   * layouts of {@link #readAape(Path, List)}. Class names come from the file (or are
   * {@code class0}, {@code class1}, ...).
   */
  public static ActivationCounts read(Path file) {
    return readAape(file, null);
  }

  /**
   * Reads counts from one file in any of these layouts (names in {@code classNames} override
   * those in the file; null or empty keeps them):
   *
   * <ul>
   *   <li>stacked, as our {@code .npz} and (assumed) the AAPE code's {@code over_zero.pt}:
   *       {@code over_zero} int {@code [layers, neurons, classes]}; {@code n} an int tensor
   *       {@code [classes]} or a list of ints; optional {@code classes} (str array or list of str),
   *       {@code hook} (str) and {@code provenance} (a JSON object as str);
   *   <li>one LAPE dict: {@code dict(n=int, over_zero=[layers, neurons])}, a single class;
   *   <li>LAPE dicts per class in one file: a dict {@code {class: dict(n, over_zero)}} (the keys
   *       name the classes) or a list of such dicts.
   * </ul>
   */
  public static ActivationCounts readAape(Path file, List<String> classNames) {
    TensorTree tree = TensorFiles.read(file);
    try {
      return fromTree(tree, classNames);
    } catch (WorkbenchException e) {
      throw e.getMessage().startsWith(file.toString()) ? e
          : new WorkbenchException(file + ": " + e.getMessage(), e);
    }
  }

  private static ActivationCounts fromTree(TensorTree tree, List<String> classNames) {
    Tensor overZero = tree.tensors().get("over_zero");
    if (overZero == null) {
      return fromPerClassDicts(tree, classNames);
    }
    long[] shape = overZero.shape();
    if (shape.length == 2) {
      List<String> names = names(classNames, null, 1);
      return new ActivationCounts((int) shape[0], (int) shape[1], names, integers(overZero,
          "over_zero"), new long[] {lapeN(tree, "")}, "lape.act_fn", Map.of());
    }
    if (shape.length != 3) {
      throw new WorkbenchException("over_zero must be [layers, neurons, classes], has "
          + shape.length + " dimensions");
    }
    int c = (int) shape[2];
    List<String> names = names(classNames, fileClasses(tree), c);
    Object hook = tree.meta("hook");
    Map<String, String> provenance = new LinkedHashMap<>();
    Object prov = tree.meta("provenance");
    if (prov != null) {
      try {
        Map<String, String> parsed = GSON.fromJson(prov.toString(),
            new TypeToken<Map<String, String>>() {}.getType());
        provenance.putAll(parsed);
      } catch (RuntimeException e) {
        throw new WorkbenchException("provenance is not a JSON object of strings");
      }
    }
    return new ActivationCounts((int) shape[0], (int) shape[1], names,
        integers(overZero, "over_zero"), stackedN(tree, c), hook == null ? null : hook.toString(),
        provenance);
  }

  /** {@code {class: dict(n, over_zero)}} or {@code [dict(n, over_zero), ...]} in one file. */
  private static ActivationCounts fromPerClassDicts(TensorTree tree, List<String> classNames) {
    List<String> keys = new ArrayList<>();
    for (String k : tree.tensors().keySet()) {
      if (k.endsWith(".over_zero") && k.indexOf('.') == k.length() - ".over_zero".length()) {
        keys.add(k.substring(0, k.length() - ".over_zero".length()));
      }
    }
    if (keys.isEmpty()) {
      throw new WorkbenchException("no 'over_zero' array (nor per-class dicts of one); is this a"
          + " counts file?");
    }
    boolean isList = keys.stream().allMatch(k -> k.matches("\\d+"));
    List<String> names = names(classNames, isList ? null : keys, keys.size());
    List<Tensor> perClass = new ArrayList<>();
    long[] n = new long[keys.size()];
    for (int k = 0; k < keys.size(); k++) {
      perClass.add(tree.tensor(keys.get(k) + ".over_zero"));
      n[k] = lapeN(tree, keys.get(k) + ".");
    }
    return stack(names, perClass, n, keys);
  }

  private static ActivationCounts stack(List<String> classes, List<Tensor> perClass, long[] n,
      List<String> where) {
    int c = classes.size();
    long[] flat = null;
    int layers = 0;
    int neurons = 0;
    for (int k = 0; k < c; k++) {
      Tensor oz = perClass.get(k);
      if (oz.shape().length != 2) {
        throw new WorkbenchException(where.get(k) + ": over_zero must be [layers, neurons], is "
            + oz);
      }
      if (flat == null) {
        layers = (int) oz.shape()[0];
        neurons = (int) oz.shape()[1];
        flat = new long[layers * neurons * c];
      } else if (oz.shape()[0] != layers || oz.shape()[1] != neurons) {
        throw new WorkbenchException(where.get(k) + ": over_zero is " + oz.shape()[0] + " x "
            + oz.shape()[1] + ", the first class's " + layers + " x " + neurons);
      }
      long[] v = integers(oz, "over_zero");
      for (int i = 0; i < v.length; i++) {
        flat[i * c + k] = v[i];
      }
    }
    try {
      return new ActivationCounts(layers, neurons, classes, flat, n, "lape.act_fn", Map.of());
    } catch (WorkbenchException e) {
      throw new WorkbenchException(String.join(", ", where) + ": " + e.getMessage(), e);
    }
  }

  /**
   * Counts from LAPE's per-language files, one per class: each a {@code dict(n=int,
   * over_zero=IntTensor or LongTensor [layers, neurons])} as {@code activation.py} saves it
   * (its {@code sum1..sum4} are ignored); classes in the order given.
   */
  public static ActivationCounts fromLape(Map<String, Path> filePerClass) {
    if (filePerClass.isEmpty()) {
      throw new WorkbenchException("no LAPE files given");
    }
    List<String> classes = new ArrayList<>(filePerClass.keySet());
    List<Tensor> perClass = new ArrayList<>();
    List<String> where = new ArrayList<>();
    long[] n = new long[classes.size()];
    for (int k = 0; k < classes.size(); k++) {
      Path file = filePerClass.get(classes.get(k));
      TensorTree tree = TensorFiles.read(file);
      try {
        perClass.add(need(tree, file, "over_zero"));
        n[k] = lapeN(tree, "");
      } catch (WorkbenchException e) {
        throw e.getMessage().startsWith(file.toString()) ? e
            : new WorkbenchException(file + ": " + e.getMessage(), e);
      }
      where.add(file.toString());
    }
    return stack(classes, perClass, n, where);
  }

  /**
   * Counts from the LAPE files {@code dir/activation.<class>.train.<model>} of the given
   * classes (the names {@code activation.py} writes).
   */
  public static ActivationCounts fromLape(Path dir, String model, List<String> classes) {
    Map<String, Path> files = new LinkedHashMap<>();
    for (String c : classes) {
      files.put(c, dir.resolve(lapeFileName(c, model)));
    }
    return fromLape(files);
  }

  /** {@code activation.<class>.train.<model>}, the name LAPE's activation.py gives a class. */
  public static String lapeFileName(String className, String model) {
    for (String part : List.of(className, model)) {
      if (part.isEmpty() || part.contains("/") || part.contains("\\") || part.startsWith(".")) {
        throw new WorkbenchException("'" + part + "' cannot be part of a LAPE file name");
      }
    }
    return "activation." + className + ".train." + model;
  }

  /**
   * Writes {@code counts} in LAPE's per-class layout: one {@code torch.save}d
   * {@code dict(n=int, over_zero=LongTensor[layers, neurons])} per class, named
   * {@code dir/activation.<class>.train.<model>} (int64 where activation.py uses int32: exact for
   * any count; its {@code identify.py} reads either). Each file is written atomically.
   */
  public static List<Path> writeLape(ActivationCounts counts, Path dir, String model) {
    int l = counts.layers();
    int j = counts.neurons();
    int c = counts.classes().size();
    List<Path> out = new ArrayList<>();
    for (String name : counts.classes()) {
      lapeFileName(name, model); // refuse bad names before writing anything
    }
    long[] flat = counts.overZeroFlat();
    for (int k = 0; k < c; k++) {
      long[] oz = new long[l * j];
      for (int i = 0; i < oz.length; i++) {
        oz[i] = flat[i * c + k];
      }
      Map<String, Object> dict = new LinkedHashMap<>();
      dict.put("n", counts.n(k));
      dict.put("over_zero", Tensor.ofLongs(oz, l, j));
      out.add(TorchWriter.write(dir.resolve(lapeFileName(counts.classes().get(k), model)), dict));
    }
    return out;
  }

  /**
   * Writes {@code counts} as one {@code torch.save}d dict in the stacked layout that
   * {@link #readAape} reads: {@code n} LongTensor {@code [classes]}, {@code over_zero}
   * LongTensor {@code [layers, neurons, classes]}, {@code classes} (list of str), {@code hook}
   * (str) and {@code provenance} (JSON str). Atomic.
   */
  public static Path writeAape(ActivationCounts counts, Path file) {
    int c = counts.classes().size();
    Map<String, Object> dict = new LinkedHashMap<>();
    dict.put("n", Tensor.ofLongs(counts.nPerClass(), c));
    dict.put("over_zero", Tensor.ofLongs(counts.overZeroFlat(), counts.layers(), counts.neurons(), c));
    dict.put("classes", counts.classes());
    dict.put("hook", counts.hook());
    dict.put("provenance", GSON.toJson(counts.provenance()));
    return TorchWriter.write(file, dict);
  }

  /** {@code n} of one LAPE dict (a Python int, or a one-element tensor) under {@code prefix}. */
  private static long lapeN(TensorTree tree, String prefix) {
    Object meta = tree.meta(prefix + "n");
    Tensor t = tree.tensors().get(prefix + "n");
    if (meta instanceof Long v) {
      return v;
    }
    if (t != null && t.numel() == 1) {
      return integers(t, "n")[0];
    }
    throw new WorkbenchException("no token count '" + prefix + "n' (an int)");
  }

  /** {@code n} of the stacked layout: a tensor {@code [classes]} or a list of ints. */
  private static long[] stackedN(TensorTree tree, int classes) {
    Tensor t = tree.tensors().get("n");
    if (t != null) {
      if (t.numel() != classes) {
        throw new WorkbenchException("n has " + t.numel() + " values for " + classes + " classes");
      }
      return integers(t, "n");
    }
    long[] n = new long[classes];
    for (int k = 0; k < classes; k++) {
      if (!(tree.meta("n." + k) instanceof Long v)) {
        throw new WorkbenchException("no token counts 'n' (an int tensor or list of " + classes
            + " ints)");
      }
      n[k] = v;
    }
    return n;
  }

  /** Class names stored in the file: a str array or a list of str under {@code classes}. */
  private static List<String> fileClasses(TensorTree tree) {
    List<String> names = textList(tree.meta("classes"));
    if (names != null) {
      return names;
    }
    List<String> out = new ArrayList<>();
    for (int k = 0; tree.meta("classes." + k) instanceof String s; k++) {
      out.add(s);
    }
    return out.isEmpty() ? null : out;
  }

  private static List<String> names(List<String> given, List<String> inFile, int classes) {
    List<String> names = given != null && !given.isEmpty() ? given : inFile;
    if (names == null) {
      names = new ArrayList<>();
      for (int i = 0; i < classes; i++) {
        names.add("class" + i);
      }
    }
    if (names.size() != classes) {
      throw new WorkbenchException(names.size() + " class names (" + String.join(",", names)
          + ") for " + classes + " classes in over_zero");
    }
    return names;
  }

  private static long[] integers(Tensor t, String what) {
    switch (t.dtype()) {
      case I8, U8, I16, U16, I32, U32, I64, U64, BOOL:
        return t.toLongArray();
      default:
        throw new WorkbenchException(what + " must hold integer counts, is " + t);
    }
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
