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
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      FLACDecoder dec = new FLACDecoder(in);
      StreamInfo si = streamInfo(file, dec);
      AudioInfo info = info(file, si);
      int channels = si.getChannels();
      double scale = 1.0 / (channels * Math.pow(2, si.getBitsPerSample() - 1));
      float[] out = new float[Math.toIntExact(Math.max(info.frames(), 4096))];
      int n = 0;
      int bytesPerSample = (si.getBitsPerSample() + 7) / 8;
      MessageDigest md5 = MessageDigest.getInstance("MD5");
      byte[] raw = new byte[0];
      for (Frame frame = dec.readNextFrame(); frame != null; frame = dec.readNextFrame()) {
        int block = frame.header.blockSize;
        if (n + block > out.length) {
          out = Arrays.copyOf(out, Math.max(n + block, out.length * 2));
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
          out[n + i] = (float) (sum * scale);
        }
        md5.update(raw, 0, r);
        n += block;
      }
      if (dec.getBadFrames() > 0) {
        throw new WorkbenchException(file + ": corrupt FLAC data (" + dec.getBadFrames() + " bad frames)");
      }
      if (info.frames() > 0 && n < info.frames()) {
        throw new WorkbenchException(String.format(
            "%s: truncated data (header says %d samples, decoded %d)", file, info.frames(), n));
      }
      if (n == 0) {
        throw new WorkbenchException(file + ": zero samples");
      }
      byte[] expected = streamInfoMd5(file);
      if (!Arrays.equals(expected, new byte[16]) && !Arrays.equals(expected, md5.digest())) {
        throw new WorkbenchException(file + ": corrupt FLAC data (MD5 of the samples does not match)");
      }
      return new Clip(Arrays.copyOf(out, n), si.getSampleRate(), null, file, null);
    } catch (IOException | RuntimeException | NoSuchAlgorithmException e) {
      throw failure(file, e);
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
    if (si.getSampleRate() <= 0 || si.getChannels() <= 0) {
      throw new WorkbenchException(file + ": bad FLAC header");
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
