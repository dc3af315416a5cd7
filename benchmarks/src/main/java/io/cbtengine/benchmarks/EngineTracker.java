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
    this(capacityBytes, DiskOptions.builder().blockSize(blockSize).initiallyEmpty(true).build());
  }

  /** A tracker whose disk has the given options (tests use small reply limits). */
  EngineTracker(long capacityBytes, DiskOptions options) {
    JvmFlags.requireChronicleFlags();
    this.engine = CbtEngine.inMemory();
    this.disk = engine.createDisk(new DiskId("bench-disk"), capacityBytes, options);
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

    // The client paging loop: each reply's window ends where the next request starts. A single
    // reply covering the disk is returned as it is, so the harness adds no copy to the engine's
    // figure; later replies are appended, joining an extent cut by a window edge.
    long capacity = target.capacityBytes();
    DiskChangeInfo first = disk.queryChangedDiskAreas(target.id(), 0, changeId);
    long offset = first.startOffset() + first.length();
    if (offset >= capacity) {
      return first.changedArea();
    }
    List<DiskChangeExtent> out = new ArrayList<>(first.changedArea());
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
