package io.cbtengine.engine.epoch;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Freezes cut epochs on one background daemon thread, so that {@code createSnapshot} returns
 * without compressing the epoch it cut. The thread sleeps briefly after each container it builds
 * ({@link
 * io.cbtengine.engine.write.DenseEpochBitmap#toBlockSet(java.util.function.BooleanSupplier)}), so
 * that on a machine with fewer free cores than runnable threads, writers wait for microseconds of
 * freezing rather than for an OS time slice. It paces itself only while it is not behind: when
 * another cut epoch waits, or the freezer is closing, or a query needs the epoch, it freezes at
 * full speed. A query that needs an epoch before the freezer reached it freezes it itself ({@link
 * Epoch#frozen()}); the freezer then finds it done.
 *
 * <p>Backpressure: a cut epoch keeps its dense pages (up to one bit per block) until frozen. When
 * more than {@link #MAX_BACKLOG} cut epochs wait, the thread that submits another one freezes the
 * oldest waiting epochs itself, so that snapshots taken faster than the freezer can work cannot
 * exhaust memory. The epoch just cut is never frozen by its own snapshot call.
 *
 * <p>Thread-safety: {@link #submit} may be called from any thread; each task runs once.
 */
public final class EpochFreezer implements AutoCloseable {
  /** Cut epochs allowed to wait for the freezer before submitters help. */
  public static final int MAX_BACKLOG = 8;

  /** How long closing waits for the scheduled freezes: one minute. */
  private static final long TERMINATION_WAIT_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final ExecutorService executor =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "cbt-epoch-freezer");
            t.setDaemon(true);
            return t;
          });
  private final ConcurrentLinkedQueue<Task> pending = new ConcurrentLinkedQueue<>();
  private final AtomicInteger backlog = new AtomicInteger();
  private volatile boolean abandoned;
  private volatile boolean closing;

  private final class Task {
    private final Epoch epoch;
    private final Runnable afterFreeze;
    private final AtomicBoolean started = new AtomicBoolean();

    Task(Epoch epoch, Runnable afterFreeze) {
      this.epoch = epoch;
      this.afterFreeze = afterFreeze;
    }

    /** Freezes the epoch; {@code inBackground}: on the freezer thread, paced. */
    void run(boolean inBackground) {
      if (!started.compareAndSet(false, true)) {
        return;
      }
      try {
        if (inBackground) {
          epoch.freezeInBackground(EpochFreezer.this::behind);
        } else {
          epoch.freeze();
        }
        afterFreeze.run();
      } finally {
        backlog.decrementAndGet();
      }
    }
  }

  /**
   * Schedules the freeze of a cut epoch, then {@code afterFreeze} (persistence); runs both at once
   * if the freezer is shut down. Helps with the oldest waiting epochs when the backlog is full.
   */
  public void submit(Epoch cut, Runnable afterFreeze) {
    Task task = new Task(cut, afterFreeze);
    pending.add(task);
    backlog.incrementAndGet();
    try {
      executor.execute(this::runOldest);
    } catch (RejectedExecutionException e) {
      if (!abandoned) {
        task.run(false);
      }
      return;
    }
    while (backlog.get() > MAX_BACKLOG) {
      Task oldest = pending.peek();
      if (oldest == null || oldest == task) {
        break;
      }
      if (pending.remove(oldest)) {
        oldest.run(false);
      }
    }
  }

  private void runOldest() {
    Task t = pending.poll();
    if (t != null) {
      t.run(true);
    }
  }

  /**
   * Whether the background freeze should stop pacing itself: another cut epoch is waiting, or the
   * freezer is closing.
   */
  private boolean behind() {
    return closing || backlog.get() > 1;
  }

  /** The number of cut epochs waiting to be frozen. */
  public int backlog() {
    return backlog.get();
  }

  /** Stops the thread without running the scheduled freezes (a simulated crash, for tests). */
  public void abandon() {
    abandoned = true;
    executor.shutdownNow();
    awaitTermination();
  }

  /**
   * Stops the thread after the scheduled freezes ran (unpaced from here on). Waits for them even if
   * the calling thread is interrupted (its status is kept): the engine's close writes the epochs
   * the freezer has not, and must not do so while the freezer still writes the same files.
   */
  @Override
  public void close() {
    closing = true;
    executor.shutdown();
    awaitTermination();
  }

  /**
   * Waits up to {@link #TERMINATION_WAIT_NANOS} for the thread to end, whatever interrupts come.
   */
  private void awaitTermination() {
    long deadline = System.nanoTime() + TERMINATION_WAIT_NANOS;
    boolean interrupted = false;
    try {
      while (true) {
        try {
          long left = deadline - System.nanoTime();
          if (executor.awaitTermination(Math.max(0, left), TimeUnit.NANOSECONDS) || left <= 0) {
            return;
          }
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
