package io.anw.repl;

import io.anw.Version;

/**
 * The workbench facade, preloaded in the REPL and in {@code .jsh} scripts: its methods are the
 * table of contents of the tool. Each public method carries {@link Help}, from which
 * {@code :help} is generated.
 */
public final class WB {
  private WB() {}

  /** The versions of the workbench, Java, DJL and the tensor engine, one per line. */
  @Help(value = "Versions of the workbench, Java, DJL and the tensor engine", group = "general",
      example = "WB.versions()")
  public static String versions() {
    return "workbench " + Version.workbench() + "\nJava " + Version.java()
        + "\nDJL " + Version.djl() + "\nengine " + Version.engine();
  }
}
