package io.anw.repl;

/**
 * Hands the command-line arguments of {@code workbench run FILE.jsh ARGS...} to the script,
 * where they appear as the variable {@code String[] args}.
 */
public final class ScriptArgs {
  private static volatile String[] current = new String[0];

  private ScriptArgs() {}

  /** Sets the arguments the next session's {@code args} variable will hold. */
  static void set(String[] args) {
    current = args.clone();
  }

  /** The arguments of the running script (a copy); empty in the interactive REPL. */
  public static String[] get() {
    return current.clone();
  }
}
