package io.anw.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.anw.GradMode;
import io.anw.WorkbenchException;
import io.anw.tensor.DType;
import io.anw.tensor.Tensor;
import io.anw.tensor.TensorFiles;
import io.anw.tensor.TensorTree;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/**
 * Where and how often a training run saves everything it needs to continue: every array of the
 * run's state (parameters, optimiser moments, the EMA target, heads and predictors, by name),
 * the step reached, the loss (and metric) of every step so far, the state of the run's
 * {@link Random} and of its batch sampler, and the wall time spent. A run started with the same
 * checkpoint file continues from the last snapshot and ends with the very weights an
 * uninterrupted run gives (with the same thread count). The file is a safetensors file written
 * atomically (temporary name, then rename); it is deleted when the run completes.
 *
 * @param file the snapshot file ({@code .safetensors})
 * @param every steps between snapshots (at least 1)
 */
public record TrainingCheckpoint(Path file, int every) {
  private static final String ARRAY = "state.";

  /** Checks the interval. */
  public TrainingCheckpoint {
    if (every < 1) {
      throw new WorkbenchException("checkpoint interval must be at least 1 step, got " + every);
    }
  }

  /**
   * The counters and histories of a run at a step boundary.
   *
   * @param stepsDone optimiser steps completed
   * @param wallSeconds wall time of those steps, over all sessions
   * @param losses loss of each completed step
   * @param metric a per-step metric (e.g. training accuracy; empty if none)
   * @param random the serialised state of the run's {@link Random}
   * @param samplerOrder the sampler's current order of each length group
   * @param samplerCursor the sampler's position in each group
   * @param optimizerSteps the optimiser's step count (bias correction)
   */
  public record Progress(int stepsDone, double wallSeconds, float[] losses, double[] metric,
      byte[] random, int[][] samplerOrder, int[] samplerCursor, int optimizerSteps) {}

  /** Whether a snapshot is due after {@code stepsDone} of {@code total} steps (not after the last). */
  public boolean due(int stepsDone, int total) {
    return stepsDone % every == 0 && stepsDone < total;
  }

  /**
   * Writes a snapshot atomically.
   *
   * @param fingerprint identifies the run (name, recipe, settings, data); a resume must match
   * @param live the run's state arrays by name, read as they are now
   */
  public void save(String fingerprint, Progress p, Map<String, NDArray> live) {
    GradMode.disableOnCurrentThread();
    TensorTree.Builder b = TensorTree.builder(file.toString(), "safetensors");
    try (NDManager scratch = NDManager.newBaseManager()) {
      for (Map.Entry<String, NDArray> e : live.entrySet()) {
        NDArray view = e.getValue().get(scratch, new ai.djl.ndarray.index.NDIndex(":"));
        b.tensor(ARRAY + e.getKey(), Tensor.of(view.toType(DataType.FLOAT32, true)));
      }
    }
    b.tensor("losses", Tensor.ofFloats(p.losses(), p.losses().length));
    b.tensor("metric", Tensor.ofDoubles(p.metric(), p.metric().length));
    b.tensor("random", Tensor.of(DType.U8, new long[] {p.random().length}, p.random()));
    long[] cursor = new long[p.samplerCursor().length];
    for (int g = 0; g < cursor.length; g++) {
      cursor[g] = p.samplerCursor()[g];
      int[] order = p.samplerOrder()[g];
      long[] o = new long[order.length];
      for (int i = 0; i < o.length; i++) {
        o[i] = order[i];
      }
      b.tensor("sampler.order." + g, Tensor.ofLongs(o, o.length));
    }
    b.tensor("sampler.cursor", Tensor.ofLongs(cursor, cursor.length));
    b.meta("fingerprint", fingerprint);
    b.meta("steps_done", (long) p.stepsDone());
    b.meta("optimizer_steps", (long) p.optimizerSteps());
    b.meta("wall_seconds", Double.toString(p.wallSeconds()));
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    TensorFiles.write(file, b.build());
  }

  /**
   * Restores the last snapshot into the live arrays (in place), or returns null when there is
   * no snapshot file.
   *
   * @throws WorkbenchException naming the file when it belongs to another run or lacks arrays
   */
  public Progress restore(String fingerprint, Map<String, NDArray> live) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    GradMode.disableOnCurrentThread();
    TensorTree tree = TensorFiles.read(file);
    Object saved = tree.meta("fingerprint");
    if (saved == null || !saved.toString().equals(fingerprint)) {
      throw new WorkbenchException(file + ": a checkpoint of another run (" + saved
          + "; this run is " + fingerprint + "); delete it to start afresh");
    }
    for (Map.Entry<String, NDArray> e : live.entrySet()) {
      Tensor t = tree.tensors().get(ARRAY + e.getKey());
      if (t == null || !t.djlShape().equals(e.getValue().getShape())) {
        throw new WorkbenchException(file + ": " + (t == null ? "no array " : "wrong shape for ")
            + e.getKey());
      }
      // copied into the live array's own (PyTorch) storage, in place
      try (NDArray values = io.anw.TorchArrays.of(e.getValue().getManager(), t.toFloatArray(),
          t.djlShape())) {
        e.getValue().set(new ai.djl.ndarray.index.NDIndex("..."), values);
      }
    }
    int groups = tree.tensor("sampler.cursor").toIntArray().length;
    int[][] order = new int[groups][];
    for (int g = 0; g < groups; g++) {
      order[g] = tree.tensor("sampler.order." + g).toIntArray();
    }
    return new Progress(Integer.parseInt(tree.meta("steps_done").toString()),
        Double.parseDouble(tree.meta("wall_seconds").toString()),
        tree.tensor("losses").toFloatArray(), tree.tensor("metric").toDoubleArray(),
        toBytes(tree.tensor("random")), order, tree.tensor("sampler.cursor").toIntArray(),
        Integer.parseInt(tree.meta("optimizer_steps").toString()));
  }

  /** Removes the snapshot (the run completed). */
  public void delete() {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] toBytes(Tensor t) {
    java.nio.ByteBuffer buf = t.contiguousBytes();
    byte[] out = new byte[buf.remaining()];
    buf.get(out);
    return out;
  }

  /** The state of a {@link Random}, serialised (its seed and Gaussian cache). */
  public static byte[] save(Random rnd) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(rnd);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * A {@link Random} continuing from a saved state. Only {@code java.util.Random} is accepted
   * by the deserialisation filter: a tampered file cannot make it build other objects.
   */
  public static Random restoreRandom(byte[] state) {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(state))) {
      in.setObjectInputFilter(ObjectInputFilter.Config.createFilter(
          "java.util.Random;maxdepth=2;maxrefs=4;!*"));
      Object o = in.readObject();
      if (o.getClass() != Random.class) {
        throw new WorkbenchException("checkpoint: random state is a " + o.getClass().getName());
      }
      return (Random) o;
    } catch (IOException | ClassNotFoundException e) {
      throw new WorkbenchException("checkpoint: unreadable random state (" + e.getMessage()
          + ")", e);
    }
  }
}
