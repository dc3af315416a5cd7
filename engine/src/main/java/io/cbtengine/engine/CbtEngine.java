package io.cbtengine.engine;

import io.cbtengine.api.ChangeTracker;
import io.cbtengine.api.FileFaultException;
import io.cbtengine.engine.catalog.SnapshotCatalog;
import io.cbtengine.engine.store.DirectoryStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Factories of {@link ChangeTracker} engines.
 *
 * <p>Chronicle Map, which holds the snapshot catalog, needs JVM flags on Java 17 (see README.md,
 * "Embedding"). This class sets {@code chronicle.analytics.disable=true} before any Chronicle class
 * loads: the library never opens a network connection.
 */
public final class CbtEngine {
  static {
    disableChronicleAnalytics();
  }

  /** Default catalog sizing: records (disks plus live snapshots) before the map grows. */
  static final long DEFAULT_CATALOG_ENTRIES = 16_384;

  private static final System.Logger LOG = System.getLogger(CbtEngine.class.getName());

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

  /**
   * An engine persisted in {@code directory} (created if absent) with the default options:
   * durability {@link Durability#INTENT}, 64 MiB intent regions.
   *
   * @throws io.cbtengine.api.InvalidStateException if another engine has the directory open
   * @throws FileFaultException if the directory holds another format or cannot be read
   */
  public static ChangeTracker open(Path directory) {
    return open(directory, EngineOptions.defaults());
  }

  /** An engine persisted in {@code directory} with the given options; see {@link #open(Path)}. */
  public static ChangeTracker open(Path directory, EngineOptions options) {
    DirectoryStore store =
        DirectoryStore.open(
            directory, options.durability() == Durability.INTENT, options.intentRegionBytes());
    SnapshotCatalog catalog = null;
    try {
      catalog = openCatalog(store);
      return new EpochChangeTracker(catalog, store);
    } catch (RuntimeException e) {
      if (catalog != null) {
        catalog.close();
      }
      store.close();
      throw e;
    }
  }

  /** The catalog file is an index rebuilt at every open: a damaged one is replaced. */
  private static SnapshotCatalog openCatalog(DirectoryStore store) {
    Path file = store.catalogFile();
    try {
      Files.deleteIfExists(file);
      return SnapshotCatalog.persistedTo(file, DEFAULT_CATALOG_ENTRIES);
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "catalog file unusable, recreating: " + file, e);
      try {
        Files.deleteIfExists(file);
        return SnapshotCatalog.persistedTo(file, DEFAULT_CATALOG_ENTRIES);
      } catch (IOException | RuntimeException again) {
        throw new FileFaultException(
            FileFaultException.CORRUPT,
            file.toString(),
            "cannot create the catalog: file=" + file + ", error=" + again,
            again);
      }
    }
  }
}
