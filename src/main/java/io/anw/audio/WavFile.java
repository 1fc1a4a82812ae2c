package io.anw.audio;

import io.anw.AtomicFile;
import io.anw.WorkbenchException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * RIFF/WAVE reading and writing.
 *
 * <p>Reads PCM 8 (unsigned), 16, 24 and 32-bit integer and IEEE float 32/64-bit samples, plain
 * or {@code WAVE_FORMAT_EXTENSIBLE}, with any number of channels (mixed to mono by their mean).
 * Chunks are walked by their declared sizes (odd sizes padded), unknown chunks skipped; the
 * header is checked against the file size and a sane sample rate before anything is decoded,
 * and decoding streams in blocks ({@link #open}). Writes 16-bit PCM mono.
 */
public final class WavFile {
  private static final int PCM = 1;
  private static final int IEEE_FLOAT = 3;
  private static final int EXTENSIBLE = 0xFFFE;
  private static final long UNKNOWN_SIZE = 0xFFFFFFFFL;

  private WavFile() {}

  /** The parsed header: the format plus where the sample data lies in the file. */
  private record Layout(AudioInfo info, boolean isFloat, int blockAlign, long dataOffset) {}

  /** Whether {@code head} (the first 12 bytes of a file) starts a RIFF/WAVE file. */
  static boolean isWav(byte[] head) {
    return head.length >= 12 && head[0] == 'R' && head[1] == 'I' && head[2] == 'F' && head[3] == 'F'
        && head[8] == 'W' && head[9] == 'A' && head[10] == 'V' && head[11] == 'E';
  }

  /** Reads the header of a WAV file; throws {@link WorkbenchException} if it is broken. */
  public static AudioInfo probe(Path file) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return layout(file, ch).info();
    } catch (IOException e) {
      throw new WorkbenchException(file + ": cannot read (" + e.getMessage() + ")", e);
    }
  }

  /** Decodes a WAV file to a mono clip at the file's sample rate. */
  public static Clip read(Path file) {
    try (AudioStream in = open(file)) {
      if (in.length() > Integer.MAX_VALUE - 8) {
        throw new WorkbenchException(file + ": too long to decode in memory at once ("
            + in.length() + " samples); stream it (AudioFiles.open)");
      }
      return in.readClip();
    }
  }

  /**
   * Opens a WAV file for decoding block by block: mono samples (channels averaged) at the
   * file's rate. The header is checked first; float samples that are NaN or infinite are
   * refused with the time they occur at.
   */
  public static AudioStream open(Path file) {
    FileChannel ch;
    try {
      ch = FileChannel.open(file, StandardOpenOption.READ);
    } catch (IOException e) {
      throw new WorkbenchException(file + ": cannot read (" + e.getMessage() + ")", e);
    }
    try {
      Layout l = layout(file, ch);
      ch.position(l.dataOffset());
      return new Stream(file, ch, l);
    } catch (IOException e) {
      close(ch);
      throw new WorkbenchException(file + ": cannot read (" + e.getMessage() + ")", e);
    } catch (RuntimeException e) {
      close(ch);
      throw e;
    }
  }

  private static void close(FileChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      // nothing to do
    }
  }

  /** The samples of a WAV file's data chunk, decoded in blocks of {@value #BLOCK} frames. */
  private static final class Stream implements AudioStream {
    private static final int BLOCK = 1 << 16;
    private final Path file;
    private final FileChannel ch;
    private final Layout l;
    private final ByteBuffer data;
    private long done; // frames delivered

    Stream(Path file, FileChannel ch, Layout l) {
      this.file = file;
      this.ch = ch;
      this.l = l;
      this.data = ByteBuffer.allocate(BLOCK * l.blockAlign()).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public int sampleRate() {
      return l.info().sampleRate();
    }

    @Override
    public long length() {
      return l.info().frames();
    }

    @Override
    public Path source() {
      return file;
    }

    @Override
    public int read(float[] buf, int off, int len) {
      long left = l.info().frames() - done;
      if (left <= 0) {
        return -1;
      }
      int frames = (int) Math.min(Math.min(len, BLOCK), left);
      data.clear().limit(frames * l.blockAlign());
      try {
        while (data.hasRemaining()) {
          if (ch.read(data) < 0) {
            throw new WorkbenchException(file + ": truncated data");
          }
        }
      } catch (IOException e) {
        throw new WorkbenchException(file + ": cannot read (" + e.getMessage() + ")", e);
      }
      data.flip();
      decode(data, l, frames, buf, off);
      if (l.isFloat()) {
        AudioInfo.requireFinite(buf, off, frames, done, l.info().sampleRate(), file);
      }
      done += frames;
      return frames;
    }

    @Override
    public void close() {
      WavFile.close(ch);
    }
  }

  private static Layout layout(Path file, FileChannel ch) throws IOException {
    long size = ch.size();
    ByteBuffer head = read(ch, 0, 12);
    if (head.remaining() < 12 || !isWav(head.array())) {
      throw new WorkbenchException(file + ": not audio (no RIFF/WAVE header)");
    }
    long pos = 12;
    ByteBuffer fmt = null;
    while (pos + 8 <= size) {
      ByteBuffer hdr = read(ch, pos, 8);
      String id = new String(hdr.array(), 0, 4, StandardCharsets.US_ASCII);
      long len = Integer.toUnsignedLong(hdr.getInt(4));
      long body = pos + 8;
      if (id.equals("fmt ")) {
        if (len < 16 || body + len > size) {
          throw new WorkbenchException(file + ": broken fmt chunk");
        }
        fmt = read(ch, body, (int) Math.min(len, 64));
      } else if (id.equals("data")) {
        if (fmt == null) {
          throw new WorkbenchException(file + ": data chunk before fmt chunk");
        }
        long available = size - body;
        if (len == UNKNOWN_SIZE || (len == 0 && available > 0)) {
          len = available; // streamed file whose writer never filled in the size
        } else if (len > available) {
          throw new WorkbenchException(String.format(
              "%s: truncated data (header says %d bytes, file has %d)", file, len, available));
        }
        return parseFormat(file, fmt, len, body);
      }
      pos = body + len + (len & 1);
    }
    throw new WorkbenchException(file + (fmt == null ? ": no fmt chunk" : ": no data chunk"));
  }

  private static Layout parseFormat(Path file, ByteBuffer fmt, long dataBytes, long dataOffset) {
    int tag = fmt.getShort(0) & 0xFFFF;
    int channels = fmt.getShort(2) & 0xFFFF;
    long rate = Integer.toUnsignedLong(fmt.getInt(4));
    int blockAlign = fmt.getShort(12) & 0xFFFF;
    int bits = fmt.getShort(14) & 0xFFFF;
    if (tag == EXTENSIBLE) {
      if (fmt.limit() < 26) {
        throw new WorkbenchException(file + ": WAVE_FORMAT_EXTENSIBLE without a sub-format");
      }
      tag = fmt.getShort(24) & 0xFFFF;
    }
    if (channels == 0) {
      throw new WorkbenchException(file + ": bad header (0 channels)");
    }
    if (rate < AudioInfo.MIN_RATE || rate > AudioInfo.MAX_RATE) {
      throw new WorkbenchException(file + ": header says " + rate + " Hz; sample rates from "
          + AudioInfo.MIN_RATE + " to " + AudioInfo.MAX_RATE + " Hz are read");
    }
    boolean isFloat = tag == IEEE_FLOAT;
    if (tag != PCM && !isFloat) {
      throw new WorkbenchException(String.format(
          "%s: unsupported WAV encoding 0x%04X (only PCM and IEEE float)", file, tag));
    }
    boolean ok = isFloat ? bits == 32 || bits == 64 : bits == 8 || bits == 16 || bits == 24 || bits == 32;
    if (!ok || blockAlign != channels * bits / 8) {
      throw new WorkbenchException(String.format("%s: unsupported %s sample size %d bits",
          file, isFloat ? "float" : "PCM", bits));
    }
    long frames = dataBytes / blockAlign;
    if (frames == 0) {
      throw new WorkbenchException(file + ": zero samples");
    }
    String format = "WAV " + (isFloat ? "float " : "PCM ") + bits + "-bit";
    return new Layout(new AudioInfo(format, (int) rate, channels, bits, frames), isFloat,
        blockAlign, dataOffset);
  }

  private static void decode(ByteBuffer data, Layout l, int frames, float[] out, int off) {
    int channels = l.info().channels();
    int bits = l.info().bitsPerSample();
    double scale = 1.0 / channels;
    for (int f = 0; f < frames; f++) {
      double sum = 0;
      for (int c = 0; c < channels; c++) {
        sum += l.isFloat() ? (bits == 32 ? data.getFloat() : data.getDouble()) : pcm(data, bits);
      }
      out[off + f] = (float) (sum * scale);
    }
  }

  private static double pcm(ByteBuffer b, int bits) {
    switch (bits) {
      case 8:
        return ((b.get() & 0xFF) - 128) / 128.0;
      case 16:
        return b.getShort() / 32768.0;
      case 24: {
        int v = (b.get() & 0xFF) | (b.get() & 0xFF) << 8 | b.get() << 16;
        return v / 8388608.0;
      }
      default:
        return b.getInt() / 2147483648.0;
    }
  }

  private static ByteBuffer read(FileChannel ch, long pos, int n) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    while (b.hasRemaining() && ch.read(b, pos + b.position()) > 0) {
      // keep reading
    }
    b.flip();
    return b;
  }

  /**
   * Writes {@code clip} as 16-bit PCM mono (samples clipped to [-1, 1]), atomically (a failed
   * write leaves nothing behind).
   */
  public static void write(Path file, Clip clip) {
    AtomicFile.write(file, bytes(clip));
  }

  /** The bytes of a 16-bit PCM mono WAV file of {@code clip} (samples clipped to [-1, 1]). */
  public static byte[] bytes(Clip clip) {
    float[] s = clip.samples();
    ByteBuffer b = ByteBuffer.allocate(44 + 2 * s.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + 2 * s.length)
        .put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16)
        .putShort((short) PCM).putShort((short) 1).putInt(clip.sampleRate())
        .putInt(2 * clip.sampleRate()).putShort((short) 2).putShort((short) 16)
        .put("data".getBytes(StandardCharsets.US_ASCII)).putInt(2 * s.length);
    for (float v : s) {
      double c = Math.max(-1.0, Math.min(1.0, v));
      b.putShort((short) Math.max(-32768, Math.min(32767, Math.round(c * 32768.0))));
    }
    return b.array();
  }
}
