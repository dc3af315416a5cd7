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
   * Closes the log once its epoch is durable in another form. Later {@link #ensureLogged} calls
   * return at once: a writer still marking the old epoch then marks the open one too.
   */
  void close();
}
