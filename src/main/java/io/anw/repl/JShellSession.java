package io.anw.repl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.VarSnippet;
import jdk.jshell.execution.LocalExecutionControlProvider;

/**
 * A JShell session running in this JVM (local execution control), so snippets share the
 * workbench's classes, static state and tensors without copying across processes.
 *
 * <p>The session starts with the workbench's imports ({@link StartupImports}) and keeps the
 * source of every accepted snippet, so an exploration can be saved as a reproducible script.
 */
public final class JShellSession implements AutoCloseable {
  private final JShell jshell;
  private final List<String> accepted = new ArrayList<>(); // snippets that ran without error
  private final List<String> typed = new ArrayList<>(); // every snippet evaluated, failed too
  private final java.util.Set<String> failedVars = new java.util.HashSet<>(); // snippet ids

  /** Opens a session with the workbench imports and {@code String[] args} bound to {@code args}. */
  public JShellSession(String[] args) {
    ScriptArgs.set(args);
    this.jshell = JShell.builder()
        .executionEngine(new LocalExecutionControlProvider(), Map.of())
        .build();
    jshell.addToClasspath(System.getProperty("java.class.path"));
    for (String source : StartupImports.snippets()) {
      Outcome o = evalQuiet(source);
      if (!o.ok()) {
        throw new IllegalStateException("startup snippet failed: " + source + ": " + o.message());
      }
    }
  }

  /** What evaluating one snippet did. */
  public record Outcome(Kind kind, String message, Throwable exception, List<Shown> shown,
      CompileError error) {
    /** An outcome without compile-error detail. */
    public Outcome(Kind kind, String message, Throwable exception, List<Shown> shown) {
      this(kind, message, exception, shown, null);
    }

    /** Whether the snippet compiled and ran without an exception. */
    public boolean ok() {
      return kind == Kind.OK;
    }

    /**
     * The failure as lines for a script or notebook: {@code WHERE:LINE:COL: message} (the line
     * of the snippet's first line plus the error's), then the compiler's detail, the source
     * line with a caret and "did you mean"; for exceptions {@code WHERE:LINE: message}.
     */
    public String report(String file, int snippetLine) {
      if (error == null) {
        return file + ":" + snippetLine + ": " + message;
      }
      StringBuilder sb = new StringBuilder(file).append(':').append(snippetLine + error.line())
          .append(':').append(error.column()).append(": ").append(message);
      error.body("    ").forEach(l -> sb.append('\n').append(l));
      return sb.toString();
    }
  }

  /** The three ways a snippet can end. */
  public enum Kind { OK, COMPILE_ERROR, EXCEPTION }

  /**
   * A value to show after a snippet: a variable ({@code x ==> 3}, temporaries like {@code $1}),
   * a declaration ({@code created method f()}); {@code expression} marks the value of an
   * expression (a temporary {@code $1}, or a bare variable name evaluated).
   */
  public record Shown(String name, String typeName, String value, boolean declaration,
      boolean expression) {}

  /**
   * Evaluates one complete snippet; it is recorded for {@code :save} when it compiled and ran
   * without an exception (and for {@code :save -all} in any case).
   */
  public Outcome eval(String source) {
    Outcome o = evalQuiet(source);
    typed.add(source.strip());
    if (o.ok()) {
      accepted.add(source.strip());
    }
    return o;
  }

  /**
   * Evaluates the last successful snippet again with {@code continuation} appended on a new
   * line (an operator-first line typed after it, e.g. {@code .sortDescendingOn("n")}); on
   * success the joined snippet replaces the last one for {@code :save}. Null when there is no
   * successful snippet to continue.
   */
  public Outcome evalContinuing(String continuation) {
    if (accepted.isEmpty()) {
      return null;
    }
    String previous = accepted.get(accepted.size() - 1).strip();
    if (previous.endsWith(";")) {
      previous = previous.substring(0, previous.length() - 1); // the ';' jshell's analysis added
    }
    String joined = previous + "\n" + continuation.strip();
    var info = jshell.sourceCodeAnalysis().analyzeCompletion(joined);
    if (info.completeness().isComplete() && info.remaining().isBlank()) {
      joined = info.source();
    }
    Outcome o = evalQuiet(joined);
    typed.add(continuation.strip());
    if (o.ok()) {
      accepted.set(accepted.size() - 1, joined);
    }
    return o;
  }

  /** Every snippet evaluated, failed ones included, in order ({@code :save -all}). */
  public List<String> allSources() {
    return List.copyOf(typed);
  }

  /** Evaluates a helper snippet that is not recorded for {@code :save}; true if it ran. */
  public boolean evalHidden(String source) {
    return evalQuiet(source).ok();
  }

  private Outcome evalQuiet(String source) {
    List<SnippetEvent> events = jshell.eval(source);
    List<Shown> shown = new ArrayList<>();
    for (SnippetEvent e : events) {
      if (e.causeSnippet() != null) {
        continue; // side effects on other snippets (e.g. dependents updated)
      }
      Snippet s = e.snippet();
      if (e.status() == Snippet.Status.REJECTED) {
        CompileError error = compileError(s);
        return new Outcome(Kind.COMPILE_ERROR, error == null ? compileMessage(s)
            : error.message(), null, shown, error);
      }
      JShellException ex = e.exception();
      if (ex != null) {
        if (s instanceof VarSnippet) {
          failedVars.add(s.id()); // declared, but its initialiser failed: no value worth listing
        }
        return new Outcome(Kind.EXCEPTION, exceptionMessage(ex), ex, shown);
      }
      if (s instanceof VarSnippet v) {
        shown.add(new Shown(v.name(), v.typeName(), e.value(), false, v.name().startsWith("$")));
      } else if (s instanceof ExpressionSnippet x) {
        shown.add(new Shown(x.name(), x.typeName(), e.value(), false, true));
      } else if (s instanceof DeclarationSnippet d && e.previousStatus() != e.status()) {
        shown.add(new Shown(d.name(), kindWord(d), null, true, false));
      }
    }
    return new Outcome(Kind.OK, null, null, shown);
  }

