package io.cbtengine.engine;

import io.cbtengine.api.ChangeTracker;
import io.cbtengine.api.FileFaultException;
import io.cbtengine.engine.catalog.SnapshotCatalog;
import io.cbtengine.engine.store.DirectoryStore;
import io.cbtengine.engine.store.InterruptStatus;
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
    checkJvmFlags();
    // Creating the catalog makes Chronicle compile and load a class: see InterruptStatus.
    return InterruptStatus.cleared(
        () -> new EpochChangeTracker(SnapshotCatalog.inMemory(DEFAULT_CATALOG_ENTRIES)));
  }

  /** The packages Chronicle Map reaches into: {module, package, "open" or "export"}. */
  private static final String[][] REQUIRED_ACCESS = {
    {"java.base", "jdk.internal.ref", "export"},
    {"java.base", "sun.nio.ch", "export"},
    {"jdk.unsupported", "sun.misc", "export"},
    {"java.base", "java.lang", "open"},
    {"java.base", "java.lang.reflect", "open"},
    {"java.base", "java.io", "open"},
    {"java.base", "java.util", "open"},
    {"java.base", "java.nio", "open"},
    // Chronicle compiles a class with javac when a map is created.
    {"jdk.compiler", "com.sun.tools.javac.file", "export"},
    {"jdk.compiler", "com.sun.tools.javac", "open"},
  };

  /**
   * Fails fast, with the flags to add, when the JVM lacks the opens and exports Chronicle Map
   * needs; without them it fails deep inside with an {@code IllegalAccessException}.
   *
   * @throws io.cbtengine.api.InvalidStateException naming every missing flag
   */
  static void checkJvmFlags() {
    Module me = CbtEngine.class.getModule();
    StringBuilder missing = new StringBuilder();
    for (String[] a : REQUIRED_ACCESS) {
      Module m = ModuleLayer.boot().findModule(a[0]).orElse(null);
      if (m == null) {
        continue;
      }
      boolean ok = a[2].equals("open") ? m.isOpen(a[1], me) : m.isExported(a[1], me);
      if (!ok) {
        missing
            .append(" --add-")
            .append(a[2].equals("open") ? "opens" : "exports")
            .append('=')
            .append(a[0])
            .append('/')
            .append(a[1])
            .append("=ALL-UNNAMED");
      }
    }
    if (missing.length() > 0) {
      throw new io.cbtengine.api.InvalidStateException(
          "the JVM lacks flags Chronicle Map needs on Java 17 (README.md, Embedding): missing"
              + missing);
    }
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
    checkJvmFlags();
    return InterruptStatus.cleared(() -> openDirectory(directory, options));
  }

  private static ChangeTracker openDirectory(Path directory, EngineOptions options) {
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
