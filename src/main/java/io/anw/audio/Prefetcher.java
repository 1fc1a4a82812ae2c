package io.anw.audio;

import io.anw.WorkbenchException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * An ordered, parallel, bounded map over a list: {@code fn} runs on a pool of threads, at most
 * {@code capacity} results are computed ahead of the consumer, and results come out in input
 * order. Close it (or iterate to the end) to release the threads.
 *
 * <p>An exception thrown by {@code fn} is rethrown by {@link #next()} for that element; the
 * iterator may be continued past it.
 *
 * @param <T> input type
 * @param <R> result type
 */
public final class Prefetcher<T, R> implements Iterator<R>, AutoCloseable {
  private final List<T> inputs;
  private final Function<T, R> fn;
  private final int capacity;
  private final ThreadPoolExecutor pool;
  private final ArrayDeque<Future<R>> window = new ArrayDeque<>();
  private int submitted;

  /**
   * Starts computing {@code fn} over {@code inputs}.
   *
   * @param threads worker threads (daemon)
   * @param capacity most results computed ahead of the consumer
   */
  public Prefetcher(List<T> inputs, Function<T, R> fn, int threads, int capacity) {
    this.inputs = List.copyOf(inputs);
    this.fn = fn;
    this.capacity = Math.max(1, capacity);
    this.pool = new ThreadPoolExecutor(threads, threads, 10, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "anw-prefetch");
          t.setDaemon(true);
          return t;
        });
    pool.allowCoreThreadTimeOut(true);
    fill();
  }

  private void fill() {
    while (window.size() < capacity && submitted < inputs.size() && !pool.isShutdown()) {
      T in = inputs.get(submitted++);
      window.add(pool.submit(() -> fn.apply(in)));
    }
  }

  @Override
  public boolean hasNext() {
    return !window.isEmpty();
  }

  @Override
  public R next() {
    Future<R> head = window.poll();
    if (head == null) {
      throw new NoSuchElementException();
    }
    fill();
    try {
      return head.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new WorkbenchException("interrupted while loading", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new WorkbenchException(String.valueOf(cause.getMessage()), cause);
    } finally {
      if (window.isEmpty()) {
        pool.shutdown();
      }
    }
  }

  /** Stops the workers and drops results not yet taken. */
  @Override
  public void close() {
    window.forEach(f -> f.cancel(true));
    window.clear();
    pool.shutdownNow();
  }
}
