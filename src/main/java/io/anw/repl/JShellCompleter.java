package io.anw.repl;

import java.util.List;
import jdk.jshell.SourceCodeAnalysis;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Tab completion for the REPL: Java completions from JShell's {@link SourceCodeAnalysis}
 * (so {@code WB.} lists the facade's methods) and {@code :command} names at the line start.
 */
final class JShellCompleter implements Completer {
  private final JShellSession session;
  private final List<String> commands;

  JShellCompleter(JShellSession session, List<String> commands) {
    this.session = session;
    this.commands = commands;
  }

  @Override
  public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
    String buffer = line.line();
    int cursor = line.cursor();
    if (buffer.stripLeading().startsWith(":")) {
      if (line.wordIndex() == 0) {
        for (String c : commands) {
          candidates.add(new Candidate(c, c, null, null, null, null, true));
        }
      }
      return;
    }
    int wordStart = cursor - line.wordCursor();
    int[] anchor = new int[1];
    List<SourceCodeAnalysis.Suggestion> suggestions =
        session.analysis().completionSuggestions(buffer, cursor, anchor);
    boolean anyTypeMatch = suggestions.stream().anyMatch(SourceCodeAnalysis.Suggestion::matchesType);
    int from = Math.max(anchor[0], wordStart);
    String prefix = buffer.substring(wordStart, from);
    for (SourceCodeAnalysis.Suggestion s : suggestions) {
      if (anyTypeMatch && !s.matchesType()) {
        continue;
      }
      String cont = s.continuation();
      if (anchor[0] < wordStart) {
        // The word began after the anchor (rare): keep only the part past the word start.
        int skip = wordStart - anchor[0];
        if (cont.length() < skip) {
          continue;
        }
        cont = cont.substring(skip);
      }
      candidates.add(new Candidate(prefix + cont, s.continuation(), null, null, null, null,
          false));
    }
  }
}
