package io.anw.cli;

import io.anw.tensor.TensorFiles;
import io.anw.tensor.TensorTree;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code workbench convert IN OUT}: rewrites any tensor file as .safetensors (or .npz/.npy/.pt). */
@Command(name = "convert", mixinStandardHelpOptions = true,
    description = "Convert a tensor file to OUT.safetensors (or .npz/.npy/.pt/.pth): dtypes kept, keys flattened "
        + "(model.blocks.0.mlp.fc1.weight), non-tensor leaves stored as strings in __metadata__.")
public final class ConvertCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "IN", description = "Input: .safetensors, .pt/.pth, .npy, .npz.")
  Path in;

  @Parameters(index = "1", paramLabel = "OUT", description = "Output file: .safetensors, .npz, .npy, .pt or .pth.")
  Path out;

  @Override
  public Integer call() {
    TensorTree tree = TensorFiles.read(in);
    TensorFiles.write(out, tree);
    System.out.printf("%s: %d tensors, %d metadata entries -> %s%n", tree.source(), tree.tensors().size(),
        tree.metadata().size(), out);
    return 0;
  }
}
