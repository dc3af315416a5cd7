package io.cbtengine.benchmarks;

import io.cbtengine.api.ChangeTracker;
import io.cbtengine.api.DiskId;
import io.cbtengine.api.DiskOptions;
import io.cbtengine.api.SnapshotInfo;
import io.cbtengine.api.TrackedDisk;
import io.cbtengine.engine.CbtEngine;
import io.cbtengine.engine.EpochTrackedDisk;
import java.util.function.Consumer;

/**
 * The engine's own figure for the memory of one frozen epoch: {@link
 * EpochTrackedDisk#trackingHeapBytes()} (the engine's estimate of the heap its epochs hold, not
 * part of the contract) after the writes are cut into an epoch and frozen, minus the same figure
 * before the writes. Not thread-safe.
 */
final class EngineFootprint implements AutoCloseable {
  private final ChangeTracker engine;
  private int disks;

  EngineFootprint() {
    JvmFlags.requireChronicleFlags();
    engine = CbtEngine.inMemory();
  }

  /** Heap bytes the frozen epoch holding {@code writes} adds to a disk of that capacity. */
  long frozenEpochBytes(long capacity, int blockSize, Consumer<TrackedDisk> writes) {
    TrackedDisk disk =
        engine.createDisk(
            new DiskId("footprint-" + disks++),
            capacity,
            DiskOptions.builder().blockSize(blockSize).initiallyEmpty(true).build());
    try {
      // Epoch 1 empty and frozen (a query forces the freeze): what every disk holds anyway.
      SnapshotInfo first = disk.createSnapshot();
      disk.queryChangedDiskAreas(first.id(), 0, "*");
      long before = heapBytes(disk);

      writes.accept(disk);
      SnapshotInfo second = disk.createSnapshot();
      disk.queryChangedDiskAreas(second.id(), 0, first.changeId().toString());
      return heapBytes(disk) - before;
    } finally {
      engine.deleteDisk(disk.id());
    }
  }

  private static long heapBytes(TrackedDisk disk) {
    if (!(disk instanceof EpochTrackedDisk epochDisk)) {
      throw new IllegalStateException("no footprint figure on " + disk.getClass().getName());
    }
    return epochDisk.trackingHeapBytes();
  }

  @Override
  public void close() {
    engine.close();
  }
}
