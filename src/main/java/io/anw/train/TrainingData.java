package io.anw.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.anw.TorchArrays;
import io.anw.audio.Dataset;
import io.anw.audio.LogMel;
import io.anw.audio.LogMelPreset;
import io.anw.model.NormStats;
import io.anw.model.VitDims;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Training clips in memory: the M2D log-mels ({@code m2d-16k}) of one or more datasets,
 * labels namespaced by dataset ({@code texture/hum}) when several are joined, the SHA-256 of
 * the audio files read (in order), and batches of equal length as the hooked model would see
 * them: normalised, zero-padded at the end to a multiple of the patch width, and cropped at a
 * random offset when longer than the model's unit.
 */
public final class TrainingData {
  private final List<float[][]> mels;
  private final int[] labels;
  private final List<String> classes;
  private final String dataHash;
  private final long[][] captions; // [clip][T] token ids, or null

  private TrainingData(List<float[][]> mels, int[] labels, List<String> classes,
      String dataHash, long[][] captions) {
    this.mels = mels;
    this.labels = labels;
    this.classes = classes;
    this.dataHash = dataHash;
    this.captions = captions;
  }

  /** The front end of the sample models' training (and so of the models it makes). */
  public static final LogMelPreset FRONT_END = LogMelPreset.M2D_16K;

  /**
   * Loads the clips of {@code sets} in order. With more than one set, each label becomes
   * {@code <set name>/<label>} so the classes of different tasks stay apart.
   */

  public static TrainingData load(List<Dataset> sets, List<String> setNames) {
    return load(sets, setNames, null, 0);
  }

