package io.anw.cli;

import java.io.PrintStream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A verb's progress bar on stderr (ASCII, with speed and time left), counted in a unit such as
 * seconds of audio. Closing it ends the bar's line, so that what follows (a result, or the
 * one-line error) starts on a line of its own; closing twice is harmless.
 */
final class Progress implements AutoCloseable {
  private final ProgressBar bar;
  private final Line line;
  private boolean closed;

  private Progress(ProgressBar bar, Line line) {
    this.bar = bar;
    this.line = line;
  }

  /** A bar for {@code task} going to {@code max} (rounded) of {@code unit}. */
  static Progress start(String task, double max, String unit) {
    Line line = new Line(System.err, System.console() != null);
    return new Progress(new ProgressBarBuilder().setTaskName(task)
        .setInitialMax(Math.max(1, Math.round(max))).setUnit(" " + unit, 1).showSpeed()
        .setStyle(ProgressBarStyle.ASCII).setConsumer(line).build(), line);
  }

  /**
   * The bar's line on stderr, redrawn in place; once closed it ends the line and draws no
   * more (the library's refresh thread may call late).
   */
  private static final class Line implements ProgressBarConsumer {
    /** Without a terminal (a log file, CI): a full line at most this often. */
    private static final long QUIET_NANOS = 10_000_000_000L;

    private final PrintStream out;
    private final boolean terminal;
    private boolean open; // a bar is drawn and its line not ended
    private boolean closed;
    private long lastLine = Long.MIN_VALUE;
    private String pending; // the latest rendering not yet printed (no terminal)

    Line(PrintStream out, boolean terminal) {
      this.out = out;
      this.terminal = terminal;
    }

    @Override
    public int getMaxRenderedLength() {
      return 100;
    }

    @Override
    public synchronized void accept(String rendered) {
      if (closed) {
        return;
      }
      if (!terminal) {
        // no terminal: periodic whole lines instead of a bar redrawn with \r
        long now = System.nanoTime();
        pending = rendered.stripTrailing();
        if (lastLine == Long.MIN_VALUE || now - lastLine >= QUIET_NANOS) {
          out.println(pending);
          out.flush();
          pending = null;
          lastLine = now;
        }
        return;
      }
      out.print('\r');
      out.print(rendered);
      out.flush();
      open = true;
    }

    @Override
    public synchronized void close() {
      closed = true;
      if (pending != null) {
        out.println(pending); // where it ended
        pending = null;
      }
      if (open) {
        out.println();
        out.flush();
        open = false;
      }
      out.flush();
    }
  }

  /** Moves the bar to {@code done} units. */
  void at(double done) {
    bar.stepTo(Math.round(done));
  }

  /** Text after the bar, e.g. {@code 12/20 clips}. */
  void message(String text) {
    bar.setExtraMessage(text.isEmpty() ? text : " " + text);
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      bar.close();
      line.close();
    }
  }
}
