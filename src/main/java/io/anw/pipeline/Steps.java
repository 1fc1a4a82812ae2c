package io.anw.pipeline;

/**
 * Where a long experiment is, for a progress display: {@code done} of {@code total} steps of a
 * named stage (e.g. {@code probe}, {@code ablate}, {@code ground}).
 */
@FunctionalInterface
public interface Steps {
  /** Nothing is shown. */
  Steps NONE = (stage, done, total) -> { };

  /** Called when a stage starts (with {@code done} 0) and after each of its steps. */
  void at(String stage, int done, int total);
}
