package io.anw.notebook;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Jupytext percent format for Java: {@code // %%} starts a code cell, {@code // %% [markdown]}
 * a markdown cell whose lines are {@code // }-prefixed; text before the first marker is a code
 * cell. The same file runs unchanged as a script (markdown cells are comments).
 */
public final class PercentFormat {
  private static final Pattern MARKER =
      Pattern.compile("^\\s*//\\s*%%(?!%)\\s*(?:(.*?)\\s*)?(\\[(markdown|md)\\])?\\s*$");

  private PercentFormat() {}

  /** Parses a notebook; blank cells are dropped. */
  public static List<Cell> parse(String text) {
    List<Cell> cells = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    Cell.Kind kind = Cell.Kind.CODE;
    StringBuilder body = new StringBuilder();
    int start = 1;
    for (int i = 0; i < lines.length; i++) {
      Matcher m = MARKER.matcher(lines[i]);
      if (m.matches()) {
        add(cells, kind, body, start);
        kind = m.group(3) != null ? Cell.Kind.MARKDOWN : Cell.Kind.CODE;
        body.setLength(0);
        start = i + 2;
        continue;
      }
      body.append(kind == Cell.Kind.MARKDOWN ? unComment(lines[i]) : lines[i]).append('\n');
    }
    add(cells, kind, body, start);
    return cells;
  }

  private static void add(List<Cell> cells, Cell.Kind kind, StringBuilder body, int start) {
    String text = body.toString();
    if (text.isBlank()) {
      return;
    }
    // Leading blank lines move the start; trailing ones are dropped.
    int lead = 0;
    while (text.startsWith("\n")) {
      text = text.substring(1);
      lead++;
    }
    cells.add(new Cell(kind, text.stripTrailing(), start + lead));
  }

  private static String unComment(String line) {
    String t = line.stripLeading();
    if (t.startsWith("// ")) {
      return t.substring(3);
    }
    if (t.startsWith("//")) {
      return t.substring(2);
    }
    return line;
  }

  /** Writes cells in the percent format (the inverse of {@link #parse}). */
  public static String render(List<Cell> cells) {
    StringBuilder sb = new StringBuilder();
    for (Cell c : cells) {
      if (sb.length() > 0) {
        sb.append('\n');
      }
      if (c.kind() == Cell.Kind.MARKDOWN) {
        sb.append("// %% [markdown]\n");
        for (String line : c.source().split("\n", -1)) {
          sb.append(line.isEmpty() ? "//" : "// " + line).append('\n');
        }
      } else {
        sb.append("// %%\n").append(c.source().stripTrailing()).append('\n');
      }
    }
    return sb.toString();
  }
}
