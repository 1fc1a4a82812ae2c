package io.anw.repl;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REPL as a user meets it: typed under tmux, read off the screen. */
class ReplTerminalTest {
  static final Duration START = Duration.ofSeconds(90);
  static final Duration STEP = Duration.ofSeconds(30);

  @TempDir Path dir;

  @BeforeAll
  static void needsTmux() {
    Assumptions.assumeTrue(TmuxTerminal.available(),
        "tmux is not installed: REPL terminal tests skipped (apt-get install tmux)");
  }

  @Test
  void evaluatesCompletesSavesAndRemembersHistory() throws Exception {
    Path home = dir.resolve("home");
    Path launcher = TmuxTerminal.replLauncher(dir, home);
    try (TmuxTerminal t = new TmuxTerminal()) {
      t.start(launcher);
      t.await(s -> s.contains("wb>"), START, "the prompt");

      t.type("int answer = 20 + 22");
      t.send("Enter");
      t.await(s -> s.contains("answer ==> 42"), STEP, "the value of a snippet");

      // A method typed over two lines: the reader asks for more until the braces close.
      t.type("int twice(int a) {");
      t.send("Enter");
      t.type("return 2 * a; }");
      t.send("Enter");
      t.type("twice(answer)");
      t.send("Enter");
      t.await(s -> s.contains("==> 84"), STEP, "a multi-line method's result");

      // Tab after `WB.ver` completes the facade method.
      t.type("String v = WB.ver");
      t.send("Tab");
      String completed =
          t.await(s -> s.contains("String v = WB.versions("), STEP, "completion of WB.ver");
      if (!completed.contains("WB.versions()")) {
        t.type(")");
      }
      t.send("Enter");
      t.await(s -> s.contains("v ==> \"workbench "), STEP, "WB.versions() value");

      // :help is longer than the 50-line screen: it opens in the pager, q leaves it
      t.type(":help");
      t.send("Enter");
      t.await(s -> s.contains("The WB facade") && !s.contains(":exit            leave"), STEP,
          ":help's first page in the pager");
      t.send("q");
      t.await(s -> s.trim().endsWith("wb>"), STEP, "the prompt after the pager");

      // an operator-first line typed after a snippet continues it
      t.type("var word = \"abc\"");
      t.send("Enter");
      t.await(s -> s.contains("word ==> \"abc\""), STEP, "the first line's value");
      t.type(".length()");
      t.send("Enter");
      t.await(s -> s.contains("word ==> 3"), STEP, "the continued snippet's value");

      // a compile error with its detail, caret and suggestion; a failing snippet
      t.type("int y = twcie(2)");
      t.send("Enter");
      t.await(s -> s.contains("did you mean twice?") && s.contains("^---^"), STEP,
          "compile error detail");
      t.type("int boom = Integer.parseInt(\"x\")");
      t.send("Enter");
      t.await(s -> s.contains("NumberFormatException"), STEP, "the exception");
      t.type(":vars");
      t.send("Enter");
      t.await(s -> s.contains("int answer = 42") && s.contains("int word = 3"), STEP, ":vars");
      assertFalse(t.screen().contains("boom = null"), "a failed variable is not listed");

      Path saved = dir.resolve("session.jsh");
      t.type(":save " + saved);
      t.send("Enter");
      t.await(s -> s.contains("saved "), STEP, ":save");
      String script = Files.readString(saved);
      assertTrue(script.contains("int answer = 20 + 22"), script);
      assertTrue(script.contains("int twice(int a) {"), script);
      assertTrue(script.contains("var word = \"abc\"\n.length()"), script);
      assertFalse(script.contains("twcie") || script.contains("parseInt"),
          "failed snippets are not saved: " + script);

      t.send("C-d");
      long end = System.nanoTime() + STEP.toNanos();
      while (t.alive() && System.nanoTime() < end) {
        Thread.sleep(200);
      }
      assertFalse(t.alive(), "Ctrl-D should end the REPL");
    }
    assertTrue(Files.readString(home.resolve("history")).contains("int answer = 20 + 22"));

    // A restart finds the history: Up recalls the last line typed.
    try (TmuxTerminal t = new TmuxTerminal()) {
      t.start(launcher);
      t.await(s -> s.contains("wb>"), START, "the prompt after restart");
      t.send("Up");
      t.await(s -> s.contains("wb> :save "), STEP, "history recalled with Up");
    }
  }

  @Test
  void ctrlCCancelsARunningSnippetButKeepsTheRepl() throws Exception {
    Path launcher = TmuxTerminal.replLauncher(dir, dir.resolve("home"));
    try (TmuxTerminal t = new TmuxTerminal()) {
      t.start(launcher);
      t.await(s -> s.contains("wb>"), START, "the prompt");
      t.type("while (true) { Thread.onSpinWait(); }");
      t.send("Enter");
      Thread.sleep(1500);
      t.send("C-c");
      t.await(s -> s.contains("cancelled (Ctrl-C)") && s.split("wb>", -1).length >= 3, STEP,
          "the prompt back after Ctrl-C");
      t.type("1 + 1");
      t.send("Enter");
      t.await(s -> s.contains("==> 2"), STEP, "evaluation after Ctrl-C");
    }
  }
}
