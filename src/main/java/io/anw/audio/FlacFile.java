package io.anw.audio;

import io.anw.WorkbenchException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jflac.ChannelData;
import org.jflac.FLACDecoder;
import org.jflac.frame.Frame;
import org.jflac.metadata.StreamInfo;

/** FLAC reading through jflac: any bit depth and channel count, mixed to mono by the mean. */
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
      for (Frame frame = dec.readNextFrame(); frame != null; frame = dec.readNextFrame()) {
        int block = frame.header.blockSize;
        if (n + block > out.length) {
          out = java.util.Arrays.copyOf(out, Math.max(n + block, out.length * 2));
        }
        ChannelData[] data = dec.getChannelData();
        for (int i = 0; i < block; i++) {
          long sum = 0;
          for (int c = 0; c < channels; c++) {
            sum += data[c].getOutput()[i];
          }
          out[n + i] = (float) (sum * scale);
        }
        n += block;
      }
      if (dec.getBadFrames() > 0) {
        throw new WorkbenchException(file + ": corrupt FLAC data (" + dec.getBadFrames() + " bad frames)");
      }
      if (n == 0) {
        throw new WorkbenchException(file + ": zero samples");
      }
      if (info.frames() > 0 && n < info.frames()) {
        throw new WorkbenchException(String.format(
            "%s: truncated data (header says %d samples, decoded %d)", file, info.frames(), n));
      }
      return new Clip(java.util.Arrays.copyOf(out, n), si.getSampleRate(), null, file, null);
    } catch (IOException | RuntimeException e) {
      throw failure(file, e);
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
    String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new WorkbenchException(file + ": broken FLAC (" + why + ")", e);
  }
}
