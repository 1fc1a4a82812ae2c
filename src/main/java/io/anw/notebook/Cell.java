package io.anw.notebook;

/**
 * One cell of a percent-format notebook.
 *
 * @param kind code or markdown
 * @param source code as written, or markdown with the {@code // } prefixes removed
 * @param line 1-based line in the {@code .jsh} file where the cell's content starts
 */
public record Cell(Kind kind, String source, int line) {
  /** Cell kinds. */
  public enum Kind { CODE, MARKDOWN }

  /** Whether the cell has nothing but whitespace. */
  public boolean isBlank() {
    return source.isBlank();
  }
}
