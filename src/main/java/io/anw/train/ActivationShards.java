package io.anw.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.anw.AtomicFile;
import io.anw.WorkbenchException;
import io.anw.tensor.NpyStreamWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An on-disk cache of one hook point's activations, clip by clip, for training several SAEs on
 * the same activations without running the model again: float32 {@code .npy} shards
 * {@code acts-00000.npy [rows, d_in]} (readable with {@code numpy.load}) and a
 * {@code manifest.json} naming the run it belongs to (its fingerprint: model weights, data, hook,
 * split) and where each clip's rows are. The manifest is written last: a folder without one is
 * an unfinished cache and is written again.
 */
public final class ActivationShards {
  /** The manifest's file name. */
  public static final String MANIFEST = "manifest.json";
  private static final long SHARD_BYTES = 64L << 20;

  private final int dIn;
  private final int[] shardOf;
  private final long[] rowOf;
  private final int[] rowsOf;
  private final long[] dataStart;
  private final List<Path> files;

  private ActivationShards(int dIn, int[] shardOf, long[] rowOf, int[] rowsOf,
      List<Path> files, long[] dataStart) {
    this.dIn = dIn;
    this.shardOf = shardOf;
    this.rowOf = rowOf;
    this.rowsOf = rowsOf;
    this.files = files;
    this.dataStart = dataStart;
  }

  /**
   * The complete cache in {@code dir} for the run {@code fingerprint}, or null when there is
   * none (no manifest).
   *
   * @throws WorkbenchException when the folder holds the cache of another run
   */
  public static ActivationShards open(Path dir, String fingerprint, int clips) {
    Path manifest = dir.resolve(MANIFEST);
    if (!Files.isRegularFile(manifest)) {
      return null;
    }
    JsonObject o;
    try {
      o = JsonParser.parseString(Files.readString(manifest, StandardCharsets.UTF_8))
          .getAsJsonObject();
    } catch (IOException | RuntimeException e) {
      throw new WorkbenchException(manifest + ": not a readable activation cache manifest ("
          + e.getMessage() + ")", e);
    }
    String saved = o.has("fingerprint") ? o.get("fingerprint").getAsString() : "";
    if (!saved.equals(fingerprint)) {
      throw new WorkbenchException(dir + ": an activation cache of another run (" + saved
          + "; this run is " + fingerprint + "); use another --cache folder or delete it");
    }
    int d = o.get("d_in").getAsInt();
    JsonArray shards = o.getAsJsonArray("shards");
    List<Path> files = new ArrayList<>();
    long[] starts = new long[shards.size()];
    for (int s = 0; s < shards.size(); s++) {
      Path f = dir.resolve(shards.get(s).getAsString());
      files.add(f);
      starts[s] = dataStart(f);
    }
    JsonArray index = o.getAsJsonArray("clips");
    if (index.size() != clips) {
      throw new WorkbenchException(manifest + ": holds " + index.size() + " clips, the data has "
          + clips);
    }
    int[] shardOf = new int[clips];
    long[] rowOf = new long[clips];
    int[] rowsOf = new int[clips];
    for (int c = 0; c < clips; c++) {
      JsonArray e = index.get(c).getAsJsonArray();
      shardOf[c] = e.get(0).getAsInt();
      rowOf[c] = e.get(1).getAsLong();
      rowsOf[c] = e.get(2).getAsInt();
    }
    return new ActivationShards(d, shardOf, rowOf, rowsOf, files, starts);
  }

  /** Width of the cached activations. */
  public int dIn() {
    return dIn;
  }

  /**
   * The rows of clip {@code clip} (its dataset position), flat {@code [tokens, d_in]}; null for a
   * clip that could not be read when the cache was written.
   */
  public float[] clip(int clip) {
    if (shardOf[clip] < 0) {
      return null;
    }
    int n = rowsOf[clip] * dIn;
    ByteBuffer buf = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
    try (FileChannel ch = FileChannel.open(files.get(shardOf[clip]), StandardOpenOption.READ)) {
      long at = dataStart[shardOf[clip]] + rowOf[clip] * dIn * 4L;
      while (buf.hasRemaining()) {
        if (ch.read(buf, at + buf.position()) < 0) {
          throw new WorkbenchException(files.get(shardOf[clip]) + ": truncated");
        }
      }
    } catch (IOException e) {
      throw new WorkbenchException(files.get(shardOf[clip]) + ": cannot read (" + e.getMessage()
          + ")", e);
    }
    buf.flip();
    float[] out = new float[n];
    buf.asFloatBuffer().get(out);
    return out;
  }

