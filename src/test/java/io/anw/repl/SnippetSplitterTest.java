package io.anw.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Cutting script text into snippets with the line each starts on. */
class SnippetSplitterTest {
  static JShellSession session;

  @BeforeAll
  static void open() {
    session = new JShellSession(new String[0]);
  }

  @AfterAll
  static void close() {
    session.close();
  }

  private List<SnippetSplitter.Piece> split(String text) {
    return SnippetSplitter.split(text, session.analysis());
  }

  @Test
  void newlineEndsACompleteStatementAsJshellDoes() {
    List<SnippetSplitter.Piece> p = split("int x = 1\nint y = 2\n");
    assertEquals(2, p.size());
    assertEquals(1, p.get(0).line());
    assertEquals(2, p.get(1).line());
  }

  @Test
  void severalSnippetsOnOneLineKeepThatLine() {
    List<SnippetSplitter.Piece> p = split("\n\nint a = 1; int b = 2;\nint c = 3;");
    assertEquals(List.of(3, 3, 4), p.stream().map(SnippetSplitter.Piece::line).toList());
  }

  @Test
  void commentsBeforeASnippetDoNotCountAsItsStart() {
    List<SnippetSplitter.Piece> p = split("// one\n/* two\n three */\n\nint a = 1;\n");
    assertEquals(1, p.size());
    assertEquals(5, p.get(0).line());
  }

  @Test
  void slashCommandsAreTheirOwnPieces() {
    List<SnippetSplitter.Piece> p = split("int a = 1;\n/exit 2\n");
    assertTrue(p.get(1).command());
    assertEquals("/exit 2", p.get(1).source());
    assertEquals(2, p.get(1).line());
  }

  @Test
  void leadingDotContinuesTheChain() {
    List<SnippetSplitter.Piece> p = split("String s = \"a\"\n    // note\n    .concat(\"b\");\nint z;");
    assertEquals(2, p.size());
    assertTrue(p.get(0).source().contains("concat"));
    assertEquals(4, p.get(1).line());
  }

  @Test
  void leadingOperatorsContinueTheStatement() {
    List<SnippetSplitter.Piece> p = split("String s = 1 > 0 ? \"a\"\n    : \"b\";\n"
        + "String t = \"x\"\n    + \"y\";\nboolean b = true\n    && false\n    || true;\n"
        + "int i = 0;\n++i;");
    assertEquals(5, p.size(), p.toString());
    assertTrue(p.get(0).source().contains(": \"b\""), p.get(0).source());
    assertTrue(p.get(1).source().contains("+ \"y\""));
    assertTrue(p.get(2).source().contains("|| true"));
    assertEquals(9, p.get(4).line(), "a line starting with ++ is a statement of its own");
  }
}
