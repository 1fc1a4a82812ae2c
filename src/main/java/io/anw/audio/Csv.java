package io.anw.audio;

import java.util.ArrayList;
import java.util.List;

/** A small RFC 4180 CSV parser: commas, double-quoted fields with {@code ""} escapes, CRLF. */
final class Csv {
  private Csv() {}

  /** One record and the 1-based line of the file it starts on. */
  record Row(int line, List<String> fields) {}

  /** Parses {@code text} into rows; blank lines are skipped, a leading BOM ignored. */
  static List<Row> parse(String text) {
    List<Row> rows = new ArrayList<>();
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    int line = 1;
    int start = 1;
    int i = text.startsWith("\uFEFF") ? 1 : 0;
    for (; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          if (c == '\n') {
            line++;
          }
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        end(rows, fields, field, start);
        line++;
        start = line;
      } else {
        field.append(c);
      }
    }
    end(rows, fields, field, start);
    return rows;
  }

  private static void end(List<Row> rows, List<String> fields, StringBuilder field, int line) {
    fields.add(field.toString());
    field.setLength(0);
    boolean blank = fields.stream().allMatch(String::isBlank);
    if (!blank) {
      rows.add(new Row(line, List.copyOf(fields)));
    }
    fields.clear();
  }
}
