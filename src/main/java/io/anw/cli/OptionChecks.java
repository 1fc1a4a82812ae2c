package io.anw.cli;

import io.anw.WorkbenchException;

/** Checks of option values before a verb does any work, each failing with one clear line. */
final class OptionChecks {
  private OptionChecks() {}

  /**
   * Requires {@code value >= min} for option {@code name}.
   *
   * @throws WorkbenchException e.g. {@code --batch must be at least 1, got 0}
   */
  static void atLeast(String name, long value, long min) {
    if (value < min) {
      throw new WorkbenchException(name + " must be at least " + min + ", got " + value);
    }
  }
}
