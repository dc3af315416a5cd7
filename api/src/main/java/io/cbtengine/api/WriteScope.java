package io.cbtengine.api;

/**
 * Brackets one data write, returned by {@link TrackedDisk#beginWrite(long, long)}. Closing it twice
 * is harmless.
 */
public interface WriteScope extends AutoCloseable {
  /** Ends the scope; throws nothing. */
  @Override
  void close();
}
