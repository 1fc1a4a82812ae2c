package io.anw.listen;

import com.google.gson.Gson;
import io.anw.AtomicFile;
import io.anw.WorkbenchException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The partial state of a top-activation pass as JSON (heaps, sample, rows done) with the
 * identity of the run it belongs to (weights, data, units, settings); written atomically.
 */
final class TopCheckpoint {
  private static final Gson GSON = new Gson();

  private TopCheckpoint() {}

  /** The JSON form. */
  private static final class Json {
    String identity;
    int units;
    int k;
    int sample;
    long seed;
    int rowsDone;
    long clips;
    float[] hAct;
    int[] hRow;
    int[] hChunk;
    int[] hToken;
    int[] hTp;
    int[] hSize;
    int[] sRow;
    long[] sKey;
    int sUsed;
    float[] sAct;
    int[] sChunk;
    int[] sToken;
    int[] sTp;
  }

  static void save(Path file, String identity, TopState s) {
    Json j = new Json();
    j.identity = identity;
    j.units = s.units;
    j.k = s.k;
    j.sample = s.sample;
    j.seed = s.seed;
    j.rowsDone = s.rowsDone;
    j.clips = s.clips;
    j.hAct = s.hAct;
    j.hRow = s.hRow;
    j.hChunk = s.hChunk;
    j.hToken = s.hToken;
    j.hTp = s.hTp;
    j.hSize = s.hSize;
    j.sRow = s.sRow;
    j.sKey = s.sKey;
    j.sUsed = s.sUsed;
    j.sAct = s.sAct;
    j.sChunk = s.sChunk;
    j.sToken = s.sToken;
    j.sTp = s.sTp;
    AtomicFile.write(file, GSON.toJson(j).getBytes(StandardCharsets.UTF_8));
  }

  static TopState load(Path file, String identity) {
    Json j;
    try {
      j = GSON.fromJson(Files.readString(file), Json.class);
    } catch (IOException | RuntimeException e) {
      throw new WorkbenchException(file + ": not a readable top-activation checkpoint ("
          + e.getMessage() + "); delete it to start again", e);
    }
    if (j == null || !identity.equals(j.identity)) {
      throw new WorkbenchException(file + ": a checkpoint of another run (model, data, units or"
          + " settings differ); delete it or write to another --out");
    }
    TopState s = new TopState(j.units, j.k, j.sample, j.seed);
    System.arraycopy(j.hAct, 0, s.hAct, 0, s.hAct.length);
    System.arraycopy(j.hRow, 0, s.hRow, 0, s.hRow.length);
    System.arraycopy(j.hChunk, 0, s.hChunk, 0, s.hChunk.length);
    System.arraycopy(j.hToken, 0, s.hToken, 0, s.hToken.length);
    System.arraycopy(j.hTp, 0, s.hTp, 0, s.hTp.length);
    System.arraycopy(j.hSize, 0, s.hSize, 0, s.hSize.length);
    System.arraycopy(j.sRow, 0, s.sRow, 0, s.sRow.length);
    System.arraycopy(j.sKey, 0, s.sKey, 0, s.sKey.length);
    System.arraycopy(j.sAct, 0, s.sAct, 0, s.sAct.length);
    System.arraycopy(j.sChunk, 0, s.sChunk, 0, s.sChunk.length);
    System.arraycopy(j.sToken, 0, s.sToken, 0, s.sToken.length);
    System.arraycopy(j.sTp, 0, s.sTp, 0, s.sTp.length);
    s.sUsed = j.sUsed;
    s.rowsDone = j.rowsDone;
    s.clips = j.clips;
    return s;
  }
}
