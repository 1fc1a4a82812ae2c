package io.anw.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The entries of a zip archive, read from its central directory (zip64 included), with the file
 * offset of each entry's data so that STORED entries, as {@code torch.save} and
 * {@code numpy.savez} write them, can be memory-mapped instead of copied.
 */
final class ZipIndex {
  private static final int EOCD = 0x06054b50;
  private static final int EOCD64 = 0x06064b50;
  private static final int EOCD64_LOCATOR = 0x07064b50;
  private static final int CENTRAL = 0x02014b50;
  private static final int LOCAL = 0x04034b50;
  private static final int STORED = 0;
  private static final int DEFLATED = 8;
  /** DEFLATE expands at most about 1032:1 (a 258-byte match per 2 bits); more is a lie. */
  static final long MAX_DEFLATE_RATIO = 1032;

  /**
   * One archive member.
   *
   * @param name path inside the archive
   * @param method 0 = stored, 8 = deflated
   * @param compressedSize bytes in the file
   * @param size bytes after inflating
   * @param dataOffset file offset of the first data byte
   */
  record Entry(String name, int method, long compressedSize, long size, long dataOffset) {}

  private final MappedFile file;
  private final Map<String, Entry> entries = new LinkedHashMap<>();

  /** Reads the central directory; throws {@link IllegalArgumentException} if it is malformed. */
  ZipIndex(MappedFile file) {
    this.file = file;
    long size = file.size();
    int tailLength = (int) Math.min(size, 22 + 0xffff);
    ByteBuffer tail = file.region(size - tailLength, tailLength);
    int eocd = -1;
    for (int i = tailLength - 22; i >= 0; i--) {
      if (tail.getInt(i) == EOCD) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) {
      throw new IllegalArgumentException("zip end-of-directory record not found (truncated?)");
    }
    long count = tail.getShort(eocd + 10) & 0xffff;
    long cdSize = tail.getInt(eocd + 12) & 0xffffffffL;
    long cdOffset = tail.getInt(eocd + 16) & 0xffffffffL;
    if (count == 0xffff || cdSize == 0xffffffffL || cdOffset == 0xffffffffL) {
      long eocdAt = size - tailLength + eocd;
      ByteBuffer loc = file.region(eocdAt - 20, 20);
      if (loc.getInt(0) != EOCD64_LOCATOR) {
        throw new IllegalArgumentException("zip64 locator missing");
      }
      ByteBuffer e64 = file.region(loc.getLong(8), 56);
      if (e64.getInt(0) != EOCD64) {
        throw new IllegalArgumentException("zip64 end-of-directory record missing");
      }
      count = e64.getLong(32);
      cdSize = e64.getLong(40);
      cdOffset = e64.getLong(48);
    }
    if (count < 0 || count > cdSize / 46) {
      throw new IllegalArgumentException("zip directory claims " + count + " entries in " + cdSize + " bytes");
    }
    ByteBuffer cd = file.region(cdOffset, cdSize);
    int at = 0;
    try {
      for (long i = 0; i < count; i++) {
        Entry e = readCentral(cd, at);
        at += 46 + (cd.getShort(at + 28) & 0xffff) + (cd.getShort(at + 30) & 0xffff) + (cd.getShort(at + 32) & 0xffff);
        entries.put(e.name(), e);
      }
    } catch (IndexOutOfBoundsException e) {
      throw new IllegalArgumentException("zip directory entry " + entries.size() + " runs past the directory (corrupt)");
    }
  }

