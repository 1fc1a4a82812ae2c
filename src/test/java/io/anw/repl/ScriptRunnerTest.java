package io.anw.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The headless script runner: exit codes, FILE:LINE reports, args, multi-line snippets. */
class ScriptRunnerTest {
  @TempDir Path dir;

  private record Run(int code, String out, String err) {}

  private Run run(String name, String text, String... args) throws IOException {
    Path script = dir.resolve(name);
    Files.writeString(script, text);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream oldOut = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = ScriptRunner.run(script, args, new PrintStream(err, true, StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
    }
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void successfulScriptExitsZeroAndSeesArgs() throws IOException {
    Run r = run("ok.jsh", """
        // comment first
        int x = 41
        System.out.println("x+1=" + (x + 1));
        System.out.println("args=" + String.join(",", args));
        """, "alpha", "--beta");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("x+1=42"), r.out());
    assertTrue(r.out().contains("args=alpha,--beta"), r.out());
    assertEquals("", r.err());
  }

  @Test
  void multiLineMethodsClassesAndChainsWork() throws IOException {
    Run r = run("multi.jsh", """
        int twice(int a) {
          return 2 * a;
        }
        record Point(int x,
                     int y) {
          int sum() { return x + y; }
        }
        String s = new StringBuilder()
            .append("p=")
            .append(new Point(1, 2).sum())
            .toString();
        /* a block
           comment */ System.out.println(s + " t=" + twice(21));
        """);
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("p=3 t=42"), r.out());
  }

  @Test
  void compileErrorReportsFileLineOfSnippetStart() throws IOException {
    Run r = run("bad.jsh", """
        int a = 1;

        int b = a +
            "x".lengthh();
        System.out.println("never");
        """);
    assertEquals(1, r.code());
    // the error's own line and column (the snippet starts on line 3, the error is on line 4)
    assertTrue(r.err().startsWith(dir.resolve("bad.jsh") + ":4:5: cannot find symbol"), r.err());
    assertTrue(r.err().contains("did you mean length?"), "members of the location class: " + r.err());
    assertFalse(r.out().contains("never"));
  }

  @Test
  void compileErrorsShowTheSymbolTheLineWithACaretAndCloseNames() throws IOException {
    Run r = run("typo.jsh", """
        int count = 3;
        var sel = WB.apee(count);
        """);
    assertEquals(1, r.code());
    List<String> lines = r.err().lines().toList();
    assertEquals(dir.resolve("typo.jsh") + ":2:11: cannot find symbol", lines.get(0), r.err());
    assertTrue(r.err().contains("symbol:   method apee(int)"), r.err());
    assertTrue(lines.contains("    var sel = WB.apee(count);"), r.err());
    assertTrue(lines.contains("              ^-----^"), r.err());
    assertTrue(r.err().contains("did you mean aape?"), r.err());
    Run v = run("var.jsh", "int count = 3;\nSystem.out.println(cuont);\n");
    assertTrue(v.err().contains("symbol:   variable cuont"), v.err());
    assertTrue(v.err().contains("did you mean count?"), v.err());
    assertFalse(v.err().contains("location: class\n"), v.err());
  }

  @Test
  void runtimeExceptionStopsAtItsSnippet() throws IOException {
    Run r = run("throw.jsh", """
        System.out.println("before");
        // the next snippet throws
        Object o = null;
          o.toString();
        System.out.println("never");
        """);
    assertEquals(1, r.code());
    assertTrue(r.out().contains("before"));
    assertFalse(r.out().contains("never"));
    assertTrue(r.err().startsWith(dir.resolve("throw.jsh") + ":4: NullPointerException"), r.err());
  }

  @Test
  void workbenchExceptionsPrintJustTheirMessage() throws IOException {
    Run r = run("wb.jsh", "throw new io.anw.WorkbenchException(\"data.csv: row 3 has no label\");\n");
    assertEquals(1, r.code());
    assertEquals(dir.resolve("wb.jsh") + ":1: data.csv: row 3 has no label", r.err().strip());
  }

  @Test
  void exitCommandEndsWithItsStatus() throws IOException {
    Run r = run("exit.jsh", "System.out.println(\"hi\");\n/exit 3\nSystem.out.println(\"never\");\n");
    assertEquals(3, r.code());
    assertTrue(r.out().contains("hi"));
    assertFalse(r.out().contains("never"));
  }

  @Test
  void unfinishedSnippetAtEndIsAnError() throws IOException {
    Run r = run("open.jsh", "int x = 1;\nvoid f() {\n  int y = 2;\n");
    assertEquals(1, r.code());
    assertTrue(r.err().startsWith(dir.resolve("open.jsh") + ":2: "), r.err());
  }

  @Test
  void systemExitInScriptExitsTheProcessWithItsStatus() throws Exception {
    Path script = dir.resolve("sysexit.jsh");
    Files.writeString(script, "System.out.println(\"bye\");\nSystem.exit(7);\n");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "io.anw.cli.Main", "run", script.toString())
        .redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(7, p.waitFor(), output);
    assertTrue(output.contains("bye"), output);
  }
}
