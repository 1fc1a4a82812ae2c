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

/**
 * {@code workbench inspect FILE|DIR}: lists a tensor file's tensors (key, dtype, shape), then its
 * metadata; for a Hugging Face audio model folder, its architecture first.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = "List the tensors of a .safetensors/.pt/.pth/.npy/.npz file: key, dtype, shape; "
        + "then the non-tensor metadata. For a Hugging Face audio model folder (config.json + "
        + "weights: HuBERT, wav2vec 2.0, Whisper, AST), its architecture, sizes and neurons.")
public final class InspectCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE|DIR", description = "The tensor file or model folder.")
  Path file;

  @Override
  public Integer call() {
    if (java.nio.file.Files.isDirectory(file)) {
      io.anw.model.HfAudioConfig hf = io.anw.model.HfAudioConfig.read(file);
      TensorTree weights = TensorFiles.read(hf.weights());
      System.out.printf("%s: Hugging Face %s model folder%n", file, hf.family().modelType());
      hf.describe().forEach(line -> System.out.println("  " + line));
      java.util.Set<String> dtypes = new java.util.TreeSet<>();
      weights.tensors().values().forEach(t -> dtypes.add(t.dtype().toString()));
      System.out.printf("  weights: %s, %d tensors, %,d values (%s)%n",
          hf.weights().getFileName(), weights.tensors().size(), weights.totalElements(),
          String.join(", ", dtypes));
      return 0;
    }
    TensorTree tree = TensorFiles.read(file);
    System.out.printf("%s: %s, %d tensors, %,d values%n", tree.source(), tree.format(), tree.tensors().size(),
        tree.totalElements());
    for (Map.Entry<String, Tensor> e : tree.tensors().entrySet()) {
      Tensor t = e.getValue();
      System.out.println(e.getKey() + "\t" + t.dtype() + "\t" + Arrays.toString(t.shape()));
    }
    io.anw.model.HfAudioConfig whisper = io.anw.model.HfAudioConfig.ofWhisperCheckpoint(file,
        tree.metadataText());
    if (whisper != null) {
      System.out.println("an OpenAI Whisper checkpoint; its encoder:");
      whisper.describe().stream().skip(1).forEach(line -> System.out.println("  " + line));
    }
    if (!tree.metadata().isEmpty()) {
      System.out.println("metadata:");
      tree.metadataText().forEach((k, v) -> System.out.println(k + "\t" + v.replace("\n", "\\n")));
    }
    return 0;
  }
}
