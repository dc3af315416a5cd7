package io.cbtengine.engine.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cbtengine.api.ChangeTracker;
import io.cbtengine.api.DiskChangeExtent;
import io.cbtengine.api.DiskChangeInfo;
import io.cbtengine.api.DiskId;
import io.cbtengine.api.DiskOptions;
import io.cbtengine.api.SnapshotInfo;
import io.cbtengine.api.TrackedDisk;
import io.cbtengine.engine.CbtEngine;
import io.cbtengine.engine.Interrupting;
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

  /**
   * Interrupts that arrive while the calls run, not only before: a caller that ignores them writes
   * and snapshots on, every call succeeds, and after a reopen the disk has exactly the snapshots
   * that were acknowledged (none "comes back" from a call that failed) and every write between
   * them. This covers the journal, the intent logs and the directory syncs on the caller's thread;
   * 2,500 snapshots do not make the catalog grow (it is sized for 16,384 records), so the catalog's
   * own case is {@code SnapshotCatalogInterruptTest}, which fails without the updater thread.
   */
  @Test
  void callersInterruptedDuringCalls_everyCallSucceedsAndSurvivesReopen(@TempDir Path dir)
      throws Exception {
    int rounds = 2_500;
    long cap = 1L << 40;
    List<SnapshotInfo> snaps = new ArrayList<>();
    try (ChangeTracker cbt = CbtEngine.open(dir)) {
      TrackedDisk d =
          cbt.createDisk(
              DISK, cap, DiskOptions.builder().blockSize(65536).initiallyEmpty(true).build());
      snaps.add(d.createSnapshot());
      long interrupts =
          Interrupting.run(
              () -> {
                for (int i = 0; i < rounds; i++) {
                  Thread.interrupted(); // this caller ignores interrupts; the engine must too
                  d.recordWrite(offsetOf(i), 4096);
                  snaps.add(d.createSnapshot());
                }
              },
              () -> 20_000);
      assertTrue(interrupts > 100, "the caller was interrupted while it ran: " + interrupts);
    }
    try (ChangeTracker cbt = CbtEngine.open(dir)) {
      TrackedDisk d = cbt.disk(DISK);
      assertEquals(
          snaps.stream().map(SnapshotInfo::id).toList(),
          d.snapshots().stream().map(SnapshotInfo::id).toList(),
          "the snapshots after reopening are the acknowledged ones");
      DiskChangeInfo all =
          d.queryChangedDiskAreas(snaps.get(rounds).id(), 0, snaps.get(0).changeId().toString());
      for (int i = 0; i < rounds; i++) {
        long offset = offsetOf(i);
        assertTrue(
            all.changedArea().stream()
                .anyMatch(e -> e.start() <= offset && offset + 4096 <= e.end()),
            "write " + i + " at " + offset + " missing");
      }
    }
  }

  /** A write per round, 1 GiB apart modulo the disk, so that each lands in its own region. */
  private static long offsetOf(int round) {
    return ((long) round << 30) % (1L << 40) + (round % 16) * 65536L;
  }
}
