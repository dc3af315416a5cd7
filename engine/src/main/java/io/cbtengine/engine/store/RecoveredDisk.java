package io.cbtengine.engine.store;

import io.cbtengine.api.DiskOptions;
import io.cbtengine.engine.epoch.EpochLog;
import java.time.Instant;
import java.util.List;

/**
 * A disk as recovered from its files at open: its settings, and its current generation if tracking
 * is enabled.
 *
 * @param generation {@code null} if tracking is disabled
 * @param notes what recovery did (reset, lost epochs), for the log
 */
public record RecoveredDisk(
    String diskId,
    long creationOrder,
    long capacityBytes,
    DiskOptions options,
    Generation generation,
    DiskStore store,
    List<String> notes) {

  /** A recovered tracking generation. */
  public record Generation(
      long high, long low, boolean wholeDiskAtStart, EpochLog log, List<Snapshot> live) {}

  /** A live snapshot of a recovered generation. */
  public record Snapshot(String id, long sequence, long capacityBytes, Instant createdAt) {}
}