  private static long dataStart(Path f) {
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
      ByteBuffer head = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
      ch.read(head, 0);
      if (head.get(0) != (byte) 0x93 || head.get(1) != 'N') {
        throw new WorkbenchException(f + ": not a .npy file");
      }
      int major = head.get(6);
      return major == 1 ? 10 + (head.getShort(8) & 0xffff) : 12 + head.getInt(8);
    } catch (IOException e) {
      throw new WorkbenchException(f + ": cannot read (" + e.getMessage() + ")", e);
    }
  }

  /** Writes a cache clip by clip, in any order; {@link #finish} makes it complete. */
  public static final class Writer {
    private final Path dir;
    private final String fingerprint;
    private final int clips;
    private int dIn = -1;
    private final int[] shardOf;
    private final long[] rowOf;
    private final int[] rowsOf;
    private final List<float[]> pending = new ArrayList<>();
    private long pendingRows;
    private final List<String> shardNames = new ArrayList<>();

    /** A writer for {@code clips} clips of the run {@code fingerprint} into {@code dir}. */
    public Writer(Path dir, String fingerprint, int clips) {
      this.dir = dir;
      this.fingerprint = fingerprint;
      this.clips = clips;
      this.shardOf = new int[clips];
      this.rowOf = new long[clips];
      this.rowsOf = new int[clips];
      Arrays.fill(shardOf, -2); // -2: not seen yet; -1: unreadable
      try {
        Files.createDirectories(dir);
        Files.deleteIfExists(dir.resolve(MANIFEST));
      } catch (IOException e) {
        throw new WorkbenchException(dir + ": cannot create (" + e.getMessage() + ")", e);
      }
    }

    /** Adds clip {@code clip}'s rows, flat {@code [tokens, d]}. */
    public void put(int clip, float[] rows, int d) {
      if (dIn < 0) {
        dIn = d;
      }
      int shard = shardNames.size();
      shardOf[clip] = shard;
      rowOf[clip] = pendingRows;
      rowsOf[clip] = rows.length / d;
      pending.add(rows);
      pendingRows += rows.length / d;
      if (pendingRows * d * 4 >= SHARD_BYTES) {
        flush();
      }
    }

    /** Marks clip {@code clip} as unreadable (skipped). */
    public void skip(int clip) {
      shardOf[clip] = -1;
    }

    private void flush() {
      if (pending.isEmpty()) {
        return;
      }
      String name = String.format(java.util.Locale.ROOT, "acts-%05d.npy", shardNames.size());
      List<float[]> blocks = new ArrayList<>(pending);
      NpyStreamWriter.write(dir.resolve(name), new long[] {pendingRows, dIn}, out -> {
        long at = 0;
        for (float[] b : blocks) {
          out.put(at, b, 0, b.length);
          at += b.length;
        }
      });
      shardNames.add(name);
      pending.clear();
      pendingRows = 0;
    }

    /**
     * Writes the last shard and the manifest; returns the complete cache, or null when some
     * clips were never put (an interrupted epoch: nothing is declared complete).
     *
     * @param unseenSkipped whether clips never put were skipped as unreadable by a whole pass
     *     (otherwise they make the cache incomplete)
     */
    public ActivationShards finish(boolean unseenSkipped) {
      for (int c = 0; c < clips; c++) {
        if (shardOf[c] == -2) {
          if (!unseenSkipped) {
            return null;
          }
          shardOf[c] = -1;
        }
      }
      flush();
      JsonObject o = new JsonObject();
      o.addProperty("fingerprint", fingerprint);
      o.addProperty("d_in", dIn);
      o.addProperty("dtype", "float32");
      JsonArray shards = new JsonArray();
      shardNames.forEach(shards::add);
      o.add("shards", shards);
      JsonArray index = new JsonArray();
      for (int c = 0; c < clips; c++) {
        JsonArray e = new JsonArray();
        e.add(shardOf[c]);
        e.add(rowOf[c]);
        e.add(rowsOf[c]);
        index.add(e);
      }
      o.add("clips", index);
      Gson gson = new GsonBuilder().disableHtmlEscaping().create();
      AtomicFile.write(dir.resolve(MANIFEST), (gson.toJson(o) + "\n")
          .getBytes(StandardCharsets.UTF_8));
      return open(dir, fingerprint, clips);
    }
  }
}
