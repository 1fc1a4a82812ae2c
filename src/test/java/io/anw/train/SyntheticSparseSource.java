package io.anw.train;

import java.util.Random;

/**
 * Rows made of known sparse directions: each row is the sum of {@code active} of {@code n}
 * random unit directions in {@code d} dimensions, with magnitudes in [1, 2). Blocks are a
 * function of their index, so the source can be sought like a dataset pass.
 */
final class SyntheticSparseSource implements MixingBuffer.Source {
  final float[][] directions;
  private final int d;
  private final int active;
  private final int rowsPerBlock;
  private final long seed;
  private long block;

  SyntheticSparseSource(int d, int n, int active, int rowsPerBlock, long seed) {
    this.d = d;
    this.active = active;
    this.rowsPerBlock = rowsPerBlock;
    this.seed = seed;
    Random r = new Random(seed);
    directions = new float[n][d];
    for (float[] v : directions) {
      double norm = 0;
      for (int j = 0; j < d; j++) {
        v[j] = (float) r.nextGaussian();
        norm += v[j] * v[j];
      }
      for (int j = 0; j < d; j++) {
        v[j] /= (float) Math.sqrt(norm);
      }
    }
  }

  @Override
  public float[] next() {
    Random r = new Random(seed * 7919 + block++);
    float[] out = new float[rowsPerBlock * d];
    for (int i = 0; i < rowsPerBlock; i++) {
      for (int a = 0; a < active; a++) {
        float[] v = directions[r.nextInt(directions.length)];
        float m = 1 + r.nextFloat();
        for (int j = 0; j < d; j++) {
          out[i * d + j] += m * v[j];
        }
      }
    }
    return out;
  }

  @Override
  public long[] position() {
    return new long[] {block};
  }

  @Override
  public void seek(long[] position) {
    block = position[0];
  }
}
