package io.cbtengine.engine.epoch;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Freezes cut epochs on one background daemon thread, so that {@code createSnapshot} returns
 * without compressing anything. A query that needs an epoch before the freezer reached it freezes
 * it itself ({@link Epoch#frozen()}); the freezer then finds it done.
 *
 * <p>Thread-safety: {@link #submit} may be called from any thread.
 */
public final class EpochFreezer implements AutoCloseable {
  private volatile boolean abandoned;

  private final ExecutorService executor =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "cbt-epoch-freezer");
            t.setDaemon(true);
            return t;
          });

  /**
   * Schedules the freeze of a cut epoch, then {@code afterFreeze} (persistence); runs both at once
   * if the freezer is shut down.
   */
  public void submit(Epoch cut, Runnable afterFreeze) {
    Runnable task =
        () -> {
          cut.freeze();
          afterFreeze.run();
        };
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      if (!abandoned) {
        task.run();
      }
    }
  }

  /** Stops the thread without running the scheduled freezes (a simulated crash, for tests). */
  public void abandon() {
    abandoned = true;
    executor.shutdownNow();
    try {
      executor.awaitTermination(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops the thread after the scheduled freezes ran. */
  @Override
  public void close() {
    executor.shutdown();
    try {
      executor.awaitTermination(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
