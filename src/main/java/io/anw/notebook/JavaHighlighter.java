package io.anw.notebook;

import io.anw.report.RichOutput;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Syntax colouring of Java/JShell code for the HTML notebook: comments, strings and chars,
 * keywords, numbers and annotations become {@code <span class="...">} (everything escaped).
 */
final class JavaHighlighter {
  private static final Set<String> KEYWORDS = Set.of("abstract", "assert", "boolean", "break",
      "byte", "case", "catch", "char", "class", "continue", "default", "do", "double", "else",
      "enum", "extends", "final", "finally", "float", "for", "if", "implements", "import",
      "instanceof", "int", "interface", "long", "new", "package", "private", "protected",
      "public", "record", "return", "short", "static", "super", "switch", "this", "throw",
      "throws", "try", "var", "void", "volatile", "while", "true", "false", "null", "yield");
  private static final Pattern TOKEN = Pattern.compile(
      "(?<comment>//[^\\n]*|/\\*.*?\\*/)"
          + "|(?<text>\"\"\".*?\"\"\"|\"(?:\\\\.|[^\"\\\\\\n])*\"|'(?:\\\\.|[^'\\\\\\n])*')"
          + "|(?<annotation>@\\w+)"
          + "|(?<number>\\b\\d[\\d_]*(?:\\.\\d+)?(?:[eE][+-]?\\d+)?[fFdDlL]?\\b)"
          + "|(?<word>\\b[A-Za-z_]\\w*\\b)",
      Pattern.DOTALL);

  private JavaHighlighter() {}

  /** The code as escaped HTML with highlight spans. */
  static String highlight(String code) {
    StringBuilder sb = new StringBuilder();
    Matcher m = TOKEN.matcher(code);
    int last = 0;
    while (m.find()) {
      sb.append(RichOutput.escape(code.substring(last, m.start())));
      String token = RichOutput.escape(m.group());
      String cls = m.group("comment") != null ? "c"
          : m.group("text") != null ? "s"
          : m.group("annotation") != null ? "a"
          : m.group("number") != null ? "n"
          : KEYWORDS.contains(m.group()) ? "k"
          : Character.isUpperCase(m.group().charAt(0)) ? "t" : null;
      sb.append(cls == null ? token : "<span class=\"" + cls + "\">" + token + "</span>");
      last = m.end();
    }
    sb.append(RichOutput.escape(code.substring(last)));
    return sb.toString();
  }
}