  private Entry readCentral(ByteBuffer cd, int at) {
    if (cd.getInt(at) != CENTRAL) {
      throw new IllegalArgumentException("bad zip directory entry at " + at);
    }
    int flags = cd.getShort(at + 8) & 0xffff;
    int method = cd.getShort(at + 10) & 0xffff;
    long csize = cd.getInt(at + 20) & 0xffffffffL;
    long usize = cd.getInt(at + 24) & 0xffffffffL;
    int nameLen = cd.getShort(at + 28) & 0xffff;
    int extraLen = cd.getShort(at + 30) & 0xffff;
    long local = cd.getInt(at + 42) & 0xffffffffL;
    byte[] nameBytes = new byte[nameLen];
    cd.get(at + 46, nameBytes);
    String name = new String(nameBytes, StandardCharsets.UTF_8);
    int x = at + 46 + nameLen;
    for (int end = x + extraLen; x + 4 <= end; ) {
      int id = cd.getShort(x) & 0xffff;
      int len = cd.getShort(x + 2) & 0xffff;
      if (id == 0x0001) { // zip64 sizes and offset, present only where the 32-bit field is saturated
        int p = x + 4;
        if (usize == 0xffffffffL) { usize = cd.getLong(p); p += 8; }
        if (csize == 0xffffffffL) { csize = cd.getLong(p); p += 8; }
        if (local == 0xffffffffL) { local = cd.getLong(p); }
      }
      x += 4 + len;
    }
    if ((flags & 1) != 0) {
      throw new IllegalArgumentException("entry " + name + " is encrypted");
    }
    if (method != STORED && method != DEFLATED) {
      throw new IllegalArgumentException("entry " + name + " uses unsupported compression method " + method);
    }
    if (method == STORED && csize != usize) {
      throw new IllegalArgumentException("stored entry " + name + " has differing sizes");
    }
    if (method == DEFLATED && usize > MAX_DEFLATE_RATIO * csize + 1024) {
      throw new IllegalArgumentException("entry " + name + " claims " + usize + " bytes from "
          + csize + " compressed, more than DEFLATE can expand (" + MAX_DEFLATE_RATIO + ":1)");
    }
    ByteBuffer lh = file.region(local, 30);
    if (lh.getInt(0) != LOCAL) {
      throw new IllegalArgumentException("entry " + name + " has no local header at " + local);
    }
    long data = local + 30 + (lh.getShort(26) & 0xffff) + (lh.getShort(28) & 0xffff);
    if (!file.contains(data, csize) || usize < 0) {
      throw new IllegalArgumentException("entry " + name + " lies outside the file");
    }
    return new Entry(name, method, csize, usize, data);
  }

  /** Entries by name, in directory order. */
  Map<String, Entry> entries() {
    return entries;
  }

  /** The entry's bytes: mapped if stored, inflated into the heap (at most {@code maxSize}) if deflated. */
  ByteBuffer read(Entry e, long maxSize) {
    if (e.size() > maxSize) {
      throw new IllegalArgumentException("entry " + e.name() + " is " + e.size() + " bytes, over the limit of "
          + maxSize);
    }
    return head(e, e.size());
  }

  /** The first {@code n} bytes of the entry (or all, if shorter); inflates only as far as needed. */
  ByteBuffer head(Entry e, long n) {
    int want = (int) Math.min(n, e.size());
    ByteBuffer raw = file.region(e.dataOffset(), e.compressedSize());
    if (e.method() == STORED) {
      return raw.slice(0, want).order(ByteOrder.LITTLE_ENDIAN);
    }
    byte[] out = new byte[want];
    Inflater inf = new Inflater(true);
    try {
      inf.setInput(raw);
      int got = 0;
      while (got < out.length && !inf.finished()) {
        int k = inf.inflate(out, got, out.length - got);
        if (k == 0 && (inf.needsInput() || inf.needsDictionary())) {
          break;
        }
        got += k;
      }
      if (got != out.length) {
        throw new IllegalArgumentException("entry " + e.name() + " inflates to " + got + " bytes, expected "
            + e.size());
      }
    } catch (DataFormatException ex) {
      throw new IllegalArgumentException("entry " + e.name() + " is corrupt: " + ex.getMessage());
    } finally {
      inf.end();
    }
    return ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** The mapped file the archive is in. */
  MappedFile file() {
    return file;
  }

  /** The entry as a storage: mapped lazily if stored, inflated on first use if deflated. */
  Storage storage(Entry e) {
    if (e.method() == STORED) {
      return file.storage(e.dataOffset(), e.size());
    }
    if (e.size() > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("entry " + e.name() + " is too large to inflate");
    }
    return Storage.lazy(file.path().getFileName() + "/" + e.name(), e.size(), () -> read(e, Integer.MAX_VALUE - 8));
  }
}
