package io.cbtengine.engine;

import io.cbtengine.api.ChangeId;
import io.cbtengine.api.SnapshotId;
import io.cbtengine.engine.epoch.EpochLog;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * One tracking generation of a disk: its 16-byte id, its epochs, and its live snapshots by
 * sequence. A generation ends when tracking is disabled or the disk deleted; every changeId it
 * issued is then unanswerable.
 *
 * @param wholeDiskAtStart whether {@code "*"} reports the whole capacity (the disk was not empty
 *     when tracking started)
 */
record Generation(
    long high,
    long low,
    boolean wholeDiskAtStart,
    EpochLog log,
    ConcurrentSkipListMap<Long, SnapshotId> live) {

  Generation(long high, long low, boolean wholeDiskAtStart, EpochLog log) {
    this(high, low, wholeDiskAtStart, log, new ConcurrentSkipListMap<>());
  }

  ChangeId changeId(long sequence) {
    return ChangeId.of(high, low, sequence);
  }

  boolean issued(ChangeId id) {
    return id.generationHigh() == high && id.generationLow() == low;
  }
}
