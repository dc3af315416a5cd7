package io.cbtengine.engine.epoch;

/**
 * The write-intent log of one open epoch: before a block is first marked in the epoch, the coarse
 * region holding it is recorded durably, so that after an unclean stop the epoch can be rebuilt as
 * the union of its regions (false positives, no miss).
 *
 * <p>Thread-safety: {@link #ensureLogged} is called concurrently by writers; implementations
 * group-commit and must be cheap for regions already logged.
 */
public interface IntentLog {
  /**
   * Returns once the regions covering blocks {@code first..last} are durably recorded for this
   * epoch.
   *
   * @throws io.cbtengine.api.FileFaultException if the log cannot be written; the write is then not
   *     recorded and the caller must not mark it
   */
  void ensureLogged(long first, long last);

  /**
   * Whether the regions covering blocks {@code first..last} are durably recorded already: a plain
   * in-memory check, no I/O, for a writer's fast path, which may then mark the blocks without
   * calling {@link #ensureLogged}. {@code false} when unsure (and once closed); the writer then
   * calls {@link #ensureLogged}.
   */
  default boolean isLogged(long first, long last) {
    return false;
  }

  /**
   * Closes the log once its epoch is durable in another form. Later {@link #ensureLogged} calls
   * return at once: a writer still marking the old epoch then marks the open one too.
   */
  void close();
}
