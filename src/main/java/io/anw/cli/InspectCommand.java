package io.anw.cli;

import io.anw.tensor.Tensor;
import io.anw.tensor.TensorFiles;
import io.anw.tensor.TensorTree;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code workbench inspect FILE}: lists a tensor file's tensors (key, dtype, shape), then its metadata. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = "List the tensors of a .safetensors/.pt/.pth/.npy/.npz file: key, dtype, shape; "
        + "then the non-tensor metadata.")
public final class InspectCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE", description = "The tensor file.")
  Path file;

  @Override
  public Integer call() {
    TensorTree tree = TensorFiles.read(file);
    System.out.printf("%s: %s, %d tensors, %,d values%n", tree.source(), tree.format(), tree.tensors().size(),
        tree.totalElements());
    for (Map.Entry<String, Tensor> e : tree.tensors().entrySet()) {
      Tensor t = e.getValue();
      System.out.println(e.getKey() + "\t" + t.dtype() + "\t" + Arrays.toString(t.shape()));
    }
    if (!tree.metadata().isEmpty()) {
      System.out.println("metadata:");
      tree.metadataText().forEach((k, v) -> System.out.println(k + "\t" + v.replace("\n", "\\n")));
    }
    return 0;
  }
}
