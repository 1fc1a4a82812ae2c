package io.anw.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: versions, help, one-line errors. */
class MainTest {
  @TempDir Path dir;

  private record Result(int code, String out, String err) {}

  static Result exec(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int code = Main.execute(args);
      return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  void versionNamesWorkbenchJavaAndDjl() {
    Result r = exec("--version");
    assertEquals(0, r.code());
    assertTrue(r.out().contains("audio-neuron workbench"), r.out());
    assertTrue(r.out().contains("DJL 0.36.0"), r.out());
  }

  @Test
  void helpListsVerbs() {
    Result r = exec("--help");
    assertEquals(0, r.code());
    assertTrue(r.out().contains("repl") && r.out().contains("run"), r.out());
  }

  @Test
  void missingScriptIsAOneLineError() {
    Result r = exec("run", dir.resolve("nope.jsh").toString());
    assertEquals(1, r.code());
    assertTrue(r.err().startsWith("workbench: " + dir.resolve("nope.jsh") + ": cannot read script"),
        r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
  }

  @Test
  void scriptArgumentsMayLookLikeOptions() throws Exception {
    Path script = dir.resolve("a.jsh");
    Files.writeString(script, "System.out.println(String.join(\"|\", args));\n");
    Result r = exec("run", script.toString(), "--flag", "-x", "v");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("--flag|-x|v"), r.out());
    assertFalse(r.err().contains("Unknown option"));
  }
}