  /**
   * Loads the clips of {@code sets} with their captions (the {@value Dataset#CAPTION} column)
   * as token ids of {@code vocabulary}, {@code length} per clip; the hash then covers the
   * captions too. A null vocabulary loads no captions.
   */
  public static TrainingData load(List<Dataset> sets, List<String> setNames,
      io.anw.model.TextVocabulary vocabulary, int length) {
    List<long[]> ids = new ArrayList<>();
    LogMel front = new LogMel(FRONT_END);
    List<float[][]> mels = new ArrayList<>();
    List<String> labelNames = new ArrayList<>();
    MessageDigest md = sha256();
    for (int s = 0; s < sets.size(); s++) {
      Dataset d = sets.get(s);
      String prefix = sets.size() > 1 ? setNames.get(s) + "/" : "";
      try (Stream<float[][]> st = d.stream(front::compute)) {
        mels.addAll(st.toList());
      }
      for (Dataset.Item it : d.items()) {
        labelNames.add(prefix + it.label());
        if (vocabulary != null) {
          String caption = it.metadata().getOrDefault(Dataset.CAPTION, "");
          try {
            ids.add(vocabulary.encode(caption, length));
          } catch (io.anw.WorkbenchException e) {
            throw new io.anw.WorkbenchException(it.file() + ": " + e.getMessage(), e);
          }
          md.update(caption.getBytes(java.nio.charset.StandardCharsets.UTF_8));
          md.update((byte) '\n');
        }
        try (InputStream in = Files.newInputStream(it.file())) {
          byte[] buf = new byte[1 << 16];
          for (int n; (n = in.read(buf)) > 0; ) {
            md.update(buf, 0, n);
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    List<String> classes = labelNames.stream().distinct().sorted().toList();
    Map<String, Integer> index = new LinkedHashMap<>();
    for (int i = 0; i < classes.size(); i++) {
      index.put(classes.get(i), i);
    }
    int[] labels = labelNames.stream().mapToInt(index::get).toArray();
    return new TrainingData(mels, labels, classes, HexFormat.of().formatHex(md.digest()),
        vocabulary == null ? null : ids.toArray(long[][]::new));
  }

  /**
   * Clips given as un-normalised log-mels {@code [80][frames]} with class indices (for tests
   * and for data made in memory); the hash is of the log-mel values.
   */
  public static TrainingData of(List<float[][]> mels, int[] labels, List<String> classes) {
    MessageDigest md = sha256();
    java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(4);
    for (float[][] m : mels) {
      for (float[] row : m) {
        for (float v : row) {
          md.update(buf.clear().putFloat(v).array());
        }
      }
    }
    return new TrainingData(List.copyOf(mels), labels.clone(), List.copyOf(classes),
        HexFormat.of().formatHex(md.digest()), null);
  }

  /**
   * These clips with caption token ids {@code [clip][T]} (for tests and data made in memory);
   * the hash is extended by the ids.
   */
  public TrainingData withCaptions(long[][] ids) {
    if (ids.length != mels.size()) {
      throw new io.anw.WorkbenchException(ids.length + " captions for " + mels.size() + " clips");
    }
    MessageDigest md = sha256();
    md.update(dataHash.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    for (long[] row : ids) {
      for (long v : row) {
        md.update((byte) v);
      }
    }
    return new TrainingData(mels, labels, classes, HexFormat.of().formatHex(md.digest()),
        java.util.Arrays.stream(ids).map(long[]::clone).toArray(long[][]::new));
  }

  /** Whether the clips carry captions. */
  public boolean hasCaptions() {
    return captions != null;
  }

  /** The caption ids {@code [B, T]} of clips {@code idx}, int64 in {@code m}. */
  NDArray captionBatch(int[] idx, NDManager m) {
    int t = captions[0].length;
    long[] flat = new long[idx.length * t];
    for (int b = 0; b < idx.length; b++) {
      System.arraycopy(captions[idx[b]], 0, flat, b * t, t);
    }
    return TorchArrays.of(m, flat, new Shape(idx.length, t));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Clips held. */
  public int size() {
    return mels.size();
  }

  /** The sorted class names (namespaced when several datasets were joined). */
  public List<String> classes() {
    return classes;
  }

  /** The class index of each clip. */
  public int[] labels() {
    return labels.clone();
  }

  /** SHA-256 of the audio files' bytes (and the captions, when loaded), in load order. */
  public String dataHash() {
    return dataHash;
  }

  /** Mean and standard deviation of all log-mel values (M2D computes its norm_stats so). */
  public NormStats normStats() {
    double sum = 0;
    double sq = 0;
    long n = 0;
    for (float[][] m : mels) {
      for (float[] row : m) {
        for (float v : row) {
          sum += v;
          sq += (double) v * v;
        }
        n += row.length;
      }
    }
    double mean = sum / n;
    return new NormStats((float) mean, (float) Math.sqrt(sq / n - mean * mean));
  }

  /** Frames of clip {@code i} after padding to a whole number of patches and cropping to the unit. */
  int inputFrames(int i, int unit) {
    int f = mels.get(i)[0].length;
    int p = VitDims.M2D_PATCH;
    return Math.min(unit, (f + p - 1) / p * p);
  }

  /** Clip indices grouped by input length (groups in order of first appearance). */
  List<int[]> lengthGroups(int unit) {
    Map<Integer, List<Integer>> g = new LinkedHashMap<>();
    for (int i = 0; i < mels.size(); i++) {
      g.computeIfAbsent(inputFrames(i, unit), k -> new ArrayList<>()).add(i);
    }
    return g.values().stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray())
        .toList();
  }

  /**
   * A batch {@code [B, 1, mel, frames]} of clips {@code idx} (all of the same input length) in
   * {@code m}: normalised by {@code stats}, zero-padded, randomly cropped to the unit.
   */
  NDArray batch(int[] idx, int unit, NormStats stats, Random rnd, NDManager m) {
    int frames = inputFrames(idx[0], unit);
    int bins = mels.get(idx[0]).length;
    float[] flat = new float[idx.length * bins * frames];
    for (int b = 0; b < idx.length; b++) {
      float[][] mel = mels.get(idx[b]);
      int have = mel[0].length;
      int offset = have > frames ? rnd.nextInt(have - frames + 1) : 0;
      int copy = Math.min(frames, have - offset);
      for (int f = 0; f < bins; f++) {
        int at = (b * bins + f) * frames;
        for (int t = 0; t < copy; t++) {
          flat[at + t] = (mel[f][offset + t] - stats.mean()) / stats.std();
        }
      }
    }
    return TorchArrays.of(m, flat, new Shape(idx.length, 1, bins, frames));
  }

  /**
   * An endless seeded sampler of equal-length batches: each group is shuffled per pass, and a
   * step draws its group with probability proportional to the group's size.
   */
  final class Sampler {
    private final List<int[]> groups;
    private final int[] cursor;
    private Random rnd;
    private final int batch;

    Sampler(int unit, int batch, Random rnd) {
      this.groups = lengthGroups(unit);
      this.cursor = new int[groups.size()];
      this.rnd = rnd;
      this.batch = batch;
      groups.forEach(this::shuffle);
    }

    int[] next() {
      int r = rnd.nextInt(size());
      int g = 0;
      while (r >= groups.get(g).length) {
        r -= groups.get(g).length;
        g++;
      }
      int[] group = groups.get(g);
      int n = Math.min(batch, group.length);
      int[] out = new int[n];
      for (int i = 0; i < n; i++) {
        if (cursor[g] == group.length) {
          shuffle(group);
          cursor[g] = 0;
        }
        out[i] = group[cursor[g]++];
      }
      return out;
    }

    /** The current order of each length group (copies), for a training checkpoint. */
    int[][] order() {
      return groups.stream().map(int[]::clone).toArray(int[][]::new);
    }

    /** The position in each group, for a training checkpoint. */
    int[] cursor() {
      return cursor.clone();
    }

    /**
     * Continues from a checkpoint: the groups' orders and positions, and the run's random
     * generator (which the sampler shares with the rest of the run).
     */
    void restore(int[][] order, int[] cursorState, Random random) {
      if (order.length != groups.size()) {
        throw new io.anw.WorkbenchException("checkpoint: the sampler had " + order.length
            + " length groups, the data has " + groups.size());
      }
      for (int g = 0; g < order.length; g++) {
        if (order[g].length != groups.get(g).length) {
          throw new io.anw.WorkbenchException("checkpoint: length group " + g + " had "
              + order[g].length + " clips, the data has " + groups.get(g).length);
        }
        System.arraycopy(order[g], 0, groups.get(g), 0, order[g].length);
      }
      System.arraycopy(cursorState, 0, cursor, 0, cursor.length);
      this.rnd = random;
    }

    private void shuffle(int[] a) {
      for (int i = a.length - 1; i > 0; i--) {
        int j = rnd.nextInt(i + 1);
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
      }
    }
  }
}
