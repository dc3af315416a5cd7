package io.cbtengine.engine.catalog;

import io.cbtengine.api.InvalidStateException;
import io.cbtengine.engine.catalog.CatalogRecords.DiskRecord;
import io.cbtengine.engine.catalog.CatalogRecords.SnapshotRecord;
import io.cbtengine.engine.store.InterruptStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import net.openhft.chronicle.map.ChronicleMap;

/**
 * Disk generations and snapshot boundaries, kept off-heap in a Chronicle Map: in memory for {@code
 * CbtEngine.inMemory()}, or mapped from a file.
 *
 * <p>The catalog answers which snapshot ids exist, which generation and sequence each names, and
 * the capacity at each; the epochs themselves live elsewhere. Record layouts are drawn in {@link
 * CatalogRecords}.
 *
 * <p>Thread-safety: every method may be called concurrently; Chronicle Map locks per segment.
 * Callers serialise the updates of one disk (they hold the disk's lock). {@link #close} waits for
 * the calls running on the map; any call after it throws {@link InvalidStateException}.
 */
public final class SnapshotCatalog implements AutoCloseable {
  static {
    // Before any Chronicle class loads: never phone home (see CbtEngine).
    System.setProperty("chronicle.analytics.disable", "true");
  }

  private static final String DISK_PREFIX = "d/";
  private static final String SNAPSHOT_PREFIX = "s/";

  private final ChronicleMap<String, byte[]> map;
  private final ReadWriteLock closing = new ReentrantReadWriteLock();
  private boolean closed;

  private SnapshotCatalog(ChronicleMap<String, byte[]> map) {
    this.map = map;
  }

  /** An off-heap catalog with room for about {@code entries} records (it grows past that). */
  public static SnapshotCatalog inMemory(long entries) {
    return new SnapshotCatalog(builder(entries).create());
  }

  /** A catalog mapped from {@code file}, created if absent. */
  public static SnapshotCatalog persistedTo(Path file, long entries) throws IOException {
    return new SnapshotCatalog(builder(entries).createPersistedTo(file.toFile()));
  }

  private static net.openhft.chronicle.map.ChronicleMapBuilder<String, byte[]> builder(long n) {
    return ChronicleMap.of(String.class, byte[].class)
        .name("cbt-catalog")
        .averageKeySize(64)
        .averageValueSize(CatalogRecords.DISK_RECORD_BYTES)
        .entries(Math.max(1024, n))
        .maxBloatFactor(64)
        // The engine closes the map itself. Chronicle's own exit hook would close it at JVM
        // shutdown under whatever still runs, an embedder's shutdown hook included (which then
        // got Chronicle's exception in place of a snapshot). The catalog is rebuilt at every open,
        // so a map left unclosed by a killed process costs nothing.
        .skipCloseOnExitHook(true);
  }

  public void putDisk(String diskId, DiskRecord record) {
    guarded(() -> map.put(DISK_PREFIX + diskId, record.encode()));
  }

  /** The disk's record; empty if absent or unreadable. */
  public Optional<DiskRecord> disk(String diskId) {
    return Optional.ofNullable(DiskRecord.decode(guarded(() -> map.get(DISK_PREFIX + diskId))));
  }

  public void removeDisk(String diskId) {
    guarded(() -> map.remove(DISK_PREFIX + diskId));
  }

  public void putSnapshot(String diskId, String snapshotId, SnapshotRecord record) {
    guarded(() -> map.put(snapshotKey(diskId, snapshotId), record.encode()));
  }

  /** The snapshot's boundary; empty if absent or unreadable. */
  public Optional<SnapshotRecord> snapshot(String diskId, String snapshotId) {
    return Optional.ofNullable(
        SnapshotRecord.decode(guarded(() -> map.get(snapshotKey(diskId, snapshotId)))));
  }

  public boolean removeSnapshot(String diskId, String snapshotId) {
    return guarded(() -> map.remove(snapshotKey(diskId, snapshotId))) != null;
  }

  /** Removes every snapshot record of the disk. */
  public void removeSnapshotsOf(String diskId) {
    String prefix = SNAPSHOT_PREFIX + diskId + "/";
    guarded(() -> map.keySet().removeIf(k -> k.startsWith(prefix)));
  }

  /** The number of records. */
  public long size() {
    return guarded(map::longSize);
  }

  private static String snapshotKey(String diskId, String snapshotId) {
    return SNAPSHOT_PREFIX + diskId + "/" + snapshotId;
  }

  /**
   * Runs {@code op} on the map, or throws {@link InvalidStateException} once the catalog is closed.
   * The map's off-heap memory is released by {@link #close}, which waits for every running {@code
   * op}: a query racing the engine's close gets the contract's fault, never a closed map.
   */
  private <T> T guarded(Supplier<T> op) {
    Lock read = closing.readLock();
    read.lock();
    try {
      if (closed) {
        throw new InvalidStateException("engine is closed");
      }
      // A persisted map grows through a file channel, which an interrupted caller would close.
      return InterruptStatus.cleared(op::get);
    } finally {
      read.unlock();
    }
  }

  /** Closes the map once every running operation on it has ended; later calls do nothing. */
  @Override
  public void close() {
    Lock write = closing.writeLock();
    write.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      map.close();
    } catch (RuntimeException e) {
      throw new UncheckedIOException(new IOException("closing catalog failed", e));
    } finally {
      write.unlock();
    }
  }
}
