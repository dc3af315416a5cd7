package io.cbtengine.engine.store;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;

/**
 * Runs a step with the calling thread's interrupt status cleared, and sets it again after. A file
 * channel used by a thread whose interrupt status is set closes itself and fails, and Chronicle Map
 * compiles and loads a class through such channels when a map is created; the engine runs on its
 * callers' threads (an executor's {@code shutdownNow} interrupts them), and a call must not fail,
 * nor a directory sync be skipped, for that. An interrupt that arrives during the step fails the
 * step with {@link ClosedByInterruptException}: {@link #cleared} lets that through, {@link
 * #retried} runs the step again (for steps that may be repeated, with channels of their own).
 */
public final class InterruptStatus {
  private InterruptStatus() {}

  /** A step that may throw {@code E}. */
  @FunctionalInterface
  public interface Step<T, E extends Exception> {
    T run() throws E;
  }

  /**
   * Attempts of a {@link #retried} step; each failed one was hit by a new interrupt, so only a
   * thread interrupted in a tight loop reaches this.
   */
  static final int MAX_ATTEMPTS = 1_000;

  /**
   * {@link #cleared}, and if an interrupt arriving during {@code step} closed its channel ({@link
   * ClosedByInterruptException}), runs it again with the status cleared, up to {@link
   * #MAX_ATTEMPTS} times. {@code step} must be repeatable, and open its own channels.
   */
  public static <T> T retried(Step<T, IOException> step) throws IOException {
    boolean interrupted = Thread.interrupted();
    try {
      for (int attempt = 1; ; attempt++) {
        try {
          return step.run();
        } catch (ClosedByInterruptException e) {
          interrupted |= Thread.interrupted();
          if (attempt >= MAX_ATTEMPTS) {
            throw e;
          }
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Runs {@code step} with the interrupt status cleared; restores it after, however it ends. */
  public static <T, E extends Exception> T cleared(Step<T, E> step) throws E {
    boolean interrupted = Thread.interrupted();
    try {
      return step.run();
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
