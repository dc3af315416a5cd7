package io.cbtengine.engine.store;

/**
 * Runs a step with the calling thread's interrupt status cleared, and sets it again after. A file
 * channel used by a thread whose interrupt status is set closes itself and fails, and Chronicle Map
 * compiles and loads a class through such channels when a map is created; the engine runs on its
 * callers' threads (an executor's {@code shutdownNow} interrupts them), and a call must not fail,
 * nor a directory sync be skipped, for that. An interrupt that arrives during the step still fails
 * that one step.
 */
public final class InterruptStatus {
  private InterruptStatus() {}

  /** A step that may throw {@code E}. */
  @FunctionalInterface
  public interface Step<T, E extends Exception> {
    T run() throws E;
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
