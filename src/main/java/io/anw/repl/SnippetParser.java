package io.anw.repl;

import jdk.jshell.SourceCodeAnalysis.Completeness;
import org.jline.reader.EOFError;
import org.jline.reader.ParsedLine;
import org.jline.reader.impl.DefaultParser;

/**
 * Line parser for the REPL: asks for more lines while the Java snippet typed so far is
 * unfinished (an open brace, a trailing operator), so methods and classes can span lines.
 * Words split on whitespace only; quotes and backslashes are Java's business, not the shell's.
 */
final class SnippetParser extends DefaultParser {
  private final JShellSession session;

  SnippetParser(JShellSession session) {
    this.session = session;
    setEscapeChars(null);
    setQuoteChars(new char[0]);
  }

  @Override
  public ParsedLine parse(String line, int cursor, ParseContext context) {
    if (context == ParseContext.ACCEPT_LINE && !line.stripLeading().startsWith(":")
        && !line.isBlank()) {
      Completeness c = session.analysis().analyzeCompletion(line).completeness();
      if (c == Completeness.DEFINITELY_INCOMPLETE || c == Completeness.CONSIDERED_INCOMPLETE) {
        throw new EOFError(-1, -1, "unfinished snippet", "snippet");
      }
    }
    return super.parse(line, cursor, context);
  }
}
