package io.anw.neuron;

import io.anw.WorkbenchException;
import io.anw.tensor.DType;
import io.anw.tensor.Tensor;
import io.anw.tensor.TensorFiles;
import io.anw.tensor.TensorTree;
import io.anw.tensor.TorchWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The neuron masks of the official LAPE code (Tang et al. 2024, {@code identify.py}):
 * {@code torch.save} of a {@code List[List[LongTensor]]}, {@code mask[c][l]} the ascending
 * indices of the neurons of layer {@code l} specific to class (language) {@code c}; every layer
 * is present (empty tensors where none). The published files ({@code LLaMA-2-7B.neuron.pth},
 * ...) use the languages {@link #LAPE_LANGUAGES} in that order. The file names no classes, so
 * the reader takes them from the caller.
 */
public final class LapeMasks {
  /** The class order of the LAPE authors' published masks: en, zh, fr, es, vi, id, ja. */
  public static final List<String> LAPE_LANGUAGES = List.of("en", "zh", "fr", "es", "vi", "id", "ja");

  private static final Pattern KEY = Pattern.compile("(\\d+)\\.(\\d+)");

  private LapeMasks() {}

  /**
   * Reads a mask file.
   *
   * @param classNames one name per class of the file, in file order; null or empty for
   *     {@code class0}, {@code class1}, ...
   */
  public static ClassNeurons read(Path file, List<String> classNames) {
    TensorTree tree = TensorFiles.read(file);
    String name = file.getFileName().toString();
    try {
      return fromTree(name, tree, classNames);
    } catch (WorkbenchException e) {
      throw e.getMessage().startsWith(name) ? e
          : new WorkbenchException(name + ": " + e.getMessage(), e);
    }
  }

  /** A mask from a tree read elsewhere (keys {@code <class>.<layer>}, 1-d integer tensors). */
  public static ClassNeurons fromTree(String name, TensorTree tree, List<String> classNames) {
    if (!tree.metadata().isEmpty()) {
      String key = tree.metadata().keySet().iterator().next();
      throw new WorkbenchException("not a LAPE mask (List[List[LongTensor]]): holds a non-tensor"
          + " value at '" + key + "'");
    }
    int classes = 0;
    int layers = 0;
    Map<Long, Tensor> cells = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : tree.tensors().entrySet()) {
      Matcher m = KEY.matcher(e.getKey());
      if (!m.matches()) {
        throw new WorkbenchException("not a LAPE mask (List[List[LongTensor]]): tensor at '"
            + e.getKey() + "'");
      }
      int c = Integer.parseInt(m.group(1));
      int l = Integer.parseInt(m.group(2));
      classes = Math.max(classes, c + 1);
      layers = Math.max(layers, l + 1);
      cells.put(((long) c << 32) | l, e.getValue());
    }
    if (cells.isEmpty()) {
      throw new WorkbenchException("not a LAPE mask: no tensors");
    }
    if (cells.size() != (long) classes * layers) {
      throw new WorkbenchException("not a LAPE mask: " + cells.size() + " tensors for " + classes
          + " classes x " + layers + " layers (every class needs every layer)");
    }
    List<String> names = classNames == null || classNames.isEmpty() ? defaultNames(classes)
        : classNames;
    if (names.size() != classes) {
      throw new WorkbenchException("the mask has " + classes + " classes, " + names.size()
          + " names given (" + String.join(",", names) + ")");
    }
    if (names.stream().distinct().count() != names.size()) {
      throw new WorkbenchException("class names repeat: " + names);
    }
    Map<String, List<Neuron>> sets = new LinkedHashMap<>();
    for (int c = 0; c < classes; c++) {
      List<Neuron> ns = new ArrayList<>();
      for (int l = 0; l < layers; l++) {
        Tensor t = cells.get(((long) c << 32) | l);
        if (t.rank() != 1 || !isInteger(t.dtype())) {
          throw new WorkbenchException("mask[" + c + "][" + l + "] is " + t
              + ", not a 1-d integer tensor of neuron indices");
        }
        for (long j : t.toLongArray()) {
          if (j < 0 || j > Integer.MAX_VALUE) {
            throw new WorkbenchException("mask[" + c + "][" + l + "] holds neuron index " + j);
          }
          ns.add(new Neuron(l, (int) j));
        }
      }
      sets.put(names.get(c), ns);
    }
    return ClassNeurons.of(name, layers, sets);
  }

  /**
   * Writes the official layout: classes in the sets' order, each a list of one int64 tensor per
   * layer 0 .. layers-1 (empty where none), indices ascending. Atomic.
   */
  public static Path write(ClassNeurons sets, Path file) {
    return TorchWriter.write(file, layout(sets));
  }

  /** Writes a selection's neuron sets in the official layout (classes in selection order). */
  public static Path write(NeuronSelection selection, Path file) {
    return write(selection.neuronSets(), file);
  }

  /** The {@code List[List[LongTensor]]} of {@code sets}, as {@link TorchWriter} writes it. */
  static List<List<Tensor>> layout(ClassNeurons sets) {
    List<List<Tensor>> out = new ArrayList<>();
    for (String c : sets.classes()) {
      List<Tensor> perLayer = new ArrayList<>();
      for (int l = 0; l < sets.layers(); l++) {
        long[] idx = sets.indices(c, l);
        perLayer.add(Tensor.ofLongs(idx, idx.length));
      }
      out.add(perLayer);
    }
    return out;
  }

  private static boolean isInteger(DType d) {
    return switch (d) {
      case I8, U8, I16, U16, I32, U32, I64, U64 -> true;
      default -> false;
    };
  }

  private static List<String> defaultNames(int classes) {
    List<String> out = new ArrayList<>();
    for (int c = 0; c < classes; c++) {
      out.add("class" + c);
    }
    return out;
  }
}
