package io.anw.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A verb's progress bar on stderr (ASCII, with speed and time left), counted in a unit such as
 * seconds of audio. Closing it ends the bar's line, so that what follows (a result, or the
 * one-line error) starts on a line of its own; closing twice is harmless.
 */
final class Progress implements AutoCloseable {
  private final ProgressBar bar;
  private boolean closed;

  private Progress(ProgressBar bar) {
    this.bar = bar;
  }

  /** A bar for {@code task} going to {@code max} (rounded) of {@code unit}. */
  static Progress start(String task, double max, String unit) {
    return new Progress(new ProgressBarBuilder().setTaskName(task)
        .setInitialMax(Math.max(1, Math.round(max))).setUnit(" " + unit, 1).showSpeed()
        .setStyle(ProgressBarStyle.ASCII)
        .setConsumer(new ConsoleProgressBarConsumer(System.err)).build());
  }

  /** Moves the bar to {@code done} units. */
  void at(double done) {
    bar.stepTo(Math.round(done));
  }

  /** Text after the bar, e.g. {@code 12/20 clips}. */
  void message(String text) {
    bar.setExtraMessage(text);
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      bar.close();
      System.err.flush();
    }
  }
}
