package io.cbtengine.simulator.workload;

import io.cbtengine.simulator.trace.TraceCounters;
import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/**
 * A stream of writes and disk growths to replay, with the disks it needs created up front. Not
 * thread-safe: the simulator reads it from one thread.
 */
public interface Workload extends Closeable {
  /** What is replayed, for the report header. */
  String description();

  /** The disks to create before the first event, in creation order. */
  List<DiskSpec> disks();

  /** The next event, or {@code null} at the end. */
  WorkloadEvent next() throws IOException;

  /** Requests, reads and skips seen so far. */
  TraceCounters counters();

  /** The number of events expected in all, for a progress bar; -1 if unknown. */
  long expectedEvents();

  @Override
  void close() throws IOException;
}
