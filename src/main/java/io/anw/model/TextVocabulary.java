package io.anw.model;

import io.anw.WorkbenchException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The words of a model's text pathway, one token each: id 0 is {@value #PAD} (padding, and the
 * whole caption of an input that has none), id 1 {@value #UNK} (any word not in the list), then
 * the words. Captions are lower-cased and split at every character that is not a letter or a
 * digit, so {@code "A high note!"} is {@code [a, high, note]}.
 */
public final class TextVocabulary {
  /** Padding token, id 0. */
  public static final String PAD = "<pad>";
  /** Unknown-word token, id 1. */
  public static final String UNK = "<unk>";

  private final List<String> words;
  private final Map<String, Integer> index = new HashMap<>();

  /**
   * A vocabulary of the tokens in id order, starting with {@value #PAD} and {@value #UNK}.
   *
   * @throws WorkbenchException when the special tokens are missing or a word is repeated or is
   *     not one lower-case word
   */
  public TextVocabulary(List<String> tokens) {
    List<String> words = List.copyOf(tokens);
    if (words.size() < 2 || !words.get(0).equals(PAD) || !words.get(1).equals(UNK)) {
      throw new WorkbenchException("a vocabulary starts with " + PAD + " and " + UNK + ", got "
          + words.subList(0, Math.min(2, words.size())));
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < words.size(); i++) {
      String w = words.get(i);
      if (!seen.add(w)) {
        throw new WorkbenchException("vocabulary: '" + w + "' appears twice");
      }
      if (i >= 2 && (w.isEmpty() || !split(w).equals(List.of(w)))) {
        throw new WorkbenchException("vocabulary: '" + w + "' is not one lower-case word");
      }
      index.put(w, i);
    }
    this.words = words;
  }

  /** The tokens in id order. */
  public List<String> words() {
    return words;
  }

  /** {@value #PAD}, {@value #UNK} and the given words. */
  public static TextVocabulary of(String... words) {
    List<String> all = new ArrayList<>(List.of(PAD, UNK));
    all.addAll(List.of(words));
    return new TextVocabulary(all);
  }

  /** A vocabulary from its stored form: the tokens in id order, separated by spaces. */
  public static TextVocabulary parse(String stored) {
    return new TextVocabulary(List.of(stored.strip().split("\\s+")));
  }

  /** {@code n} numbered tokens {@code t2 .. t(n-1)} after the special ones, for a checkpoint without words. */
  public static TextVocabulary numbered(int n) {
    List<String> all = new ArrayList<>(List.of(PAD, UNK));
    for (int i = 2; i < n; i++) {
      all.add("t" + i);
    }
    return new TextVocabulary(all);
  }

  /** The stored form: tokens in id order separated by single spaces. */
  public String stored() {
    return String.join(" ", words);
  }

  /** Number of tokens, the special ones included. */
  public int size() {
    return words.size();
  }

  /** The id of a word ({@code 1}, {@value #UNK}, when it is not in the vocabulary). */
  public int id(String word) {
    return index.getOrDefault(word.toLowerCase(Locale.ROOT), 1);
  }

  /** The words of a caption, lower-cased, split at non-letters and non-digits. */
  public static List<String> split(String caption) {
    List<String> out = new ArrayList<>();
    if (caption == null) {
      return out;
    }
    for (String w : caption.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (!w.isEmpty()) {
        out.add(w);
      }
    }
    return out;
  }

  /**
   * The ids of a caption's words padded with {@value #PAD} to {@code length}; an empty or null
   * caption is all padding.
   *
   * @throws WorkbenchException naming the caption when it has more than {@code length} words
   */
  public long[] encode(String caption, int length) {
    List<String> w = split(caption);
    if (w.size() > length) {
      throw new WorkbenchException("caption '" + caption + "' has " + w.size()
          + " words; the text pathway reads at most " + length);
    }
    long[] ids = new long[length];
    for (int i = 0; i < w.size(); i++) {
      ids[i] = id(w.get(i));
    }
    return ids;
  }

  /** The caption of ids, padding left out. */
  public String decode(long[] ids) {
    List<String> out = new ArrayList<>();
    for (long id : ids) {
      if (id < 0 || id >= words.size()) {
        throw new WorkbenchException("token id " + id + " is outside the vocabulary of "
            + words.size());
      }
      if (id != 0) {
        out.add(words.get((int) id));
      }
    }
    return String.join(" ", out);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TextVocabulary v && v.words.equals(words);
  }

  @Override
  public int hashCode() {
    return words.hashCode();
  }

  @Override
  public String toString() {
    return "TextVocabulary[" + words.size() + " tokens: " + stored() + "]";
  }
}
