package io.cbtengine.engine.catalog;

import io.cbtengine.engine.catalog.CatalogRecords.DiskRecord;
import io.cbtengine.engine.catalog.CatalogRecords.SnapshotRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
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
 * Callers serialise the updates of one disk (they hold the disk's lock).
 */
public final class SnapshotCatalog implements AutoCloseable {
  static {
    // Before any Chronicle class loads: never phone home (see CbtEngine).
    System.setProperty("chronicle.analytics.disable", "true");
  }

  private static final String DISK_PREFIX = "d/";
  private static final String SNAPSHOT_PREFIX = "s/";

  private final ChronicleMap<String, byte[]> map;

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
        .maxBloatFactor(64);
  }

  public void putDisk(String diskId, DiskRecord record) {
    map.put(DISK_PREFIX + diskId, record.encode());
  }

  /** The disk's record; empty if absent or unreadable. */
  public Optional<DiskRecord> disk(String diskId) {
    return Optional.ofNullable(DiskRecord.decode(map.get(DISK_PREFIX + diskId)));
  }

  public void removeDisk(String diskId) {
    map.remove(DISK_PREFIX + diskId);
  }

  public void putSnapshot(String diskId, String snapshotId, SnapshotRecord record) {
    map.put(snapshotKey(diskId, snapshotId), record.encode());
  }

  /** The snapshot's boundary; empty if absent or unreadable. */
  public Optional<SnapshotRecord> snapshot(String diskId, String snapshotId) {
    return Optional.ofNullable(SnapshotRecord.decode(map.get(snapshotKey(diskId, snapshotId))));
  }

  public boolean removeSnapshot(String diskId, String snapshotId) {
    return map.remove(snapshotKey(diskId, snapshotId)) != null;
  }

  /** Removes every snapshot record of the disk. */
  public void removeSnapshotsOf(String diskId) {
    String prefix = SNAPSHOT_PREFIX + diskId + "/";
    map.keySet().removeIf(k -> k.startsWith(prefix));
  }

  /** The number of records. */
  public long size() {
    return map.longSize();
  }

  private static String snapshotKey(String diskId, String snapshotId) {
    return SNAPSHOT_PREFIX + diskId + "/" + snapshotId;
  }

  @Override
  public void close() {
    try {
      map.close();
    } catch (RuntimeException e) {
      throw new UncheckedIOException(new IOException("closing catalog failed", e));
    }
  }
}