  private static String kindWord(DeclarationSnippet d) {
    return switch (d.subKind()) {
      case CLASS_SUBKIND -> "class";
      case INTERFACE_SUBKIND -> "interface";
      case ENUM_SUBKIND -> "enum";
      case RECORD_SUBKIND -> "record";
      case ANNOTATION_TYPE_SUBKIND -> "annotation";
      case METHOD_SUBKIND -> "method";
      default -> d.kind().name().toLowerCase();
    };
  }

  /** The first error of a rejected snippet with its position and suggestions, or null. */
  private CompileError compileError(Snippet s) {
    Diag d = jshell.diagnostics(s).filter(Diag::isError).findFirst().orElse(null);
    if (d == null) {
      return null;
    }
    return CompileError.of(s.source(), d.getMessage(null), d.getStartPosition(),
        d.getEndPosition(), names());
  }

  /** Names a user may have meant: the session's variables, methods and types, and WB's. */
  private List<String> names() {
    List<String> out = new ArrayList<>();
    jshell.variables().filter(v -> jshell.status(v).isActive()).forEach(v -> out.add(v.name()));
    jshell.methods().filter(m -> jshell.status(m).isActive()).forEach(m -> out.add(m.name()));
    jshell.types().filter(t -> jshell.status(t).isActive()).forEach(t -> out.add(t.name()));
    for (java.lang.reflect.Method m : WB.class.getMethods()) {
      if (java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
        out.add(m.getName());
      }
    }
    return out;
  }

  private String compileMessage(Snippet s) {
    List<Diag> diags = jshell.diagnostics(s).filter(Diag::isError).collect(Collectors.toList());
    if (diags.isEmpty()) {
      return "snippet rejected: " + s.source().strip().lines().findFirst().orElse("");
    }
    return diags.get(0).getMessage(null).lines().findFirst().orElse("compile error");
  }

  /** One line for an exception thrown by a snippet: {@code ClassName: message}. */
  static String exceptionMessage(JShellException ex) {
    if (ex instanceof UnresolvedReferenceException u) {
      return "unresolved reference: " + u.getSnippet().source().strip().lines().findFirst().orElse("");
    }
    if (ex instanceof EvalException ee) {
      String cls = ee.getExceptionClassName();
      String msg = ee.getMessage();
      if (cls != null && cls.endsWith("WorkbenchException") && msg != null) {
        return msg;
      }
      String simple = cls == null ? "Exception" : cls.substring(cls.lastIndexOf('.') + 1);
      return msg == null ? simple : simple + ": " + msg.replaceAll("REPL\\.\\$JShell\\$\\w+\\.", "");
    }
    return String.valueOf(ex.getMessage());
  }

  /** The accepted snippets' source, in order (what {@code :save} writes). */
  public List<String> acceptedSources() {
    return List.copyOf(accepted);
  }

  /**
   * Variables of the session, one line each: {@code type name = value}, the value cut to its
   * first line and to {@code width} columns in all; variables whose initialiser failed (and
   * still hold nothing) are left out.
   */
  public List<String> variables(int width) {
    List<String> out = new ArrayList<>();
    jshell.variables().filter(v -> jshell.status(v).isActive()).forEach(v -> {
      String value = jshell.varValue(v);
      if (failedVars.contains(v.id()) && "null".equals(value)) {
        return;
      }
      List<String> lines = value == null ? List.of("null") : value.strip().lines().toList();
      String first = lines.isEmpty() ? "" : lines.get(0).strip();
      String line = v.typeName() + " " + v.name() + " = " + first;
      boolean more = lines.size() > 1;
      if (line.length() > width || more) {
        line = (line.length() > width - 2 ? line.substring(0, Math.max(0, width - 2)) : line)
            + " …";
      }
      out.add(line);
    });
    return out;
  }

  /** Methods and types declared in the session, one line each. */
  public List<String> declarations() {
    List<String> out = new ArrayList<>();
    jshell.methods().filter(m -> jshell.status(m).isActive())
        .forEach(m -> out.add("method " + m.name() + m.signature()));
    jshell.types().filter(t -> jshell.status(t).isActive())
        .forEach(t -> out.add(kindWord(t) + " " + t.name()));
    return out;
  }

  /** The active imports, one {@code import ...;} per line. */
  public List<String> imports() {
    return jshell.imports().filter(i -> jshell.status(i).isActive())
        .map(i -> i.source().strip())
        .collect(Collectors.toList());
  }

  /** Source analysis: completeness of input, completion suggestions, documentation. */
  public SourceCodeAnalysis analysis() {
    return jshell.sourceCodeAnalysis();
  }

  /** Stops the snippet now running (called from another thread, e.g. on Ctrl-C). */
  public void stop() {
    jshell.stop();
  }

  @Override
  public void close() {
    jshell.close();
  }
}
