package io.cbtengine.engine.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cbtengine.api.ChangeTracker;
import io.cbtengine.api.DiskChangeExtent;
import io.cbtengine.api.DiskId;
import io.cbtengine.api.DiskOptions;
import io.cbtengine.api.SnapshotInfo;
import io.cbtengine.api.TrackedDisk;
import io.cbtengine.engine.CbtEngine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A caller whose thread has its interrupt status set (an executor's {@code shutdownNow}, a {@code
 * cancel(true)}) must not break the disk's files: interruptible file channels close themselves when
 * an interrupted thread uses them, which would fail every later write and snapshot of the disk with
 * {@code FileFault}.
 */
class InterruptedWriterTest {
  private static final DiskId DISK = new DiskId("disk-i");

  @Test
  void interruptedCallers_writeSnapshotAndLeaveTheDiskWorking(@TempDir Path dir) throws Exception {
    long cap = 1L << 40;
    List<SnapshotInfo> snaps = new ArrayList<>();
    try (ChangeTracker cbt = CbtEngine.open(dir)) {
      TrackedDisk d =
          cbt.createDisk(
              DISK, cap, DiskOptions.builder().blockSize(4096).initiallyEmpty(true).build());
      snaps.add(d.createSnapshot());
      AtomicReference<Throwable> failure = new AtomicReference<>();
      AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
      Thread interrupted =
          new Thread(
              () -> {
                Thread.currentThread().interrupt();
                try {
                  // Each write is in a region of its own: each logs its intent and forces it.
                  for (int i = 0; i < 4; i++) {
                    d.recordWrite(i * (1L << 30), 4096);
                  }
                  d.beginWrite(5L << 30, 4096).close();
                  snaps.add(d.createSnapshot());
                  d.recordWrite(6L << 30, 4096);
                } catch (Throwable e) {
                  failure.set(e);
                }
                stillInterrupted.set(Thread.currentThread().isInterrupted());
              });
      interrupted.start();
      interrupted.join();
      assertEquals(null, failure.get());
      assertTrue(stillInterrupted.get(), "the caller's interrupt status is left as it was");
      // Other callers go on as if nothing happened.
      d.recordWrite(7L << 30, 4096);
      snaps.add(d.createSnapshot());
    }
    try (ChangeTracker cbt = CbtEngine.open(dir)) {
      TrackedDisk d = cbt.disk(DISK);
      List<DiskChangeExtent> changed =
          d.queryChangedDiskAreas(snaps.get(2).id(), 0, snaps.get(0).changeId().toString())
              .changedArea();
      for (long offset :
          new long[] {0, 1L << 30, 2L << 30, 3L << 30, 5L << 30, 6L << 30, 7L << 30}) {
        assertTrue(
            changed.stream().anyMatch(e -> e.start() <= offset && offset + 4096 <= e.end()),
            "write at " + offset + " missing from " + changed);
      }
    }
  }
}
