package io.anw.repl;

import java.util.ArrayList;
import java.util.List;

/**
 * The imports every REPL session and {@code .jsh} script starts with: the JDK basics, Tablesaw,
 * XChart, DJL's NDArray types, every workbench room but the command line
 * ({@link io.anw.Rooms#ORDER}), and the {@link WB} facade; plus {@code String[] args}.
 */
public final class StartupImports {
  static final List<String> LIBRARY_PACKAGES = List.of(
      "java.util", "java.util.function", "java.util.stream", "java.io", "java.nio.file",
      "tech.tablesaw.api", "org.knowm.xchart", "ai.djl.ndarray", "ai.djl.ndarray.types",
      "ai.djl.ndarray.index");

  private StartupImports() {}

  /** The packages imported on demand ({@code import p.*;}), in order: libraries, then rooms. */
  public static List<String> packages() {
    List<String> out = new ArrayList<>(LIBRARY_PACKAGES);
    for (String room : io.anw.Rooms.ORDER) {
      if (!room.equals("cli")) { // the command line is not for sessions
        out.add(io.anw.Rooms.packageOf(room));
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
