package io.cbtengine.simulator;

import io.cbtengine.api.ChangeTracker;
import io.cbtengine.api.DiskChangeExtent;
import io.cbtengine.api.DiskChangeInfo;
import io.cbtengine.api.DiskId;
import io.cbtengine.api.DiskOptions;
import io.cbtengine.api.SnapshotId;
import io.cbtengine.api.SnapshotInfo;
import io.cbtengine.api.TrackedDisk;
import io.cbtengine.api.WriteScope;
import io.cbtengine.engine.CbtEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A broken engine for tests: the real in-memory engine with one of two faults. With {@code
 * dropEvery > 0}, every {@code dropEvery}-th reported extent of an incremental query is left out of
 * the reply. With {@code ignoreScopes}, {@code beginWrite} only records the write, as {@code
 * recordWrite} does, so a write open during a snapshot is not reported again after it. A simulation
 * on either must find missed writes.
 */
final class FaultyTracker implements ChangeTracker {
  private final ChangeTracker engine = CbtEngine.inMemory();
  private final long dropEvery;
  private final boolean ignoreScopes;
  private final AtomicLong extentsSeen = new AtomicLong();
  final AtomicLong dropped = new AtomicLong();

  FaultyTracker(long dropEvery, boolean ignoreScopes) {
    this.dropEvery = dropEvery;
    this.ignoreScopes = ignoreScopes;
  }

  /** Drops every {@code dropEvery}-th extent of incremental replies. */
  static FaultyTracker droppingExtents(long dropEvery) {
    return new FaultyTracker(dropEvery, false);
  }

  /** Treats write scopes as plain recorded writes. */
  static FaultyTracker ignoringScopes() {
    return new FaultyTracker(0, true);
  }

  @Override
  public TrackedDisk createDisk(DiskId id, long capacityBytes, DiskOptions options) {
    return new Disk(engine.createDisk(id, capacityBytes, options));
  }

  @Override
  public TrackedDisk disk(DiskId id) {
    return new Disk(engine.disk(id));
  }

  @Override
  public Optional<TrackedDisk> findDisk(DiskId id) {
    return engine.findDisk(id).map(Disk::new);
  }

  @Override
  public List<TrackedDisk> disks() {
    List<TrackedDisk> out = new ArrayList<>();
    for (TrackedDisk d : engine.disks()) {
      out.add(new Disk(d));
    }
    return out;
  }

  @Override
  public void deleteDisk(DiskId id) {
    engine.deleteDisk(id);
  }

  @Override
  public DiskChangeInfo queryChangedDiskAreas(
      DiskId disk, SnapshotId snapshot, long startOffset, String changeId) {
    return disk(disk).queryChangedDiskAreas(snapshot, startOffset, changeId);
  }

  @Override
  public void close() {
    engine.close();
  }

  private DiskChangeInfo drop(DiskChangeInfo reply, String changeId) {
    if (dropEvery == 0 || changeId.equals("*")) {
      return reply;
    }
    List<DiskChangeExtent> kept = new ArrayList<>();
    for (DiskChangeExtent e : reply.changedArea()) {
      if (extentsSeen.incrementAndGet() % dropEvery == 0) {
        dropped.incrementAndGet();
      } else {
        kept.add(e);
      }
    }
    return new DiskChangeInfo(reply.startOffset(), reply.length(), kept);
  }

  private final class Disk implements TrackedDisk {
    private final TrackedDisk d;

    Disk(TrackedDisk d) {
      this.d = d;
    }

    @Override
    public DiskId id() {
      return d.id();
    }

    @Override
    public long capacityBytes() {
      return d.capacityBytes();
    }

    @Override
    public int blockSize() {
      return d.blockSize();
    }

    @Override
    public DiskOptions options() {
      return d.options();
    }

    @Override
    public boolean changeTrackingEnabled() {
      return d.changeTrackingEnabled();
    }

    @Override
    public void enableChangeTracking() {
      d.enableChangeTracking();
    }

    @Override
    public void disableChangeTracking() {
      d.disableChangeTracking();
    }

    @Override
    public void recordWrite(long offset, long length) {
      d.recordWrite(offset, length);
    }

    @Override
    public WriteScope beginWrite(long offset, long length) {
      if (ignoreScopes) {
        d.recordWrite(offset, length);
        return () -> {};
      }
      return d.beginWrite(offset, length);
    }

    @Override
    public SnapshotInfo createSnapshot() {
      return d.createSnapshot();
    }

    @Override
    public SnapshotInfo snapshot(SnapshotId id) {
      return d.snapshot(id);
    }

    @Override
    public List<SnapshotInfo> snapshots() {
      return d.snapshots();
    }

    @Override
    public void deleteSnapshot(SnapshotId id) {
      d.deleteSnapshot(id);
    }

    @Override
    public void extend(long newCapacityBytes) {
      d.extend(newCapacityBytes);
    }

    @Override
    public DiskChangeInfo queryChangedDiskAreas(
        SnapshotId snapshot, long startOffset, String changeId) {
      return drop(d.queryChangedDiskAreas(snapshot, startOffset, changeId), changeId);
    }
  }
}
