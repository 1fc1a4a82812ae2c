package io.anw.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.anw.WorkbenchException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The second input pathway of an audio-text ViT: caption tokens embedded by a learned table
 * ({@code text_embed.weight}, {@code [vocabulary, D]}) plus learned positions
 * ({@code text_pos_embed}, {@code [1, length, D]}), appended after the audio patch tokens of
 * every chunk, so that each chunk's tokens are {@code [CLS, patches (frequency-major), text]}
 * and the same blocks, hooks and neurons see both. Token ids index {@link #vocabulary()};
 * id 0 ({@code <pad>}) also stands for "no caption".
 */
public final class TextPathway {
  /** The token embedding table's key. */
  public static final String EMBED = "text_embed.weight";
  /** The position table's key. */
  public static final String POSITIONS = "text_pos_embed";

  private final NDArray embed;
  private final NDArray positions;
  private final TextVocabulary vocabulary;

  /**
   * @param embed {@code [vocabulary, D]}
   * @param positions {@code [1, length, D]}
   * @param vocabulary the tokens, as many as {@code embed} has rows
   */
  TextPathway(NDArray embed, NDArray positions, TextVocabulary vocabulary) {
    this.embed = embed;
    this.positions = positions;
    this.vocabulary = vocabulary;
  }

  /** Whether a flattened key belongs to a text pathway. */
  public static boolean isKey(String key) {
    return key.equals(EMBED) || key.equals(POSITIONS);
  }

  /** The shapes a text pathway of these sizes has, by key. */
  public static Map<String, Shape> expectedShapes(int vocabulary, int length, int width) {
    Map<String, Shape> s = new LinkedHashMap<>();
    s.put(EMBED, new Shape(vocabulary, width));
    s.put(POSITIONS, new Shape(1, length, width));
    return s;
  }

  /**
   * Checks the shapes of a checkpoint's text entries against the encoder width and the
   * vocabulary.
   *
   * @throws WorkbenchException naming the model and the entry that does not fit
   */
  static void check(Map<String, Shape> shapes, int width, TextVocabulary vocabulary,
      String model) {
    Shape e = shapes.get(EMBED);
    Shape p = shapes.get(POSITIONS);
    if (e == null || p == null) {
      throw new WorkbenchException(model + ": a text pathway needs both " + EMBED + " and "
          + POSITIONS + "; got " + shapes.keySet());
    }
    if (e.dimension() != 2 || e.get(1) != width) {
      throw new WorkbenchException(model + ": " + EMBED + " has shape " + e + ", expected"
          + " (vocabulary, " + width + ")");
    }
    if (p.dimension() != 3 || p.get(0) != 1 || p.get(2) != width) {
      throw new WorkbenchException(model + ": " + POSITIONS + " has shape " + p
          + ", expected (1, length, " + width + ")");
    }
    if (vocabulary != null && vocabulary.size() != e.get(0)) {
      throw new WorkbenchException(model + ": the vocabulary has " + vocabulary.size()
          + " tokens but " + EMBED + " has " + e.get(0) + " rows");
    }
  }

  /** Caption tokens per input, the longest caption the pathway reads. */
  public int length() {
    return (int) positions.getShape().get(1);
  }

  /** The tokens. */
  public TextVocabulary vocabulary() {
    return vocabulary;
  }

  /** The embedding width D. */
  public int width() {
    return (int) embed.getShape().get(1);
  }

  /**
   * The token ids of one caption, padded to {@link #length()} (null or empty: all padding).
   *
   * @throws WorkbenchException naming the caption when it has too many words
   */
  public long[] ids(String caption) {
    return vocabulary.encode(caption, length());
  }

  /** Token ids of captions, {@code [captions.size(), length]} int64 in {@code manager}. */
  public NDArray encode(List<String> captions, NDManager manager) {
    long[] flat = new long[captions.size() * length()];
    for (int i = 0; i < captions.size(); i++) {
      System.arraycopy(ids(captions.get(i)), 0, flat, i * length(), length());
    }
    return io.anw.TorchArrays.of(manager, flat, new Shape(captions.size(), length()));
  }

  /** All-padding ids {@code [batch, length]}: the input of a clip without a caption. */
  public NDArray none(long batch, NDManager manager) {
    return manager.zeros(new Shape(batch, length()), DataType.INT64);
  }

  /**
   * The ids as {@code [batch, tokens]}: a single caption {@code [tokens]} gets a batch axis.
   *
   * @throws WorkbenchException on another rank, a batch that differs from the audio's, too many
   *     tokens, or ids outside the vocabulary
   */
  NDArray checkIds(NDArray ids, long batch, String model) {
    Shape s = ids.getShape();
    NDArray two = s.dimension() == 1 ? ids.reshape(1, s.get(0)) : ids;
    Shape t = two.getShape();
    if (t.dimension() != 2 || t.get(0) != batch) {
      throw new WorkbenchException(model + ": text ids have shape " + s + "; expected [" + batch
          + ", tokens] for " + batch + " audio input(s)");
    }
    if (t.get(1) > length() || t.get(1) == 0) {
      throw new WorkbenchException(model + ": " + t.get(1) + " text tokens; the text pathway"
          + " reads 1 to " + length());
    }
    if (two.getDataType() != DataType.INT64 && two.getDataType() != DataType.INT32) {
      throw new WorkbenchException(model + ": text ids are " + two.getDataType()
          + "; expected integer token ids");
    }
    long max = two.max().toType(DataType.INT64, false).getLong();
    long min = two.min().toType(DataType.INT64, false).getLong();
    if (min < 0 || max >= vocabulary.size()) {
      throw new WorkbenchException(model + ": text ids must lie in [0, " + vocabulary.size()
          + "), got " + min + ".." + max);
    }
    return two;
  }

  /**
   * Embeds token ids {@code [rows, tokens]}: table rows plus the first {@code tokens} positions,
   * {@code [rows, tokens, D]} in {@code scope}.
   */
  NDArray embed(NDArray ids, NDManager scope) {
    return embed(ids, embed, positions, scope);
  }

  /**
   * The text pathway's math on given weights (shared with the trainable twin, so both compute
   * the same): token ids {@code [rows, tokens]} as one-hot rows times the table
   * {@code [V, D]}, plus the first {@code tokens} rows of {@code positions [1, T, D]};
   * {@code [rows, tokens, D]} in {@code scope}. One-hot products keep it differentiable.
   */
  public static NDArray embed(NDArray ids, NDArray table, NDArray positions, NDManager scope) {
    long rows = ids.getShape().get(0);
    long tokens = ids.getShape().get(1);
    long vocabulary = table.getShape().get(0);
    long width = table.getShape().get(1);
    NDArray oneHot = ids.get(scope, new NDIndex(":")).toType(DataType.INT64, false)
        .oneHot((int) vocabulary).toType(DataType.FLOAT32, false);
    NDArray t = table.get(scope, new NDIndex(":"));
    NDArray pos = positions.get(scope, new NDIndex(":, :{}, :", tokens));
    return oneHot.matMul(t).reshape(rows, tokens, width).add(pos);
  }
}
