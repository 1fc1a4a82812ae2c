package io.anw.repl;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * A snippet's compile error as {@code jshell} shows it: the compiler's message with its detail
 * lines (symbol, location), the source line with a caret under the error, and "did you mean"
 * for close names ({@code WB.apee} → {@code aape}).
 *
 * @param message the compiler's first line, e.g. {@code cannot find symbol}
 * @param detail the compiler's further lines ({@code symbol: ...}, {@code location: ...})
 * @param line 0-based line of the error within the snippet
 * @param column 1-based column of the error within that line
 * @param sourceLine that line of the snippet
 * @param length characters the error spans on that line (at least 1)
 * @param suggestions close names, best first (may be empty)
 */
public record CompileError(String message, List<String> detail, int line, int column,
    String sourceLine, int length, List<String> suggestions) {
  private static final Pattern SYMBOL = Pattern.compile(
      "symbol:\\s+(?:method|variable|class|static|interface)\\s+([A-Za-z_$][\\w$]*)");

  /**
   * The error of {@code source} at character positions {@code start..end} (0-based, within the
   * snippet), with {@code names} as the candidates for suggestions.
   */
  static CompileError of(String source, String diagnostic, long start, long end,
      Collection<String> names) {
    List<String> lines = diagnostic.strip().lines().toList();
    String message = lines.isEmpty() ? "compile error" : lines.get(0).strip();
    List<String> detail = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      // JShell's wrapper class of top-level code has no name: "location: class" says nothing
      if (!lines.get(i).isBlank() && !lines.get(i).strip().matches("location:\\s*class")) {
        detail.add(lines.get(i).strip());
      }
    }
    int pos = (int) Math.max(0, Math.min(start < 0 ? 0 : start, source.length()));
    int lineStart = source.lastIndexOf('\n', pos - 1) + 1;
    int lineEnd = source.indexOf('\n', pos);
    if (lineEnd < 0) {
      lineEnd = source.length();
    }
    int line = (int) source.substring(0, lineStart).chars().filter(c -> c == '\n').count();
    int span = end > start ? (int) Math.min(end, lineEnd) - pos : 1;
    return new CompileError(message, List.copyOf(detail), line, pos - lineStart + 1,
        source.substring(lineStart, lineEnd), Math.max(1, span),
        suggest(String.join("\n", lines), names));
  }

  private static final Pattern LOCATION = Pattern.compile(
      "location:\\s+(?:(?:class|interface)\\s+|.*of type\\s+)([A-Za-z_$][\\w.$]*)");

  /**
   * Names within a small edit distance of the missing symbol's, closest first (at most 3):
   * among {@code names} and the public members of the class the compiler names as location.
   */
  static List<String> suggest(String diagnostic, Collection<String> names) {
    Matcher m = SYMBOL.matcher(diagnostic);
    if (!m.find()) {
      return List.of();
    }
    Matcher where = LOCATION.matcher(diagnostic);
    if (where.find()) {
      List<String> all = new ArrayList<>(names);
      all.addAll(members(where.group(1)));
      names = all;
    }
    String missing = m.group(1);
    int limit = missing.length() <= 3 ? 1 : 2;
    LevenshteinDistance distance = new LevenshteinDistance(limit);
    String key = missing.toLowerCase();
    java.util.Map<String, Integer> close = new java.util.HashMap<>();
    for (String n : names) {
      int d = n.equals(missing) ? -1 : distance.apply(key, n.toLowerCase());
      if (d >= 0) {
        close.put(n, d); // within the limit (-1: farther)
      }
    }
    return close.keySet().stream().sorted(Comparator.comparingInt((String n) -> close.get(n))
        .thenComparing(Comparator.naturalOrder())).limit(3).toList();
  }

  /** Public method and field names of a class named by the compiler (none if not loadable). */
  private static List<String> members(String className) {
    for (String name : List.of(className, "java.lang." + className)) {
      try {
        Class<?> c = Class.forName(name, false, CompileError.class.getClassLoader());
        List<String> out = new ArrayList<>();
        for (java.lang.reflect.Method method : c.getMethods()) {
          out.add(method.getName());
        }
        for (java.lang.reflect.Field f : c.getFields()) {
          out.add(f.getName());
        }
        return out;
      } catch (ClassNotFoundException | LinkageError e) {
        // not a class of this class path: no members to suggest
      }
    }
    return List.of();
  }

  /** The lines after the first: detail, source line, caret, suggestion; each with {@code prefix}. */
  public List<String> body(String prefix) {
    List<String> out = new ArrayList<>();
    detail.forEach(d -> out.add(prefix + "  " + d));
    String src = sourceLine.replace('\t', ' ');
    out.add(prefix + src);
    int caretAt = Math.max(0, Math.min(column - 1, src.length()));
    int width = Math.max(1, Math.min(length, src.length() - caretAt));
    out.add(prefix + " ".repeat(caretAt) + (width <= 1 ? "^" : "^" + "-".repeat(width - 2) + "^"));
    if (!suggestions.isEmpty()) {
      out.add(prefix + "did you mean " + String.join(", ", suggestions) + "?");
    }
    return out;
  }
}
