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
  private final org.jline.terminal.Terminal terminal; // null: no pager (tests, dumb terminals)
  private final HelpIndex help = new HelpIndex(WB.class);

  ReplCommands(JShellSession session, PrintWriter out) {
    this(session, out, null);
  }

  /** Commands writing to {@code out}; long texts paged on {@code terminal} when it is real. */
  ReplCommands(JShellSession session, PrintWriter out, org.jline.terminal.Terminal terminal) {
    this.session = session;
    this.out = out;
    this.terminal = terminal;
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
        case ":vars" -> listOrNone(session.variables(io.anw.report.TableText.width() - 6), "no variables yet");
        case ":methods" -> listOrNone(session.declarations(), "no methods or types declared");
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

  private void listOrNone(List<String> lines, String none) {
    if (lines.isEmpty()) {
      out.println("|  " + none);
    }
    lines.forEach(v -> out.println("|    " + v));
  }


  private void help(String arg) {
    if (!arg.isEmpty()) {
      String text = help.describe(arg);
      out.print(text.isEmpty() ? "|  no facade method named " + arg + "\n" : text);
      return;
    }
    StringBuilder sb = new StringBuilder();
    sb.append("The WB facade (type WB. and Tab to complete; :help NAME for one):\n");
    sb.append(help.overview()).append('\n');
    sb.append("Commands:\n");
    sb.append("  :help [NAME]     this list, or one facade method\n");
    sb.append("  :vars            variables of the session   :methods  methods and types\n");
    sb.append("  :imports         active imports\n");
    sb.append("  :load FILE.jsh   run a script into this session\n");
    sb.append("  :save [-all] FILE.jsh   save the snippets that ran (-all: every one) as a"
        + " script\n");
    sb.append("  :exit            leave (or Ctrl-D); Ctrl-C cancels a running snippet\n");
    page(sb.toString());
  }

  /** Prints {@code text}, through JLine's pager when it is longer than the screen. */
  private void page(String text) {
    long lines = text.lines().count();
    if (terminal == null || terminal.getHeight() <= 0 || lines < terminal.getHeight() - 1
        || org.jline.terminal.Terminal.TYPE_DUMB.equals(terminal.getType())) {
      out.print(text);
      return;
    }
    out.flush();
    try {
      org.jline.builtins.Less less = new org.jline.builtins.Less(terminal, Path.of("."));
      less.quitIfOneScreen = true;
      less.run(new org.jline.builtins.Source.InputStreamSource(new java.io.ByteArrayInputStream(
          text.getBytes(StandardCharsets.UTF_8)), true, "help"));
    } catch (IOException | InterruptedException e) {
      out.print(text); // no pager: print it all
    }
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
    boolean all = arg.startsWith("-all");
    String name = all ? arg.substring(4).strip() : arg;
    if (name.isEmpty()) {
      throw new WorkbenchException(":save needs a file, e.g. :save exploration.jsh");
    }
    Path file = Path.of(name);
    List<String> snippets = all ? session.allSources() : session.acceptedSources();
    String text = String.join("\n", snippets) + "\n";
    AtomicFile.write(file, text.getBytes(StandardCharsets.UTF_8));
    out.println("|  saved " + snippets.size() + (all ? " snippets (failed ones too)"
        : " snippets that ran") + " to " + file);
  }
}
