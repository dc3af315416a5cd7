package io.cbtengine.benchmarks;

import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A thread that marks random 4 KiB writes as fast as it can into whichever tracker it is pointed
 * at, timing every mark, so that benchmarks of the snapshot cut and the freeze run with writers
 * running and can tell what those writers saw.
 *
 * <p>Obligations, in the style of a phaser:
 *
 * <ol>
 *   <li>The controller points the writer at a tracker with {@link #writeTo} and detaches it with
 *       {@link #detach()}; both return only once the writer has seen the change, so after {@code
 *       detach()} the writer never touches the old tracker again and the caller may close it.
 *   <li>The writer records each mark's latency (two {@link System#nanoTime()} calls around it, so
 *       it includes ~20-40 ns of timer cost) into a {@link Recorder}; {@link #intervalLatencies()}
 *       returns and resets what was recorded since the previous call. Recording is wait-free.
 *   <li>{@link #writes()} counts completed marks; a controller waits for it to advance to know that
 *       the writer made progress after some event.
 * </ol>
 */
final class BackgroundWriter implements AutoCloseable {
  private static final long MAX_LATENCY_NANOS = 10_000_000_000L;

  private final long[] offsets;
  private final Recorder latencies = new Recorder(MAX_LATENCY_NANOS, 3);
  private final Thread thread;

  private volatile WriteTracker target;
  private volatile long requested;
  private volatile long acknowledged;
  private volatile long writes;
  private volatile boolean stopped;
  private volatile Throwable failure;

  /** Starts the writer thread, detached, cycling over {@code offsets} (length a power of two). */
  BackgroundWriter(long[] offsets) {
    if (Integer.bitCount(offsets.length) != 1) {
      throw new IllegalArgumentException(
          "offsets.length must be a power of two: " + offsets.length);
    }
    this.offsets = offsets.clone();
    this.thread = new Thread(this::run, "cbt-bench-background-writer");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try {
      writeUntilStopped();
    } catch (Throwable t) {
      failure = t;
    }
  }

  private void writeUntilStopped() {
    int mask = offsets.length - 1;
    int next = 0;
    long count = 0;
    while (!stopped) {
      // Read the request before the target: a controller writes them in the other order.
      long request = requested;
      WriteTracker t = target;
      if (acknowledged != request) {
        acknowledged = request;
      }
      if (t == null) {
        Thread.onSpinWait();
        continue;
      }
      long start = System.nanoTime();
      t.mark(offsets[next++ & mask], 4096);
      latencies.recordValue(Math.min(System.nanoTime() - start, MAX_LATENCY_NANOS));
      writes = ++count;
    }
  }

  /** Points the writer at {@code tracker}; returns once the writer has seen it. */
  void writeTo(WriteTracker tracker) {
    target = tracker;
    long request = requested + 1;
    requested = request;
    while (acknowledged < request && thread.isAlive()) {
      Thread.onSpinWait();
    }
    checkAlive();
  }

  private void checkAlive() {
    if (failure != null) {
      throw new IllegalStateException("background writer failed", failure);
    }
  }

  /** Stops writing; returns once the writer no longer touches the previous tracker. */
  void detach() {
    writeTo(null);
  }

  /** Marks completed so far. */
  long writes() {
    return writes;
  }

  /**
   * Waits until the writer has completed {@code count} more marks than {@code since}, parking
   * between checks so that the waiting thread leaves the CPU to the writer.
   */
  void awaitWrites(long since, long count) {
    while (writes - since < count && thread.isAlive()) {
      LockSupport.parkNanos(20_000);
    }
    checkAlive();
  }

  /** The latencies recorded since the previous call, in nanoseconds. */
  Histogram intervalLatencies() {
    return latencies.getIntervalHistogram();
  }

  @Override
  public void close() {
    stopped = true;
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    checkAlive();
  }
}
