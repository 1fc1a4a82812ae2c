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
  private final List<String> accepted = new ArrayList<>();

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
  public record Outcome(Kind kind, String message, Throwable exception, List<Shown> shown) {
    /** Whether the snippet compiled and ran without an exception. */
    public boolean ok() {
      return kind == Kind.OK;
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

  /** Evaluates one complete snippet and records it for {@code :save} if it was accepted. */
  public Outcome eval(String source) {
    Outcome o = evalQuiet(source);
    if (o.kind() != Kind.COMPILE_ERROR) {
      accepted.add(source.strip());
    }
    return o;
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
        return new Outcome(Kind.COMPILE_ERROR, compileMessage(s), null, shown);
      }
      JShellException ex = e.exception();
      if (ex != null) {
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

  /** Variables of the session as {@code type name = value} lines. */
  public List<String> variables() {
    return jshell.variables()
        .filter(v -> jshell.status(v).isActive())
        .map(v -> v.typeName() + " " + v.name() + " = " + jshell.varValue(v))
        .collect(Collectors.toList());
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
