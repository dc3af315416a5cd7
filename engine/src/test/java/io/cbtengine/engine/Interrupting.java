package io.cbtengine.engine;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Runs a piece of work on a thread of its own while interrupting that thread again and again, as an
 * executor shutting down or a cancelled task would: for tests of interrupts that arrive while a
 * call runs, not only before it.
 */
public final class Interrupting {
  private Interrupting() {}

  /** Work that may throw anything. */
  @FunctionalInterface
  public interface Work {
    void run() throws Exception;
  }

  /**
   * Runs {@code work} on a new thread, interrupting it, then sleeping {@code gapNanos} nanoseconds,
   * until it ends; returns the number of interrupts sent.
   *
   * @throws AssertionError if {@code work} threw (the cause), naming the interrupts sent
   */
  public static long run(Work work, LongSupplier gapNanos) throws InterruptedException {
    AtomicBoolean done = new AtomicBoolean();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread worker =
        new Thread(
            () -> {
              try {
                work.run();
              } catch (Throwable t) {
                failure.set(t);
              } finally {
                done.set(true);
              }
            },
            "interrupted-worker");
    worker.start();
    long interrupts = 0;
    while (!done.get()) {
      worker.interrupt();
      interrupts++;
      LockSupport.parkNanos(gapNanos.getAsLong());
    }
    worker.join();
    if (failure.get() != null) {
      throw new AssertionError("work failed after " + interrupts + " interrupts", failure.get());
    }
    return interrupts;
  }
}
