package io.anw.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: versions, help, one-line errors. */
class MainTest {
  @TempDir Path dir;

  static CliRun exec(String... args) {
    return CliRun.exec(args);
  }

  @Test
  void versionNamesWorkbenchJavaAndDjl() {
    CliRun r = exec("--version");
    assertEquals(0, r.code());
    assertTrue(r.out().contains("audio-neuron workbench"), r.out());
    assertTrue(r.out().contains("DJL 0.36.0"), r.out());
  }

  @Test
  void helpListsVerbs() {
    CliRun r = exec("--help");
    assertEquals(0, r.code());
    assertTrue(r.out().contains("repl") && r.out().contains("run"), r.out());
  }

  @Test
  void everyVerbTakesTheModelAsAnOptionShowsDefaultsAndHasNoVersion() {
    for (String verb : java.util.List.of("count", "embed", "ablate", "patch", "grounding")) {
      CliRun r = exec(verb, "--help");
      assertEquals(0, r.code(), r.err());
      assertTrue(r.out().contains("--model=CKPT"), verb + ": " + r.out());
      assertFalse(r.out().contains("--version"), verb + ": " + r.out());
    }
    assertTrue(exec("ablate", "--help").out().contains("Default: 42"), "probe seed default");
  }

  @Test
  void missingScriptIsAOneLineError() {
    CliRun r = exec("run", dir.resolve("nope.jsh").toString());
    assertEquals(1, r.code());
    assertTrue(r.err().startsWith("workbench: " + dir.resolve("nope.jsh") + ": cannot read script"),
        r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
  }

  @Test
  void scriptArgumentsMayLookLikeOptions() throws Exception {
    Path script = dir.resolve("a.jsh");
    Files.writeString(script, "System.out.println(String.join(\"|\", args));\n");
    CliRun r = exec("run", script.toString(), "--flag", "-x", "v");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("--flag|-x|v"), r.out());
    assertFalse(r.err().contains("Unknown option"));
  }
}
