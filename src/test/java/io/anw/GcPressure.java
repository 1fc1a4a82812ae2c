package io.anw;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A hostile garbage collector for tests: while open, a daemon thread keeps calling
 * {@link System#gc()} and churns direct buffers filled with NaN, so native memory freed under
 * an array that still wraps it is reused and overwritten at once. Code that keeps an NDArray
 * over a Java buffer then crashes or computes NaN instead of passing by the collector's luck.
 */
public final class GcPressure implements AutoCloseable {
  private final Thread thread;
  private volatile boolean running = true;
  private volatile long rounds;

  private GcPressure() {
    thread = new Thread(this::churn, "gc-pressure");
    thread.setDaemon(true);
    thread.start();
  }

  /** Starts the pressure; close to stop it. */
  public static GcPressure start() {
    return new GcPressure();
  }

  /** One synchronous round: collect, then allocate and scribble over fresh native memory. */
  public static void round() {
    System.gc();
    scribble();
  }

  /** Allocates direct buffers (reusing freed native memory) and fills them with NaN. */
  private static void scribble() {
    for (int i = 0; i < 64; i++) {
      ByteBuffer b = ByteBuffer.allocateDirect(64 << 10).order(ByteOrder.nativeOrder());
      for (int j = 0; j < b.capacity(); j += 256) {
        b.putFloat(j, Float.NaN);
      }
    }
  }

  private void churn() {
    long last = 0;
    while (running) {
      // a full collection now and then (it stops every thread), young ones all the time
      if (System.nanoTime() - last > 200_000_000L) {
        round();
        last = System.nanoTime();
      } else {
        scribble();
        byte[][] garbage = new byte[64][];
        for (int i = 0; i < garbage.length; i++) {
          garbage[i] = new byte[64 << 10];
        }
      }
      rounds++;
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Rounds done so far (a test may check that pressure was really applied). */
  public long rounds() {
    return rounds;
  }

  @Override
  public void close() {
    running = false;
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
