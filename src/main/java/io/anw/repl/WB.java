package io.anw.repl;

import io.anw.Version;
import io.anw.tensor.TensorFiles;
import io.anw.tensor.TensorTree;
import java.nio.file.Path;

/**
 * The workbench facade, preloaded in the REPL and in {@code .jsh} scripts: its methods are the
 * table of contents of the tool. Each public method carries {@link Help}, from which
 * {@code :help} is generated.
 */
public final class WB {
  private WB() {}

  /** The versions of the workbench, Java, DJL and the tensor engine, one per line. */
  @Help(value = "Versions of the workbench, Java, DJL and the tensor engine", group = "general",
      example = "WB.versions()")
  public static String versions() {
    return "workbench " + Version.workbench() + "\nJava " + Version.java()
        + "\nDJL " + Version.djl() + "\nengine " + Version.engine();
  }

  /**
   * Opens a tensor file (.safetensors, .pt/.pth, .npy, .npz) as a tree of named tensors and
   * metadata; values stay memory-mapped until used. Printing the result shows a summary.
   */
  @Help(value = "Open a .safetensors/.pt/.pth/.npy/.npz file as named tensors + metadata", group = "tensor",
      example = "WB.load(\"ckpt.pth\")")
  public static TensorTree load(String path) {
    return load(Path.of(path));
  }

  /** {@link #load(String)} for a {@link Path}. */
  @Help(value = "Open a tensor file given as a Path", group = "tensor", example = "WB.load(Path.of(\"ckpt.pth\"))")
  public static TensorTree load(Path path) {
    return TensorFiles.read(path);
  }
}
