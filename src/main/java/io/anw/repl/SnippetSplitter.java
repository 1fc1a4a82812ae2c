package io.anw.repl;

import java.util.ArrayList;
import java.util.List;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;

/**
 * Cuts the text of a {@code .jsh} file into snippets the way the {@code jshell} tool reads a
 * file: line by line, a snippet ends as soon as the lines so far form a complete one, several
 * snippets may share a line, and a line starting with {@code /} (jshell's) or {@code :} (the
 * REPL's) is a command. Unlike
 * {@code jshell}, a line starting with {@code .} continues the snippet before it, so fluent
 * builder chains may be written one call per line.
 */
public final class SnippetSplitter {
  /** One unit of a script: Java source to evaluate, or a {@code /command} or {@code :command} line. */
  public record Piece(String source, int line, boolean command, boolean complete) {}

  private SnippetSplitter() {}

  /** Splits {@code text}; {@code line} numbers are 1-based, where each piece's code starts. */
  public static List<Piece> split(String text, SourceCodeAnalysis analysis) {
    List<Piece> pieces = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    StringBuilder buffer = new StringBuilder();
    int bufferLine = 0; // 1-based line where the buffer's first line sits
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      String lead = line.stripLeading();
      if (isBlank(buffer) && (lead.startsWith(":") || lead.startsWith("/")
          && !lead.startsWith("//") && !lead.startsWith("/*"))) {
        pieces.add(new Piece(line.strip(), i + 1, true, true));
        buffer.setLength(0);
        continue;
      }
      if (isBlank(buffer)) {
        buffer.setLength(0);
        bufferLine = i + 1;
      }
      buffer.append(line).append('\n');
      if (continuesOnNextLine(lines, i + 1)) {
        continue; // a method chain goes on: `.title(...)` on the next line
      }
      while (!isBlank(buffer)) {
        SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(buffer.toString());
        Completeness c = info.completeness();
        if (c == Completeness.DEFINITELY_INCOMPLETE || c == Completeness.CONSIDERED_INCOMPLETE) {
          break;
        }
        if (c == Completeness.EMPTY) {
          buffer.setLength(0);
          break;
        }
        String consumedText;
        String source;
        String remaining;
        if (c == Completeness.UNKNOWN) {
          consumedText = buffer.toString();
          source = consumedText;
          remaining = "";
        } else {
          remaining = info.remaining();
          consumedText = buffer.substring(0, buffer.length() - remaining.length());
          source = info.source();
        }
        int start = bufferLine + linesBeforeCode(consumedText);
        pieces.add(new Piece(source, start, false, true));
        bufferLine += countNewlines(consumedText);
        buffer.setLength(0);
        buffer.append(remaining);
      }
    }
    if (!isBlank(buffer)) {
      String rest = buffer.toString();
      pieces.add(new Piece(rest, bufferLine + linesBeforeCode(rest), false, false));
    }
    return pieces;
  }

  /**
   * Whether the next line with code continues this one: it starts with {@code .} (a method
   * chain), {@code ?} or {@code :} (a conditional), {@code +} (a concatenation), {@code &&} or
   * {@code ||} — the operator-first style of wrapped Java lines.
   */
  private static boolean continuesOnNextLine(String[] lines, int from) {
    for (int j = from; j < lines.length; j++) {
      String t = lines[j].strip();
      if (t.isEmpty() || t.startsWith("//")) {
        continue;
      }
      return isContinuation(t, true);
    }
    return false;
  }

  /**
   * Whether a line of code continues the snippet before it (operator first: {@code .},
   * {@code ?}, {@code +}, {@code &&}, {@code ||}, and in scripts {@code :}; in the REPL a line
   * starting with {@code :} is a command).
   */
  static boolean isContinuation(String line, boolean colon) {
    String t = line.strip();
    return (t.startsWith(".") && !t.startsWith("..")) || t.startsWith("?")
        || (colon && t.startsWith(":") && !t.startsWith("::"))
        || (t.startsWith("+") && !t.startsWith("++")) || t.startsWith("&&")
        || t.startsWith("||");
  }

  private static boolean isBlank(CharSequence s) {
    return s.toString().isBlank();
  }

  private static int countNewlines(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '\n') {
        n++;
      }
    }
    return n;
  }

  /** Lines before the first character of code, skipping blanks and comments. */
  static int linesBeforeCode(String s) {
    int i = 0;
    int newlines = 0;
    while (i < s.length()) {
      char ch = s.charAt(i);
      if (ch == '\n') {
        newlines++;
        i++;
      } else if (Character.isWhitespace(ch)) {
        i++;
      } else if (s.startsWith("//", i)) {
        int end = s.indexOf('\n', i);
        i = end < 0 ? s.length() : end;
      } else if (s.startsWith("/*", i)) {
        int end = s.indexOf("*/", i + 2);
        int stop = end < 0 ? s.length() : end + 2;
        newlines += countNewlines(s.substring(i, stop));
        i = stop;
      } else {
        break;
      }
    }
    return newlines;
  }
}
