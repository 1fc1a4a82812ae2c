package io.anw.repl;

import io.anw.Version;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The interactive REPL: a JShell session (local execution, {@link WB} preloaded) behind a
 * JLine line reader with completion, multi-line snippets and persistent history in
 * {@code ~/.workbench/history} (or {@code $WORKBENCH_HOME/history}).
 *
 * <p>Ctrl-C cancels the running snippet (or the line being typed); Ctrl-D or {@code :exit}
 * leaves.
 */
public final class Repl {
  private Repl() {}

  /** The folder holding REPL history and settings: {@code $WORKBENCH_HOME} or {@code ~/.workbench}. */
  public static Path home() {
    return io.anw.WorkbenchHome.dir();
  }

  /** Runs the REPL on the terminal until Ctrl-D or {@code :exit}; returns the exit code. */
  public static int start() {
    JLineNative.install();
    try (Terminal terminal = TerminalBuilder.builder().system(true).build();
        JShellSession session = new JShellSession(new String[0])) {
      Files.createDirectories(home());
      PrintWriter out = terminal.writer();
      ReplCommands commands = new ReplCommands(session, out, terminal);
      LineReader reader = LineReaderBuilder.builder()
          .terminal(terminal)
          .appName("workbench")
          .completer(new JShellCompleter(session, ReplCommands.NAMES))
          .parser(new SnippetParser(session))
          .variable(LineReader.HISTORY_FILE, home().resolve("history"))
          .variable(LineReader.SECONDARY_PROMPT_PATTERN, "  ...> ")
          .variable(LineReader.HISTORY_SIZE, 5000)
          .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
          .option(LineReader.Option.HISTORY_INCREMENTAL, true)
          .build();
      out.println("Audio-neuron workbench " + Version.workbench()
          + " -- :help lists the tools, Tab completes, Ctrl-D exits.");
      out.flush();
      while (true) {
        String input;
        try {
          input = reader.readLine("wb> ");
        } catch (UserInterruptException e) {
          continue; // Ctrl-C on the prompt: drop the line
        } catch (EndOfFileException e) {
          break;
        }
        if (input.isBlank()) {
          continue;
        }
        if (terminal.getWidth() >= 40) { // tables and :vars in the terminal's (current) width
          System.setProperty(io.anw.report.TableText.WIDTH_PROPERTY,
              Integer.toString(terminal.getWidth()));
        }
        if (SnippetSplitter.isContinuation(input, false)) {
          continueLast(terminal, session, input, out);
          continue;
        }
        if (input.strip().startsWith(":")) {
          if (!commands.run(input.strip())) {
            break;
          }
          continue;
        }
        evaluate(terminal, session, input, out);
      }
      reader.getHistory().save();
      return 0;
    } catch (IOException e) {
      io.anw.ErrorReport.report(e, System.err);
      return 1;
    }
  }

  /**
   * An operator-first line typed after a snippet ran ({@code .sortDescendingOn(...)}): the
   * previous snippet is evaluated again with it, as a script would have read the two lines.
   */
  static void continueLast(Terminal terminal, JShellSession session, String input,
      PrintWriter out) {
    Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, s -> session.stop());
    try {
      JShellSession.Outcome o = session.evalContinuing(input);
      if (o == null) {
        out.println("|  nothing to continue: '" + input.strip() + "' continues the snippet"
            + " before it");
      } else {
        out.println("|  (continues the previous snippet, evaluated again with this line)");
        new ValuePrinter(session, out).print(o);
      }
    } finally {
      terminal.handle(Terminal.Signal.INT, previous);
      out.flush();
    }
  }

  /** Evaluates typed input (one or more snippets), Ctrl-C stopping the one that runs. */
  static void evaluate(Terminal terminal, JShellSession session, String input, PrintWriter out) {
    AtomicBoolean cancelled = new AtomicBoolean();
    Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, signal -> {
      cancelled.set(true);
      session.stop();
    });
    try {
      for (SnippetSplitter.Piece piece : SnippetSplitter.split(input, session.analysis())) {
        if (piece.command()) {
          out.println("|  commands start with ':' here (e.g. :exit), not '/'");
          continue;
        }
        System.out.flush();
        JShellSession.Outcome o = session.eval(piece.source());
        System.out.flush();
        System.err.flush();
        if (cancelled.get()) {
          out.println();
          out.println("|  cancelled (Ctrl-C)");
          break;
        }
        new ValuePrinter(session, out).print(o);
        if (!o.ok()) {
          break;
        }
      }
    } finally {
      terminal.handle(Terminal.Signal.INT, previous);
      out.flush();
    }
  }
}
