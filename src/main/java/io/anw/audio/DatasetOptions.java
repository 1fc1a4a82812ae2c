package io.anw.audio;

/**
 * How a {@link Dataset} is read and loaded.
 *
 * @param sampleRate rate clips are resampled to on loading (Hz)
 * @param clipSeconds fixed clip length in seconds (crop the start / zero-pad the end, as EVAR
 *     does), or 0 to keep each clip's own length
 * @param testFraction share of each class put in the {@code test} split when the data has no
 *     {@code split} column (stratified)
 * @param seed seed of that split
 * @param skipBad whether bad rows and undecodable files are skipped and reported instead of
 *     failing
 * @param threads decoding threads when loading
 * @param prefetch most decoded clips held ahead of the consumer (the bounded queue)
 */
public record DatasetOptions(int sampleRate, double clipSeconds, double testFraction, long seed,
    boolean skipBad, int threads, int prefetch) implements java.io.Serializable {

  /** Checks ranges. */
  public DatasetOptions {
    if (sampleRate <= 0 || clipSeconds < 0 || !(testFraction >= 0 && testFraction < 1)
        || threads <= 0 || prefetch <= 0) {
      throw new IllegalArgumentException("bad dataset options");
    }
  }

  /** 16 kHz, own lengths, 20% test split with seed 42, strict, all cores, 32 clips ahead. */
  public static DatasetOptions defaults() {
    return new DatasetOptions(AudioFiles.MODEL_RATE, 0, 0.2, 42, false,
        Math.max(1, Runtime.getRuntime().availableProcessors()), 32);
  }

  /** These options with a fixed clip length (seconds; 0 keeps own lengths). */
  public DatasetOptions withClipSeconds(double seconds) {
    return new DatasetOptions(sampleRate, seconds, testFraction, seed, skipBad, threads, prefetch);
  }

  /** These options with another split seed. */
  public DatasetOptions withSeed(long newSeed) {
    return new DatasetOptions(sampleRate, clipSeconds, testFraction, newSeed, skipBad, threads, prefetch);
  }

  /** These options with another test share. */
  public DatasetOptions withTestFraction(double fraction) {
    return new DatasetOptions(sampleRate, clipSeconds, fraction, seed, skipBad, threads, prefetch);
  }

  /** These options with bad rows skipped (true) or fatal (false). */
  public DatasetOptions withSkipBad(boolean skip) {
    return new DatasetOptions(sampleRate, clipSeconds, testFraction, seed, skip, threads, prefetch);
  }

  /** These options with another number of decoding threads and prefetch depth. */
  public DatasetOptions withLoading(int newThreads, int newPrefetch) {
    return new DatasetOptions(sampleRate, clipSeconds, testFraction, seed, skipBad, newThreads, newPrefetch);
  }

  /** These options resampling to another rate (Hz). */
  public DatasetOptions withSampleRate(int rate) {
    return new DatasetOptions(rate, clipSeconds, testFraction, seed, skipBad, threads, prefetch);
  }
}
