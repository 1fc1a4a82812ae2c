package io.anw.train;

import io.anw.WorkbenchException;
import java.util.Random;

/**
 * Clip activations of a dataset as an endless sequence of epochs, each in its own shuffled
 * clip order ({@code seed} and the epoch number fix it), for the mixing buffer. Its position is
 * (epoch, clips of the epoch consumed); seeking there starts the epoch's pass at that clip.
 */
public final class EpochSource implements MixingBuffer.Source, AutoCloseable {
  private final HookActivations acts;
  private final long seed;
  private int epoch;
  private HookActivations.ClipIterator pass;
  private int passStart;
  private int emptyEpochs;

  /** Epochs over {@code acts}, clip orders drawn from {@code seed}. */
  public EpochSource(HookActivations acts, long seed) {
    this.acts = acts;
    this.seed = seed;
  }

  /** The clip order of an epoch: a permutation of the dataset positions. */
  public int[] order(int e) {
    return Trainers.permutation(acts.clips(), new Random(seed * 1_000_003L + e));
  }

  @Override
  public float[] next() {
    while (true) {
      if (pass == null) {
        pass = acts.epoch(order(epoch), passStart);
      }
      if (pass.hasNext()) {
        emptyEpochs = 0;
        return pass.next().rows();
      }
      pass.close();
      pass = null;
      passStart = 0;
      epoch++;
      if (++emptyEpochs > 1) {
        throw new WorkbenchException("no clip of the data could be read");
      }
    }
  }

  @Override
  public long[] position() {
    return new long[] {epoch, pass == null ? passStart : pass.position()};
  }

  @Override
  public void seek(long[] position) {
    if (pass != null) {
      pass.close();
      pass = null;
    }
    epoch = (int) position[0];
    passStart = (int) position[1];
  }

  @Override
  public void close() {
    if (pass != null) {
      pass.close();
      pass = null;
    }
  }
}
