package io.anw.audio;

import io.anw.WorkbenchException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.jflac.ChannelData;
import org.jflac.FLACDecoder;
import org.jflac.frame.Frame;
import org.jflac.metadata.StreamInfo;

/**
 * FLAC reading through jflac: any bit depth and channel count, mixed to mono by the mean. The
 * decoded samples are checked against the stream's MD5 signature when it has one.
 */
public final class FlacFile {
  private FlacFile() {}

  /** Whether {@code head} (the first bytes of a file) starts a FLAC stream. */
  static boolean isFlac(byte[] head) {
    return head.length >= 4 && head[0] == 'f' && head[1] == 'L' && head[2] == 'a' && head[3] == 'C';
  }

  /** Reads the STREAMINFO block of a FLAC file. */
  public static AudioInfo probe(Path file) {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      return info(file, streamInfo(file, new FLACDecoder(in)));
    } catch (IOException | RuntimeException e) {
      throw failure(file, e);
    }
  }

  /** Decodes a FLAC file to a mono clip at the file's sample rate. */
  public static Clip read(Path file) {
    try (AudioStream in = open(file)) {
      return in.readClip();
    }
  }

  /**
   * Opens a FLAC file for decoding frame by frame: mono samples (channels averaged) at the
   * file's rate. Bad frames, a short stream and a wrong MD5 signature are reported when the
   * end is reached (they are known only then).
   */
  public static AudioStream open(Path file) {
    InputStream in = null;
    try {
      in = new BufferedInputStream(Files.newInputStream(file));
      FLACDecoder dec = new FLACDecoder(in);
      StreamInfo si = streamInfo(file, dec);
      return new Stream(file, in, dec, si, info(file, si));
    } catch (IOException | RuntimeException e) {
      closeQuietly(in);
      throw failure(file, e);
    }
  }

  private static void closeQuietly(InputStream in) {
    if (in != null) {
      try {
        in.close();
      } catch (IOException e) {
        // nothing to do
      }
    }
  }

  /** Decoded FLAC frames handed out sample by sample. */
  private static final class Stream implements AudioStream {
    private final Path file;
    private final InputStream in;
    private final FLACDecoder dec;
    private final AudioInfo info;
    private final int channels;
    private final int bytesPerSample;
    private final double scale;
    private final MessageDigest md5;
    private float[] frame = new float[0];
    private int framePos;
    private int frameLen;
    private long decoded;
    private byte[] raw = new byte[0];
    private boolean ended;

    Stream(Path file, InputStream in, FLACDecoder dec, StreamInfo si, AudioInfo info) {
      this.file = file;
      this.in = in;
      this.dec = dec;
      this.info = info;
      this.channels = si.getChannels();
      this.bytesPerSample = (si.getBitsPerSample() + 7) / 8;
      this.scale = 1.0 / (channels * Math.pow(2, si.getBitsPerSample() - 1));
      try {
        this.md5 = MessageDigest.getInstance("MD5");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public int sampleRate() {
      return info.sampleRate();
    }

    @Override
    public long length() {
      return info.frames() > 0 ? info.frames() : -1;
    }

    @Override
    public Path source() {
      return file;
    }

    @Override
    public int read(float[] buf, int off, int len) {
      try {
        while (framePos == frameLen) {
          if (ended || !nextFrame()) {
            return -1;
          }
        }
      } catch (IOException | RuntimeException e) {
        throw failure(file, e);
      }
      int n = Math.min(len, frameLen - framePos);
      System.arraycopy(frame, framePos, buf, off, n);
      framePos += n;
      return n;
    }

    /** Decodes the next frame; at the end checks what only the end can tell. */
    private boolean nextFrame() throws IOException {
      Frame f = dec.readNextFrame();
      if (f == null) {
        ended = true;
        finish();
        return false;
      }
      int block = f.header.blockSize;
      if (frame.length < block) {
        frame = new float[block];
      }
      if (raw.length < block * channels * bytesPerSample) {
        raw = new byte[block * channels * bytesPerSample];
      }
      ChannelData[] data = dec.getChannelData();
      int r = 0;
      for (int i = 0; i < block; i++) {
        long sum = 0;
        for (int c = 0; c < channels; c++) {
          int v = data[c].getOutput()[i];
          sum += v;
          for (int b = 0; b < bytesPerSample; b++) {
            raw[r++] = (byte) (v >> (8 * b));
          }
        }
        frame[i] = (float) (sum * scale);
      }
      md5.update(raw, 0, r);
      decoded += block;
      framePos = 0;
      frameLen = block;
      return true;
    }

    private void finish() throws IOException {
      if (dec.getBadFrames() > 0) {
        throw new WorkbenchException(file + ": corrupt FLAC data (" + dec.getBadFrames()
            + " bad frames)");
      }
      if (info.frames() > 0 && decoded < info.frames()) {
        throw new WorkbenchException(String.format(
            "%s: truncated data (header says %d samples, decoded %d)", file, info.frames(),
            decoded));
      }
      if (decoded == 0) {
        throw new WorkbenchException(file + ": zero samples");
      }
      byte[] expected = streamInfoMd5(file);
      if (!Arrays.equals(expected, new byte[16]) && !Arrays.equals(expected, md5.digest())) {
        throw new WorkbenchException(file
            + ": corrupt FLAC data (MD5 of the samples does not match)");
      }
    }

    @Override
    public void close() {
      closeQuietly(in);
    }
  }

  /**
   * The MD5 of the unencoded samples stored in STREAMINFO (all zeros when the encoder did not
   * compute it). STREAMINFO is always the first metadata block, so the sum sits at bytes 26–41.
   */
  private static byte[] streamInfoMd5(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(42);
      return head.length == 42 ? Arrays.copyOfRange(head, 26, 42) : new byte[16];
    }
  }

  private static StreamInfo streamInfo(Path file, FLACDecoder dec) throws IOException {
    dec.readMetadata();
    StreamInfo si = dec.getStreamInfo();
    if (si == null) {
      throw new WorkbenchException(file + ": FLAC without STREAMINFO");
    }
    return si;
  }

  private static AudioInfo info(Path file, StreamInfo si) {
    if (si.getChannels() <= 0) {
      throw new WorkbenchException(file + ": bad FLAC header (0 channels)");
    }
    if (si.getSampleRate() < AudioInfo.MIN_RATE || si.getSampleRate() > AudioInfo.MAX_RATE) {
      throw new WorkbenchException(file + ": header says " + si.getSampleRate() + " Hz; sample"
          + " rates from " + AudioInfo.MIN_RATE + " to " + AudioInfo.MAX_RATE + " Hz are read");
    }
    // A total of 0 means "unknown" (streamed encodes); reading then decides the length.
    return new AudioInfo("FLAC " + si.getBitsPerSample() + "-bit", si.getSampleRate(),
        si.getChannels(), si.getBitsPerSample(), si.getTotalSamples());
  }

  private static WorkbenchException failure(Path file, Exception e) {
    if (e instanceof WorkbenchException w) {
      return w;
    }
    if (e instanceof EOFException) {
      return new WorkbenchException(file + ": truncated data (FLAC stream ends early)", e);
    }
    String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new WorkbenchException(file + ": broken FLAC (" + why + ")", e);
  }
}
