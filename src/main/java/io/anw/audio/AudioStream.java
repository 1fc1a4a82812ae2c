package io.anw.audio;

import io.anw.WorkbenchException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Mono samples read block by block, so that a recording of any length is decoded, resampled
 * and turned into log-mels in bounded memory: a file's decoder ({@link AudioFiles#open}), a
 * resampler over another stream ({@link Resampler#stream}), or samples in memory
 * ({@link #of(float[], int)}).
 *
 * <p>Not thread-safe; close it to release the file.
 */
public interface AudioStream extends AutoCloseable {
  /** Samples per second (Hz). */
  int sampleRate();

  /** The number of samples the stream yields in all (from the header), or -1 if unknown. */
  long length();

  /** The file read, or null for samples in memory. */
  Path source();

  /**
   * Reads up to {@code len} samples into {@code buf[off..]}.
   *
   * @return samples read (at least 1 while any are left), or -1 at the end
   * @throws WorkbenchException naming the file when its data are broken
   */
  int read(float[] buf, int off, int len);

  /** Releases the file; never throws. */
  @Override
  void close();

  /** Duration in seconds from {@link #length()}, or NaN when unknown. */
  default double seconds() {
    return length() < 0 ? Double.NaN : length() / (double) sampleRate();
  }

  /**
   * Reads every remaining sample (for clips that fit in memory).
   *
   * @throws WorkbenchException when the stream is longer than a Java array holds
   */
  default float[] readAll() {
    long n = length();
    float[] out = new float[(int) Math.min(Math.max(n, 4096), Integer.MAX_VALUE - 8)];
    int size = 0;
    while (true) {
      if (size == out.length) {
        if (out.length >= Integer.MAX_VALUE - 8) {
          throw new WorkbenchException((source() == null ? "audio" : source().toString())
              + ": too long to hold in memory at once");
        }
        out = Arrays.copyOf(out, (int) Math.min((long) out.length * 2, Integer.MAX_VALUE - 8));
      }
      int r = read(out, size, out.length - size);
      if (r < 0) {
        break;
      }
      size += r;
    }
    return size == out.length ? out : Arrays.copyOf(out, size);
  }

  /** Reads the whole stream as a clip (labelled later by the caller). */
  default Clip readClip() {
    return new Clip(readAll(), sampleRate(), null, source(), null);
  }

  /** The samples of a clip as a stream (not copied). */
  static AudioStream of(Clip clip) {
    return of(clip.samples(), clip.sampleRate(), clip.source());
  }

  /** Samples in memory as a stream (not copied). */
  static AudioStream of(float[] samples, int sampleRate) {
    return of(samples, sampleRate, null);
  }

  /** Samples in memory as a stream (not copied), named after {@code source} in messages. */
  static AudioStream of(float[] samples, int sampleRate, Path source) {
    return new AudioStream() {
      private int pos;

      @Override
      public int sampleRate() {
        return sampleRate;
      }

      @Override
      public long length() {
        return samples.length;
      }

      @Override
      public Path source() {
        return source;
      }

      @Override
      public int read(float[] buf, int off, int len) {
        if (pos >= samples.length) {
          return -1;
        }
        int n = Math.min(len, samples.length - pos);
        System.arraycopy(samples, pos, buf, off, n);
        pos += n;
        return n;
      }

      @Override
      public void close() {}
    };
  }

  /**
   * The first {@code n} samples of {@code in}, zero-padded when it is shorter (EVAR's fixed
   * clip length); the rest of {@code in} is not read.
   */
  static AudioStream fixedLength(AudioStream in, long n) {
    return new AudioStream() {
      private long pos;
      private boolean ended;

      @Override
      public int sampleRate() {
        return in.sampleRate();
      }

      @Override
      public long length() {
        return n;
      }

      @Override
      public Path source() {
        return in.source();
      }

      @Override
      public int read(float[] buf, int off, int len) {
        if (pos >= n) {
          return -1;
        }
        int want = (int) Math.min(len, n - pos);
        int r = ended ? -1 : in.read(buf, off, want);
        if (r < 0) {
          ended = true;
          Arrays.fill(buf, off, off + want, 0f);
          r = want;
        }
        pos += r;
        return r;
      }

      @Override
      public void close() {
        in.close();
      }
    };
  }
}
