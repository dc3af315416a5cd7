package io.cbtengine.engine.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
