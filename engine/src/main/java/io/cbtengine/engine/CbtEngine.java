package io.cbtengine.engine;

import io.cbtengine.api.ChangeTracker;
import io.cbtengine.engine.catalog.SnapshotCatalog;
import java.nio.file.Path;

/**
 * Factories of {@link ChangeTracker} engines.
 *
 * <p>Chronicle Map, which holds the snapshot catalog, needs JVM flags on Java 17 (see README.md,
 * "Embedding"). This class sets {@code chronicle.analytics.disable=true} before any Chronicle class
 * loads, unless the embedder set it otherwise: the library never opens a network connection.
 */
public final class CbtEngine {
  static {
    disableChronicleAnalytics();
  }

  /** Default catalog sizing: records (disks plus live snapshots) before the map grows. */
  static final long DEFAULT_CATALOG_ENTRIES = 16_384;

  private CbtEngine() {}

  /** Sets the properties that keep Chronicle silent and offline; idempotent. */
  public static void disableChronicleAnalytics() {
    System.setProperty("chronicle.analytics.disable", "true");
    if (System.getProperty("chronicle.announcer.disable") == null) {
      System.setProperty("chronicle.announcer.disable", "true");
    }
  }

  /** An engine whose state lives in memory only (the catalog off-heap). */
  public static ChangeTracker inMemory() {
    return new EpochChangeTracker(SnapshotCatalog.inMemory(DEFAULT_CATALOG_ENTRIES));
  }

  /** An engine persisted in {@code directory}. */
  public static ChangeTracker open(Path directory) {
    throw new UnsupportedOperationException(
        "persistent engines are not built yet (issue 5): directory=" + directory);
  }
}
