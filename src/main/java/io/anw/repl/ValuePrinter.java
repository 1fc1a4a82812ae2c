package io.anw.repl;

import java.io.PrintWriter;

/**
 * Prints what a snippet produced the way {@code jshell} does ({@code x ==> 42},
 * {@code created method f(int)}, errors after {@code |  }), with rich renderings from
 * {@link Display} where the value's type has one.
 */
final class ValuePrinter {
  private final JShellSession session;
  private final PrintWriter out;

  ValuePrinter(JShellSession session, PrintWriter out) {
    this.session = session;
    this.out = out;
  }

  void print(JShellSession.Outcome o) {
    for (JShellSession.Shown s : o.shown()) {
      if (s.declaration()) {
        out.println("|  created " + s.typeName() + " " + s.name());
        continue;
      }
      String value = s.value();
      if (Display.isRich(s.typeName())) {
        if (session.evalHidden("io.anw.repl.Display.capture(" + s.name() + ")")) {
          String rich = Display.takeLast();
          value = rich != null ? rich : value;
        }
      }
      if (value == null) {
        continue;
      }
      out.println(s.name() + " ==> " + (value.contains("\n") ? "\n" + value : value));
    }
    switch (o.kind()) {
      case COMPILE_ERROR -> {
        out.println("|  Error:");
        out.println("|  " + o.message());
        if (o.error() != null) {
          o.error().body("|  ").forEach(out::println);
        }
      }
      case EXCEPTION -> {
        out.println("|  " + o.message());
        if (io.anw.ErrorReport.debug() && o.exception() != null) {
          o.exception().printStackTrace(out);
        }
      }
      default -> { }
    }
    out.flush();
  }
}
