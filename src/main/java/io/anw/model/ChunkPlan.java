package io.anw.model;

import io.anw.WorkbenchException;
import java.util.ArrayList;
import java.util.List;

/**
 * How M2D cuts a log-mel of T frames into forward passes: the frames are zero-padded on the
 * right to a multiple of the patch width, then cut into {@code ceil(T / unit)} chunks of at most
 * {@code unit} frames. With a unit that is a multiple of the patch width, only the last chunk
 * is padded, by {@code (patch - T % unit % patch) % patch} frames; padded patches are ordinary
 * tokens. With other units (1001 frames), each chunk's trailing frames that do not fill a patch
 * are dropped by the patch conv, as in M2D.
 *
 * @param frames input frames T
 * @param unitFrames frames per chunk
 * @param patchTime patch width in frames
 * @param chunks the chunks in time order
 */
public record ChunkPlan(int frames, int unitFrames, int patchTime, List<Chunk> chunks) {

  /**
   * One forward pass.
   *
   * @param index chunk number from 0
   * @param start first input frame
   * @param end one past the last input frame taken from the input
   * @param padFrames zero frames appended after {@code end}
   * @param timePatches time patches of this chunk, {@code (end - start + padFrames) / patch}
   */
  public record Chunk(int index, int start, int end, int padFrames, int timePatches) {
    /** Frames fed to the model, input plus padding. */
    public int length() {
      return end - start + padFrames;
    }
  }

  /** Copies the chunk list. */
  public ChunkPlan {
    chunks = List.copyOf(chunks);
  }

  /** The plan for T frames. */
  public static ChunkPlan of(int frames, int unitFrames, int patchTime) {
    if (frames <= 0) {
      throw new WorkbenchException("log-mel input has no frames");
    }
    if (unitFrames < patchTime) {
      throw new WorkbenchException("unit of " + unitFrames + " frames is shorter than a patch");
    }
    int padded = frames + (patchTime - frames % patchTime) % patchTime;
    int n = (frames + unitFrames - 1) / unitFrames;
    List<Chunk> chunks = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int start = i * unitFrames;
      int stop = Math.min(start + unitFrames, padded);
      int end = Math.min(stop, frames);
      chunks.add(new Chunk(i, start, end, stop - end, (stop - start) / patchTime));
    }
    return new ChunkPlan(frames, unitFrames, patchTime, chunks);
  }

  /**
   * The chunks in groups of consecutive chunks of equal length, each group at most
   * {@code maxGroup} chunks: one forward pass runs a group stacked along the batch axis.
   */
  public List<List<Chunk>> groups(int maxGroup) {
    int most = Math.max(1, maxGroup);
    List<List<Chunk>> groups = new ArrayList<>();
    List<Chunk> current = new ArrayList<>();
    for (Chunk c : chunks) {
      if (!current.isEmpty() && (current.size() == most
          || current.get(0).length() != c.length())) {
        groups.add(List.copyOf(current));
        current.clear();
      }
      current.add(c);
    }
    groups.add(List.copyOf(current));
    return List.copyOf(groups);
  }

  /** Time steps of the stacked output features, the sum of the chunks' time patches. */
  public int timeSteps() {
    return chunks.stream().mapToInt(Chunk::timePatches).sum();
  }
}
