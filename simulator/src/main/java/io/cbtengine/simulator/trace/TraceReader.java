package io.cbtengine.simulator.trace;

import java.io.Closeable;
import java.io.IOException;

/**
 * Streams the write requests of one trace file, in file order. Reads are counted, not returned;
 * records that cannot be replayed are counted as skips by {@link SkipReason} or, when the reader is
 * strict, end the stream with a {@link TraceFormatException} naming the file and the line or
 * record.
 *
 * <p>Not thread-safe: one thread reads a reader from start to end.
 */
public interface TraceReader extends Closeable {
  /**
   * The next write, or {@code null} at the end of the trace.
   *
   * @throws TraceFormatException in strict mode, at the first record that would be skipped
   * @throws IOException if the file cannot be read
   */
  TraceWrite next() throws IOException;

  /**
   * Ends the stream, as if the trace ended there, once {@code records} records have been read
   * (reads, writes and skipped records; blank and ignored lines do not count): detection samples
   * the first records of a file, and a run of records that {@link #next()} reads through in one
   * call (reads, skips) must not carry it past them.
   */
  void limitRecords(long records);

  /** The counts so far; final once {@link #next()} has returned {@code null}. */
  TraceCounters counters();

  /** The format this reader parses. */
  TraceFormat format();
}
