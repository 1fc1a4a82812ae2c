package io.anw.repl;

import java.util.ArrayList;
import java.util.List;

/**
 * The imports every REPL session and {@code .jsh} script starts with: the JDK basics, Tablesaw,
 * XChart, DJL's NDArray types, every public workbench package present in this build, and the
 * {@link WB} facade; plus {@code String[] args}.
 */
public final class StartupImports {
  /** Workbench rooms (pipeline steps) imported with {@code .*} when present on the class path. */
  static final List<String> WORKBENCH_PACKAGES = List.of(
      "io.anw", "io.anw.audio", "io.anw.tensor", "io.anw.model", "io.anw.activation",
      "io.anw.neuron", "io.anw.intervention", "io.anw.probe", "io.anw.report",
      "io.anw.notebook", "io.anw.sae");

  static final List<String> LIBRARY_PACKAGES = List.of(
      "java.util", "java.util.function", "java.util.stream", "java.io", "java.nio.file",
      "tech.tablesaw.api", "org.knowm.xchart", "ai.djl.ndarray", "ai.djl.ndarray.types",
      "ai.djl.ndarray.index");

  private StartupImports() {}

  /** The packages imported on demand ({@code import p.*;}), in order. */
  public static List<String> packages() {
    List<String> out = new ArrayList<>(LIBRARY_PACKAGES);
    for (String p : WORKBENCH_PACKAGES) {
      if (StartupImports.class.getClassLoader().getResource(p.replace('.', '/')) != null) {
        out.add(p);
      }
    }
    return out;
  }

  /** The startup snippets: imports, then {@code String[] args}. */
  public static List<String> snippets() {
    List<String> out = new ArrayList<>();
    for (String p : packages()) {
      out.add("import " + p + ".*;");
    }
    out.add("import io.anw.repl.WB;");
    out.add("String[] args = io.anw.repl.ScriptArgs.get();");
    return out;
  }
}
