package io.anw.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.anw.WorkbenchException;
import io.anw.tensor.Tensor;
import io.anw.tensor.TensorFiles;
import io.anw.tensor.TensorTree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Loads models from checkpoint files: an M2D {@code .pth} ({@code {'model': state_dict,
 * 'args': Namespace}}, EVAR prefixes), a bare state dict, or safetensors. Sizes come from the
 * tensors and the checkpoint's folder name ({@link ModelConfig#fromCheckpointPath}).
 */
public final class ModelFiles {
  private ModelFiles() {}

  /** Loads an M2D ViT from {@code file}; loader notes are printed to stderr. */
  public static M2dViT loadM2d(Path file) {
    return loadM2d(file, ModelConfig.fromCheckpointPath(file));
  }

  /** Loads an M2D ViT from {@code file} with an explicit config (unit length, heads, stats). */
  public static M2dViT loadM2d(Path file, ModelConfig config) {
    if (!Files.isRegularFile(file)) {
      throw new WorkbenchException(file + ": no such model file");
    }
    TensorTree tree = TensorFiles.read(file);
    try (NDManager staging = NDManager.newBaseManager()) {
      // A training checkpoint also holds the optimizer state (twice the model's size): convert
      // only the model's own entries when it is wrapped as {'model': ...}.
      boolean wrapped = tree.tensors().keySet().stream().anyMatch(k -> k.startsWith("model."));
      Map<String, NDArray> tensors = new LinkedHashMap<>();
      for (Map.Entry<String, Tensor> e : tree.tensors().entrySet()) {
        String key = e.getKey();
        if (!wrapped || key.startsWith("model.") || key.equals("norm_stats")) {
          tensors.put(key, e.getValue().toNDArray(staging));
        }
      }
      M2dViT model = M2dViT.fromStateDict(tensors, config, null);
      model.notes().forEach(n -> System.err.println("note: " + n));
      return model;
    }
  }
}
