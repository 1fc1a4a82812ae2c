package io.anw.tensor;

import io.anw.WorkbenchException;

/**
 * A tensor file that cannot be read or written: malformed, truncated, unsupported, or refused
 * as unsafe. The message is one line, {@code "<file>: <what is wrong>"}.
 */
public class TensorFileException extends WorkbenchException {
  /** An error about {@code source} (a file name, or file name and entry). */
  public TensorFileException(String source, String problem) {
    super(oneLine(source + ": " + problem));
  }

  /** An error about {@code source} with the low-level cause (shown with --debug). */
  public TensorFileException(String source, String problem, Throwable cause) {
    super(oneLine(source + ": " + problem), cause);
  }

  /** Escapes line breaks that names or values from a file may carry. */
  private static String oneLine(String message) {
    return message.replace("\r", "\\r").replace("\n", "\\n");
  }
}
