package io.anw;

/**
 * An error the user can act on: bad input, a malformed file, an unsupported option.
 *
 * <p>The CLI and the REPL print only {@link #getMessage()} as one line (no stack trace unless
 * {@code --debug}); the message should name the file or value and say what is wrong, e.g.
 * {@code "model.pth: not a zip archive or legacy torch pickle"}.
 */
public class WorkbenchException extends RuntimeException {
  /** An error with a one-line, user-facing message. */
  public WorkbenchException(String message) {
    super(message);
  }

  /** An error with a one-line, user-facing message and the low-level cause (shown with --debug). */
  public WorkbenchException(String message, Throwable cause) {
    super(message, cause);
  }
}
