package io.anw.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.anw.GradMode;
import io.anw.activation.DatasetInputs;
import io.anw.audio.AudioFiles;
import io.anw.model.AudioModel;
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
  @Option(names = "--model", required = true, paramLabel = "CKPT",
      description = ModelOption.DESCRIPTION)
  Path model;

  @Parameters(arity = "1..*", paramLabel = "AUDIO", description = "WAV/FLAC files.")
  List<Path> audio;

  @Option(names = "--out", required = true, paramLabel = "OUT.npy", description = "Output.")
  Path out;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "" + io.anw.model.Batcher.DEFAULT_BATCH,
      description = "Clips per forward pass.")
  int batch;

  @Option(names = "--caption", paramLabel = "TEXT",
      description = "The caption an audio-text model reads with every file (default: none).")
  String caption;

  @Override
  public Integer call() {
    GradMode.disableOnCurrentThread();
    OptionChecks.atLeast("--batch", batch, 1);
    float[][] embeddings = new float[audio.size()][];
    try (AudioModel m = ModelFiles.load(model); NDManager manager = NDManager.newBaseManager()) {
      if (caption != null && m.textPathway().isEmpty()) {
        throw new io.anw.WorkbenchException(model + ": an audio-only model reads no caption");
      }
      long[] ids = caption == null ? null : m.textPathway().get().ids(caption);
      int segment = io.anw.activation.CountRun.segmentFrames(m);
      List<PartedInput> inputs = new ArrayList<>();
      List<Integer> at = new ArrayList<>();
      for (int i = 0; i < audio.size(); i++) {
        Path file = audio.get(i);
        try (DatasetInputs.Frames frames = DatasetInputs.frames(m,
            io.anw.audio.AudioFiles.open(file))) {
          if (frames.total() <= segment) { // short clips run together, in batches
            NDArray lm = io.anw.TorchArrays.of(manager, frames.next(segment));
            inputs.add(ids == null ? PartedInput.audio(lm)
                : PartedInput.of(lm, io.anw.TorchArrays.of(manager, ids)));
            at.add(i);
          } else { // a long recording streams through the model segment by segment
            embeddings[i] = streamed(m, frames, ids, segment, file);
          }
        }
      }
      float[][] shortOnes = SceneEmbedder.sceneEmbeddingsOf(m, inputs, batch);
      for (int k = 0; k < at.size(); k++) {
        embeddings[at.get(k)] = shortOnes[k];
      }
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

  /** The scene embedding of one long recording, a segment of frames at a time. */
  private static float[] streamed(AudioModel m, DatasetInputs.Frames frames, long[] ids,
      int segment, Path file) {
    double perFrame = frames.seconds() / frames.total();
    try (Progress bar = Progress.start("embed " + file.getFileName(), frames.seconds(),
        "s of audio"); Segments segments = new Segments(frames, ids, segment)) {
      segments.onEach = () -> bar.at(frames.done() * perFrame);
      return SceneEmbedder.sceneEmbedding(m, segments);
    }
  }

  /** Model inputs of consecutive segments; each segment's arrays are freed at the next. */
  private static final class Segments implements java.util.Iterator<PartedInput>,
      AutoCloseable {
    private final DatasetInputs.Frames frames;
    private final long[] ids;
    private final int segment;
    private NDManager scope;
    private float[][] next;
    Runnable onEach = () -> { };

    Segments(DatasetInputs.Frames frames, long[] ids, int segment) {
      this.frames = frames;
      this.ids = ids;
      this.segment = segment;
      this.next = frames.next(segment);
    }

    @Override
    public boolean hasNext() {
      return next != null;
    }

    @Override
    public PartedInput next() {
      close();
      scope = NDManager.newBaseManager();
      NDArray lm = io.anw.TorchArrays.of(scope, next);
      onEach.run();
      next = frames.next(segment);
      return ids == null ? PartedInput.audio(lm)
          : PartedInput.of(lm, io.anw.TorchArrays.of(scope, ids));
    }

    @Override
    public void close() {
      if (scope != null) {
        scope.close();
        scope = null;
      }
    }
  }
}
