package io.anw.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every {@code .jsh} file in {@code scripts/} headless: a script that fails (compile error,
 * exception, non-zero exit) fails its test. The notebooks in {@code notebooks/} are run (and
 * rendered) by {@code io.anw.notebook.NotebooksRenderTest}.
 */
class ScriptsSmokeTest {
  @TestFactory
  Stream<DynamicTest> everyScriptRuns() throws IOException {
    List<Path> scripts = new ArrayList<>();
    for (String folder : List.of("scripts")) {
      Path dir = Path.of(folder);
      if (Files.isDirectory(dir)) {
        try (Stream<Path> files = Files.walk(dir)) {
          files.filter(p -> p.toString().endsWith(".jsh")).sorted().forEach(scripts::add);
        }
      }
    }
    return scripts.stream().map(script -> DynamicTest.dynamicTest(script.toString(), () -> {
      PrintStream err = System.err;
      PrintStream out = System.out;
      java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
      System.setOut(new PrintStream(new java.io.OutputStream() {
        @Override
        public void write(int b) {
          out.write(b);
          printed.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
          out.write(b, off, len);
          printed.write(b, off, len);
        }
      }, true, java.nio.charset.StandardCharsets.UTF_8));
      try {
        assertEquals(0, ScriptRunner.run(script, new String[0], err), script + " failed");
      } finally {
        System.out.flush();
        System.setOut(out);
      }
      // what a user reads fits a terminal: no printed line wider than 120 columns
      List<String> wide = printed.toString(java.nio.charset.StandardCharsets.UTF_8).lines()
          .filter(l -> l.codePointCount(0, l.length()) > 120).toList();
      org.junit.jupiter.api.Assertions.assertTrue(wide.isEmpty(), script + " printed lines wider"
          + " than 120 columns:\n" + String.join("\n", wide));
    }));
  }
}
