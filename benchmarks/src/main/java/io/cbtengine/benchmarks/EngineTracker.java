package io.cbtengine.benchmarks;

import io.cbtengine.api.ChangeTracker;
import io.cbtengine.api.DiskChangeExtent;
import io.cbtengine.api.DiskChangeInfo;
import io.cbtengine.api.DiskId;
import io.cbtengine.api.DiskOptions;
import io.cbtengine.api.SnapshotInfo;
import io.cbtengine.api.TrackedDisk;
import io.cbtengine.engine.CbtEngine;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code engine}: one disk of an in-memory {@link CbtEngine}, declared initially empty, used only
 * through the public API. Marks are {@link TrackedDisk#recordWrite}; a query is the full client
 * paging loop of {@link TrackedDisk#queryChangedDiskAreas}. Thread-safe.
 */
final class EngineTracker implements WriteTracker {
  private final ChangeTracker engine;
  private final TrackedDisk disk;
  private final List<SnapshotInfo> snapshots = new ArrayList<>();

  EngineTracker(long capacityBytes, int blockSize) {
    JvmFlags.requireChronicleFlags();
    this.engine = CbtEngine.inMemory();
    this.disk =
        engine.createDisk(
            new DiskId("bench-disk"),
            capacityBytes,
            DiskOptions.builder().blockSize(blockSize).initiallyEmpty(true).build());
  }

  /** The disk under test, for benchmarks that need the raw API (write scopes, snapshots). */
  TrackedDisk disk() {
    return disk;
  }

  @Override
  public String name() {
    return TrackerKind.ENGINE.paramName();
  }

  @Override
  public long capacityBytes() {
    return disk.capacityBytes();
  }

  @Override
  public int blockSize() {
    return disk.blockSize();
  }

  @Override
  public void mark(long offset, long length) {
    disk.recordWrite(offset, length);
  }

  @Override
  public int snapshot() {
    SnapshotInfo info = disk.createSnapshot();
    synchronized (snapshots) {
      snapshots.add(info);
      return snapshots.size();
    }
  }

  @Override
  public List<DiskChangeExtent> changedExtents(int from, int to) {
    SnapshotInfo target;
    String changeId;
    synchronized (snapshots) {
      target = snapshots.get(to - 1);
      changeId = from == 0 ? "*" : snapshots.get(from - 1).changeId().toString();
    }

    // The client paging loop: each reply's window ends where the next request starts.
    List<DiskChangeExtent> out = new ArrayList<>();
    long capacity = target.capacityBytes();
    long offset = 0;
    while (offset < capacity) {
      DiskChangeInfo reply = disk.queryChangedDiskAreas(target.id(), offset, changeId);
      for (DiskChangeExtent e : reply.changedArea()) {
        int last = out.size() - 1;
        if (last >= 0 && out.get(last).start() + out.get(last).length() == e.start()) {
          DiskChangeExtent joined = out.get(last);
          out.set(last, new DiskChangeExtent(joined.start(), joined.length() + e.length()));
        } else {
          out.add(e);
        }
      }
      offset = reply.startOffset() + reply.length();
    }
    return out;
  }

  @Override
  public void close() {
    engine.close();
  }
}
