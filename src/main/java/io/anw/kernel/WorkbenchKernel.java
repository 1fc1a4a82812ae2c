package io.anw.kernel;

import io.anw.Version;
import io.anw.notebook.CellExecution;
import io.anw.notebook.Ipynb;
import io.anw.repl.HelpIndex;
import io.anw.repl.JShellSession;
import io.anw.repl.WB;
import io.anw.report.RichOutput;
import io.anw.report.Show;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jdk.jshell.SourceCodeAnalysis;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.BaseKernelBuilder;
import org.dflib.jjava.jupyter.kernel.HelpLink;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.magic.MagicParser;

/**
 * The workbench as a Jupyter kernel: the REPL's session (JShell in this JVM, the startup imports
 * and {@code WB}) run cell by cell over the Jupyter messaging protocol (JJava's implementation
 * over ZeroMQ). Cells run exactly as {@code ./workbench notebook} runs them
 * ({@link CellExecution}): outputs stream while a cell runs, {@code WB.show(x)} sends
 * display data, the last expression worth showing is the execute result (tables as HTML, charts
 * as PNG, clips as players), and a failure is an error naming the cell's line. Completion,
 * inspection ({@code :help} and Javadoc) and the completeness check come from JShell's analysis,
 * as in the REPL; an interrupt stops the running cell.
 */
public final class WorkbenchKernel extends BaseKernel {
  /** The kernelspec name. */
  public static final String NAME = Ipynb.KERNEL_NAME;
  /** The name shown in Jupyter's kernel menu. */
  public static final String DISPLAY_NAME = Ipynb.KERNEL_DISPLAY_NAME;

  private final JShellSession session;
  private final HelpIndex help = new HelpIndex(WB.class);

  private WorkbenchKernel(Builder b) {
    super(b.name(), b.version(), new LanguageInfo.Builder("java")
            .version(Runtime.version().toString()).mimetype("text/x-java")
            .fileExtension(".jshell").pygments("java").codemirror("text/x-java").build(),
        List.of(new HelpLink("Workbench README", "README.md")), null,
        b.io(), b.comm(), b.renderer(), b.parser(), b.magics(), false, b.styler());
    this.session = new JShellSession(new String[0]);
  }

  /** Builds the kernel with JJava's defaults for I/O, comms and rendering. */
  private static final class Builder extends BaseKernelBuilder<Builder, WorkbenchKernel> {
    String name() {
      return buildName();
    }

    String version() {
      return buildVersion();
    }

    org.dflib.jjava.jupyter.kernel.JupyterIO io() {
      return buildJupyterIO(buildJupyterIOEncoding());
    }

    org.dflib.jjava.jupyter.kernel.comm.CommManager comm() {
      return buildCommManager();
    }

    org.dflib.jjava.jupyter.kernel.display.Renderer renderer() {
      return buildRenderer();
    }

    MagicParser parser() {
      // no magics: a Java line starting with % is a syntax error, reported by JShell
      return null;
    }

    org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry magics() {
      return buildMagicsRegistry();
    }

    org.dflib.jjava.jupyter.kernel.util.StringStyler styler() {
      return buildErrorStyler();
    }

    @Override
    public WorkbenchKernel build() {
      return new WorkbenchKernel(this);
    }
  }

  /** A new kernel with its own JShell session. */
  public static WorkbenchKernel create() {
    return new Builder().name(NAME).version(Version.workbench())
        .jupyterIOEncoding(StandardCharsets.UTF_8).build();
  }

  /**
   * Serves the connection described by a Jupyter connection file until Jupyter shuts the
   * kernel down.
   */
  public static void serve(Path connectionFile) throws Exception {
    String json = Files.readString(connectionFile, StandardCharsets.UTF_8);
    JupyterConnection connection = new JupyterConnection(KernelConnectionProperties.parse(json));
    WorkbenchKernel kernel = create();
    kernel.becomeHandlerForConnection(connection);
    ParentWatch.start();
    connection.connect();
    connection.waitUntilClose();
    kernel.session.close();
  }

  @Override
  public String getBanner() {
    return "Audio-neuron workbench " + Version.workbench() + " (Java "
        + Runtime.version().feature() + "): WB and the workbench's packages are imported;"
        + " :help lists WB's methods";
  }

  /**
   * A failed cell: its message is the jshell-style report, shown without a Java stack trace;
   * Jupyter names the error by the subclass.
   */
  abstract static class CellFailure extends RuntimeException {
    CellFailure(String message) {
      super(message, null, false, false);
    }
  }

  /** The cell did not compile. */
  static final class CompileError extends CellFailure {
    CompileError(String message) {
      super(message);
    }
  }

  /** The cell threw. */
  static final class EvalError extends CellFailure {
    EvalError(String message) {
      super(message);
    }
  }

