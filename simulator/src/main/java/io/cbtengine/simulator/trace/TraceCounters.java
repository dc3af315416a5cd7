package io.cbtengine.simulator.trace;

import java.util.EnumMap;
import java.util.Map;

/**
 * What a reader has seen so far: requests (reads and writes), records that are not requests
 * (headers, blank lines, repeated events) and skips by reason. Not thread-safe; one reader updates
 * it from one thread.
 */
public final class TraceCounters {
  private long reads;
  private long writes;
  private long ignored;
  private final long[] skips = new long[SkipReason.values().length];

  public void countRead() {
    reads++;
  }

  public void countWrite() {
    writes++;
  }

  public void countIgnored() {
    ignored++;
  }

  public void countSkip(SkipReason reason) {
    skips[reason.ordinal()]++;
  }

  /** Turns a write already counted into a skip, when the replay rejects what the reader took. */
  public void moveWriteToSkip(SkipReason reason) {
    writes--;
    skips[reason.ordinal()]++;
  }

  /** Adds every count of {@code other} to this one. */
  public void add(TraceCounters other) {
    reads += other.reads;
    writes += other.writes;
    ignored += other.ignored;
    for (int i = 0; i < skips.length; i++) {
      skips[i] += other.skips[i];
    }
  }

  /** Read requests seen. */
  public long reads() {
    return reads;
  }

  /** Well-formed write requests returned by the reader. */
  public long writes() {
    return writes;
  }

  /** Requests read: reads plus writes plus skipped records. */
  public long requests() {
    return reads + writes + skippedTotal();
  }

  /** Records that carry no request: header lines, blank lines, non-queue blkparse events. */
  public long ignored() {
    return ignored;
  }

  public long skipped(SkipReason reason) {
    return skips[reason.ordinal()];
  }

  /** Records read so far: reads, writes and skipped records (not blank or ignored lines). */
  public long records() {
    return reads + writes + skippedTotal();
  }

  public long skippedTotal() {
    long sum = 0;
    for (long s : skips) {
      sum += s;
    }
    return sum;
  }

  /** The skip counts by reason, in declaration order, including zeros. */
  public Map<SkipReason, Long> skipsByReason() {
    Map<SkipReason, Long> map = new EnumMap<>(SkipReason.class);
    for (SkipReason r : SkipReason.values()) {
      map.put(r, skips[r.ordinal()]);
    }
    return map;
  }
}
