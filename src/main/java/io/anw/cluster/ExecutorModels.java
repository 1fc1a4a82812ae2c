package io.anw.cluster;

import io.anw.WorkbenchException;
import io.anw.model.AudioModel;
import io.anw.model.ModelFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The models (and sparse autoencoders) an executor JVM has loaded, one per file (path, size and
 * modification time): every task of a job on that executor shares it, so a model is read once
 * per executor, not once per task. They live as long as the executor.
 */
public final class ExecutorModels {
  private static final Map<String, AudioModel> MODELS = new ConcurrentHashMap<>();
  private static final Map<String, io.anw.sae.SparseAutoencoder> SAES =
      new ConcurrentHashMap<>();
  private static final AtomicInteger LOADS = new AtomicInteger();

  private ExecutorModels() {}

  /**
   * The model of {@code checkpoint} (an M2D file, a Hugging Face folder or a Whisper .pt),
   * loaded on first use in this JVM.
   */
  public static AudioModel get(Path checkpoint) {
    return MODELS.computeIfAbsent(key(checkpoint), k -> {
      LOADS.incrementAndGet();
      return ModelFiles.load(checkpoint);
    });
  }

  /** The SAE saved in folder {@code dir}, loaded on first use in this JVM. */
  public static io.anw.sae.SparseAutoencoder sae(Path dir) {
    return SAES.computeIfAbsent(key(dir.resolve(io.anw.sae.SaeFiles.WEIGHTS)),
        k -> io.anw.sae.SaeFiles.load(dir));
  }

  /** How many checkpoints this JVM has loaded so far. */
  public static int loads() {
    return LOADS.get();
  }

  /** Path, size and modification time of a file, or of every file of a model folder. */
  private static String key(Path checkpoint) {
    if (!Files.isRegularFile(checkpoint) && !Files.isDirectory(checkpoint)) {
      throw new WorkbenchException(checkpoint + ": no such file or folder");
    }
    try {
      Path p = checkpoint.toAbsolutePath().normalize();
      if (Files.isDirectory(p)) {
        StringBuilder k = new StringBuilder(p.toString());
        try (java.util.stream.Stream<Path> files = Files.list(p)) {
          for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
            k.append('|').append(f.getFileName()).append(':').append(Files.size(f))
                .append(':').append(Files.getLastModifiedTime(f).toMillis());
          }
        }
        return k.toString();
      }
      return p + "|" + Files.size(p) + "|" + Files.getLastModifiedTime(p).toMillis();
    } catch (IOException e) {
      throw new WorkbenchException(checkpoint + ": cannot read the model (" + e.getMessage()
          + ")");
    }
  }
}