  /** The cell was interrupted. */
  static final class Interrupted extends CellFailure {
    Interrupted(String message) {
      super(message);
    }
  }

  private volatile boolean running;
  private volatile boolean interrupted;

  @Override
  public Object evalRaw(String code) {
    DisplayData[] result = {null};
    String[] failure = {null};
    JShellSession.Kind[] kind = {null};
    Show.setSink(value -> display(Bundles.displayData(value, RichOutput.bundle(value, null))));
    boolean failed;
    interrupted = false;
    running = true;
    try {
      failed = CellExecution.run(session, "cell", 1, code, new CellExecution.Sink() {
        @Override
        public void result(Object value, Map<String, String> bundle) {
          result[0] = Bundles.displayData(value, bundle);
        }

        @Override
        public void error(String message, JShellSession.Kind k) {
          failure[0] = message;
          kind[0] = k;
        }

        @Override
        public boolean command(String source, int line) {
          return helpCommand(source);
        }
      });
    } finally {
      running = false;
      System.out.flush();
      System.err.flush();
      Show.setSink(null);
    }
    if (interrupted) {
      // JShell ends a stopped snippet quietly; Jupyter must see the cell fail (queued cells stop)
      throw new Interrupted("cell interrupted");
    }
    if (failed) {
      throw kind[0] == JShellSession.Kind.COMPILE_ERROR ? new CompileError(failure[0])
          : new EvalError(failure[0]);
    }
    return result[0];
  }

  /**
   * {@code :help} and {@code :help NAME} (or {@code /help}) print the facade's help; other
   * commands are the REPL's.
   */
  private boolean helpCommand(String source) {
    String[] words = source.strip().split("\\s+", 2);
    if (!words[0].equals(":help") && !words[0].equals("/help")) {
      return false;
    }
    String text = words.length == 1 ? help.overview() : help.describe(words[1]);
    System.out.print(text.isEmpty() ? "no WB method " + words[1] + "\n" : text);
    System.out.flush();
    return true;
  }

  @Override
  public List<String> formatError(Throwable e) {
    if (e instanceof CellFailure) {
      return List.of(e.getMessage().split("\n"));
    }
    return super.formatError(e);
  }

  @Override
  public DisplayData inspect(String code, int at, boolean extraDetail) {
    String name = Inspection.nameAt(code, at);
    StringBuilder sb = new StringBuilder();
    if (!name.isEmpty()) {
      String wb = name.startsWith("WB.") ? help.describe(name) : "";
      sb.append(wb);
    }
    int end = Inspection.endOfName(code, at);
    for (SourceCodeAnalysis.Documentation d : session.analysis().documentation(code, end,
        true)) {
      if (sb.length() > 0) {
        sb.append('\n');
      }
      sb.append(d.signature()).append('\n');
      String javadoc = d.javadoc();
      if (javadoc != null && !javadoc.isBlank()) {
        sb.append("  ").append(Inspection.summary(javadoc, extraDetail)).append('\n');
      }
    }
    if (sb.length() == 0) {
      return null;
    }
    return new DisplayData(sb.toString());
  }

  @Override
  public ReplacementOptions complete(String code, int at) {
    int[] anchor = new int[1];
    List<SourceCodeAnalysis.Suggestion> suggestions = session.analysis()
        .completionSuggestions(code, at, anchor);
    boolean anyTypeMatch = suggestions.stream().anyMatch(SourceCodeAnalysis.Suggestion::matchesType);
    List<String> out = new ArrayList<>();
    for (SourceCodeAnalysis.Suggestion s : suggestions) {
      if ((!anyTypeMatch || s.matchesType()) && !out.contains(s.continuation())) {
        out.add(s.continuation());
      }
    }
    return out.isEmpty() ? null : new ReplacementOptions(out, anchor[0], at);
  }

  @Override
  public String isComplete(String code) {
    String rest = code;
    while (true) {
      if (rest.isBlank()) {
        return IS_COMPLETE_YES;
      }
      SourceCodeAnalysis.CompletionInfo info = session.analysis().analyzeCompletion(rest);
      switch (info.completeness()) {
        case COMPLETE, COMPLETE_WITH_SEMI -> rest = info.remaining();
        case EMPTY -> {
          return IS_COMPLETE_YES;
        }
        case DEFINITELY_INCOMPLETE, CONSIDERED_INCOMPLETE -> {
          return "    "; // incomplete: continue with this indent
        }
        default -> {
          return IS_COMPLETE_BAD;
        }
      }
    }
  }

  /** Stops the running cell (as Ctrl-C in the REPL). */
  @Override
  public void interrupt() {
    if (running) {
      interrupted = true;
      session.stop();
    }
  }

  @Override
  public void onShutdown(boolean isRestarting) {
    session.stop();
  }
}
