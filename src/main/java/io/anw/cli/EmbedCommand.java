package io.anw.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.anw.GradMode;
import io.anw.activation.DatasetInputs;
import io.anw.audio.AudioFiles;
import io.anw.audio.Clip;
import io.anw.audio.LogMelPreset;
import io.anw.model.M2dViT;
import io.anw.model.PartedInput;
import io.anw.model.ModelFiles;
import io.anw.model.SceneEmbedder;
import io.anw.tensor.Tensor;
import io.anw.tensor.TensorFiles;
import io.anw.tensor.TensorTree;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code workbench embed --model CKPT AUDIO... --out OUT.npy}: scene embeddings (time-mean of
 * the stacked features) of audio files, float32 {@code [files, fbins·D]}, rows in argument order.
 */
@Command(name = "embed", mixinStandardHelpOptions = true,
    description = "Write scene embeddings of audio files as float32 .npy [files, fbins*D].")
public final class EmbedCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "CKPT", description = "Checkpoint.")
  Path model;

  @Parameters(arity = "1..*", paramLabel = "AUDIO", description = "WAV/FLAC files.")
  List<Path> audio;

  @Option(names = "--out", required = true, paramLabel = "OUT.npy", description = "Output.")
  Path out;

  @Option(names = "--batch", defaultValue = "8", description = "Clips per forward pass.")
  int batch;

  @Option(names = "--caption", paramLabel = "TEXT",
      description = "The caption an audio-text model reads with every file (default: none).")
  String caption;

  @Override
  public Integer call() {
    GradMode.disableOnCurrentThread();
    float[][] embeddings;
    try (M2dViT m = ModelFiles.loadM2d(model); NDManager manager = NDManager.newBaseManager()) {
      var front = DatasetInputs.frontEnd(m, LogMelPreset.M2D_16K);
      if (caption != null && m.textPathway().isEmpty()) {
        throw new io.anw.WorkbenchException(model + ": an audio-only model reads no caption");
      }
      List<PartedInput> inputs = new ArrayList<>();
      for (Path file : audio) {
        Clip clip = AudioFiles.read(file, LogMelPreset.M2D_16K.sampleRate());
        NDArray lm = io.anw.TorchArrays.of(manager, front.apply(clip));
        inputs.add(caption == null ? PartedInput.audio(lm)
            : PartedInput.of(lm, io.anw.TorchArrays.of(manager,
                m.textPathway().get().ids(caption))));
      }
      embeddings = SceneEmbedder.sceneEmbeddingsOf(m, inputs, batch);
    }
    int dim = embeddings[0].length;
    float[] flat = new float[embeddings.length * dim];
    for (int i = 0; i < embeddings.length; i++) {
      System.arraycopy(embeddings[i], 0, flat, i * dim, dim);
    }
    TensorFiles.write(out, TensorTree.builder(out.toString(), "npy")
        .tensor("embeddings", Tensor.ofFloats(flat, embeddings.length, dim)).build());
    System.out.printf("wrote %s: [%d, %d] scene embeddings%n", out, embeddings.length, dim);
    return 0;
  }
}
