package io.anw.kernel;

/** The name under the cursor for Jupyter's inspect request, and Javadoc cut to its summary. */
final class Inspection {
  private Inspection() {}

  private static boolean part(char c) {
    return Character.isJavaIdentifierPart(c) || c == '.';
  }

  /** The dotted name around {@code at} ({@code WB.top}), or empty. */
  static String nameAt(String code, int at) {
    int a = Math.min(Math.max(0, at), code.length());
    int b = a;
    while (a > 0 && part(code.charAt(a - 1))) {
      a--;
    }
    while (b < code.length() && part(code.charAt(b))) {
      b++;
    }
    return code.substring(a, b).replaceAll("^\\.+|\\.+$", "");
  }

  /** The end of the name around {@code at} (JShell documents the name before its cursor). */
  static int endOfName(String code, int at) {
    int b = Math.min(Math.max(0, at), code.length());
    while (b < code.length() && Character.isJavaIdentifierPart(code.charAt(b))) {
      b++;
    }
    return b;
  }

  /** The Javadoc's first sentence (all of it with {@code full}), tags and HTML removed. */
  static String summary(String javadoc, boolean full) {
    String text = javadoc.replaceAll("(?s)\\{@\\w+\\s+([^}]*)}", "$1").replaceAll("<[^>]+>", "")
        .replaceAll("\\s+", " ").strip();
    if (full) {
      return text;
    }
    int tag = text.indexOf(" @");
    if (tag > 0) {
      text = text.substring(0, tag);
    }
    int dot = text.indexOf(". ");
    return dot > 0 ? text.substring(0, dot + 1) : text;
  }
}
