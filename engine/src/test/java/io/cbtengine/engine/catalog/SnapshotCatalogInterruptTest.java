package io.cbtengine.engine.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cbtengine.engine.Interrupting;
import io.cbtengine.engine.catalog.CatalogRecords.DiskRecord;
import io.cbtengine.engine.catalog.CatalogRecords.SnapshotRecord;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A persisted catalog written by a thread whose interrupt status is set: when the map grows, it
 * reaches its file through a channel, which an interrupted thread would close for good (every later
 * snapshot of the engine then failed with Chronicle's exception).
 */
class SnapshotCatalogInterruptTest {
  @Test
  void growingPersistedCatalog_onAnInterruptedThread_keepsWorking(@TempDir Path dir) {
    try (SnapshotCatalog catalog = SnapshotCatalog.persistedTo(dir.resolve("c.cmap"), 1024)) {
      Thread.currentThread().interrupt();
      try {
        // Far past the 1,024 entries the map was sized for: it must add tiers.
        for (int i = 0; i < 50_000; i++) {
          catalog.putSnapshot("d", "s" + i, new SnapshotRecord(1, 2, i + 1, 4096, 0, 0));
        }
        assertTrue(Thread.currentThread().isInterrupted(), "the status is set again");
      } finally {
        Thread.interrupted();
      }
      assertEquals(50_000, catalog.size());
      assertEquals(50_000, catalog.snapshot("d", "s49999").orElseThrow().sequence());
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * Interrupts that arrive while the calls run (an executor shutting down under a snapshot, say):
   * every update must still succeed, and the catalog must keep working after. A status set before a
   * call is handled by clearing it; one that arrives during a call reaches a channel the map is
   * growing through, so the catalog must not grow the map on the caller's thread.
   */
  @Test
  void growingPersistedCatalog_interruptedDuringCalls_keepsWorking(@TempDir Path dir)
      throws Exception {
    int records = 60_000;
    try (SnapshotCatalog catalog = SnapshotCatalog.persistedTo(dir.resolve("c.cmap"), 1024)) {
      long interrupts =
          Interrupting.run(
              () -> {
                for (int i = 0; i < records; i++) {
                  Thread.interrupted(); // the caller ignores interrupts; the catalog must too
                  catalog.putSnapshot("d", "s" + i, new SnapshotRecord(1, 2, i + 1, 4096, 0, 0));
                  catalog.putDisk(
                      "d" + (i % 7), new DiskRecord(true, false, 1, 2, i, 4096, 65536, 1));
                }
              },
              () -> 20_000);
      assertTrue(interrupts > 100, "the writer was interrupted while it wrote: " + interrupts);
      assertEquals(records + 7, catalog.size());
      catalog.putSnapshot("d", "after", new SnapshotRecord(1, 2, 1, 4096, 0, 0));
      assertEquals(records + 8, catalog.size());
      assertEquals(records, catalog.snapshot("d", "s" + (records - 1)).orElseThrow().sequence());
    }
  }
}
