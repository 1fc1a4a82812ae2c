package io.anw.repl;

import io.anw.AtomicFile;
import io.anw.WorkbenchException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The REPL's {@code :commands}: {@code :help [NAME]}, {@code :vars}, {@code :imports},
 * {@code :load FILE.jsh}, {@code :save FILE.jsh}, {@code :exit}.
 */
final class ReplCommands {
  /** Command names, for completion. */
  static final List<String> NAMES =
      List.of(":help", ":vars", ":methods", ":imports", ":load", ":save", ":exit");

  private final JShellSession session;
  private final PrintWriter out;
  private final HelpIndex help = new HelpIndex(WB.class);

  ReplCommands(JShellSession session, PrintWriter out) {
    this.session = session;
    this.out = out;
  }

  /** Runs one command line; returns false when the REPL should exit. */
  boolean run(String line) {
    String[] words = line.split("\\s+", 2);
    String arg = words.length > 1 ? words[1].strip() : "";
    try {
      switch (words[0]) {
        case ":exit", ":quit", ":q" -> {
          return false;
        }
        case ":help", ":h", ":?" -> help(arg);
        case ":vars" -> session.variables().forEach(v -> out.println("|    " + v));
        case ":methods" -> session.declarations().forEach(v -> out.println("|    " + v));
        case ":imports" -> session.imports().forEach(v -> out.println("|    " + v));
        case ":load" -> load(arg);
        case ":save" -> save(arg);
        default -> out.println("|  unknown command " + words[0] + "; :help lists them");
      }
    } catch (WorkbenchException e) {
      out.println("|  " + e.getMessage());
    }
    out.flush();
    return true;
  }

  private void help(String arg) {
    if (!arg.isEmpty()) {
      String text = help.describe(arg);
      out.print(text.isEmpty() ? "|  no facade method named " + arg + "\n" : text);
      return;
    }
    out.println("The WB facade (type WB. and Tab to complete; :help NAME for one):");
    out.print(help.overview());
    out.println();
    out.println("Commands:");
    out.println("  :help [NAME]     this list, or one facade method");
    out.println("  :vars            variables of the session   :methods  methods and types");
    out.println("  :imports         active imports");
    out.println("  :load FILE.jsh   run a script into this session");
    out.println("  :save FILE.jsh   save this session's snippets as a script");
    out.println("  :exit            leave (or Ctrl-D); Ctrl-C cancels a running snippet");
  }

  private void load(String arg) {
    if (arg.isEmpty()) {
      throw new WorkbenchException(":load needs a file, e.g. :load scripts/hello.jsh");
    }
    Path file = Path.of(arg);
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new WorkbenchException(file + ": cannot read (" + e.getMessage() + ")", e);
    }
    out.flush();
    ScriptRunner.run(session, file, text, System.err);
    System.err.flush();
  }

  private void save(String arg) {
    if (arg.isEmpty()) {
      throw new WorkbenchException(":save needs a file, e.g. :save exploration.jsh");
    }
    Path file = Path.of(arg);
    String text = String.join("\n", session.acceptedSources()) + "\n";
    AtomicFile.write(file, text.getBytes(StandardCharsets.UTF_8));
    out.println("|  saved " + session.acceptedSources().size() + " snippets to " + file);
  }
}
