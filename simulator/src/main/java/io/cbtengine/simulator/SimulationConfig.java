package io.cbtengine.simulator;

import io.cbtengine.api.DiskOptions;
import java.math.BigDecimal;

/**
 * How a simulation runs.
 *
 * @param blockSize the tracking block size, or 0 for the engine's default
 * @param maxExtentsPerReply the reply shaping limit, or 0 for the engine's default
 * @param maxWindowBytes the reply window limit, or 0 for the engine's default
 * @param threads writer threads; 0 replays on the calling thread with {@code recordWrite}
 * @param snapshotEveryWrites take a snapshot of every changed disk after this many writes, or 0
 * @param snapshotEveryNanos take one after this much workload time, or 0
 * @param progress whether to draw a progress bar on stderr
 * @param maxMissesPrinted how many missed ranges to print in full
 * @param measureHeap whether to estimate the engine's heap at the end (two full GCs)
 */
public record SimulationConfig(
    int blockSize,
    int maxExtentsPerReply,
    long maxWindowBytes,
    int threads,
    long snapshotEveryWrites,
    long snapshotEveryNanos,
    boolean progress,
    int maxMissesPrinted,
    boolean measureHeap) {

  /** The default snapshot interval: 10,000 writes. */
  public static final long DEFAULT_SNAPSHOT_EVERY_WRITES = 10_000;

  /** Defaults: engine shaping, one thread, a snapshot every 10,000 writes, no progress bar. */
  public static SimulationConfig defaults() {
    return new SimulationConfig(0, 0, 0, 0, DEFAULT_SNAPSHOT_EVERY_WRITES, 0, false, 20, true);
  }

  /** The options every disk is created with. */
  public DiskOptions diskOptions() {
    DiskOptions.Builder b = DiskOptions.builder().initiallyEmpty(true);
    if (blockSize > 0) {
      b.blockSize(blockSize);
    }
    if (maxExtentsPerReply > 0) {
      b.maxExtentsPerReply(maxExtentsPerReply);
    }
    if (maxWindowBytes > 0) {
      b.maxWindowBytes(maxWindowBytes);
    }
    return b.build();
  }

  /** The settings in words, for the report. */
  String describe() {
    DiskOptions o = diskOptions();
    String window = o.maxWindowBytes() == Long.MAX_VALUE ? "unlimited" : o.maxWindowBytes() + " B";
    String every =
        snapshotEveryWrites > 0
            ? snapshotEveryWrites + " writes"
            : BigDecimal.valueOf(snapshotEveryNanos, 9).stripTrailingZeros().toPlainString()
                + " s of trace time";
    return "block "
        + o.blockSize()
        + " B, max extents/reply "
        + o.maxExtentsPerReply()
        + ", max window "
        + window
        + ", snapshot every "
        + every
        + ", "
        + (threads == 0
            ? "1 replay thread (recordWrite)"
            : threads + " writer threads (beginWrite)");
  }
}
