package io.cbtengine.engine;

import io.cbtengine.api.ChangeTracker;
import io.cbtengine.api.DiskChangeInfo;
import io.cbtengine.api.DiskId;
import io.cbtengine.api.DiskOptions;
import io.cbtengine.api.InvalidArgumentException;
import io.cbtengine.api.InvalidStateException;
import io.cbtengine.api.NotFoundException;
import io.cbtengine.api.SnapshotId;
import io.cbtengine.api.TrackedDisk;
import io.cbtengine.engine.catalog.CatalogRecords.SnapshotRecord;
import io.cbtengine.engine.catalog.SnapshotCatalog;
import io.cbtengine.engine.epoch.EpochFreezer;
import io.cbtengine.engine.epoch.EpochLog;
import io.cbtengine.engine.store.DirectoryStore;
import io.cbtengine.engine.store.DiskStore;
import io.cbtengine.engine.store.RecoveredDisk;
import io.cbtengine.engine.write.DenseEpochBitmap;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link ChangeTracker} whose disks keep one bitmap per change epoch, with the snapshot catalog
 * in an off-heap Chronicle Map. See docs/architecture.md for the design.
 *
 * <p>Thread-safety: every method may be called from any thread. Disk creation and deletion are
 * serialised on the engine; everything else is per disk.
 */
final class EpochChangeTracker implements ChangeTracker {
  /** The largest capacity: 2^60 bytes, far beyond any real disk, keeps byte arithmetic exact. */
  static final long MAX_CAPACITY_BYTES = 1L << 60;

  private static final System.Logger LOG = System.getLogger(EpochChangeTracker.class.getName());

  private final SnapshotCatalog catalog;
  private final DirectoryStore directory;
  private final EpochFreezer freezer = new EpochFreezer();
  private final ConcurrentHashMap<String, EpochTrackedDisk> disks = new ConcurrentHashMap<>();
  private final AtomicLong creationOrder = new AtomicLong();
  private final SecureRandom random = new SecureRandom();
  private volatile boolean closed;

  /** An in-memory engine. */
  EpochChangeTracker(SnapshotCatalog catalog) {
    this.catalog = catalog;
    this.directory = null;
    LOG.log(System.Logger.Level.DEBUG, "cbt-engine opened in memory");
  }

  /** A persistent engine over an opened directory; recovers its disks and rebuilds the catalog. */
  EpochChangeTracker(SnapshotCatalog catalog, DirectoryStore directory) {
    this.catalog = catalog;
    this.directory = directory;
    List<RecoveredDisk> recovered = directory.recover();
    long maxOrder = 0;
    for (RecoveredDisk r : recovered) {
      Generation g = null;
      if (r.generation() != null) {
        RecoveredDisk.Generation rg = r.generation();
        g = new Generation(rg.high(), rg.low(), rg.wholeDiskAtStart(), rg.log());
      }
      DiskId id = new DiskId(r.diskId());
      EpochTrackedDisk disk =
          new EpochTrackedDisk(
              this, r.store(), id, r.capacityBytes(), r.options(), r.creationOrder(), g);
      long lastSeq = g == null ? 0 : g.log().lastCut();
      catalog.putDisk(r.diskId(), disk.diskRecord(g, lastSeq, r.capacityBytes()));
      if (g != null) {
        for (RecoveredDisk.Snapshot s : r.generation().live()) {
          catalog.putSnapshot(
              r.diskId(),
              s.id(),
              new SnapshotRecord(
                  g.high(),
                  g.low(),
                  s.sequence(),
                  s.capacityBytes(),
                  s.createdAt().getEpochSecond(),
                  s.createdAt().getNano()));
          g.live().put(s.sequence(), new SnapshotId(s.id()));
        }
      }
      disks.put(r.diskId(), disk);
      maxOrder = Math.max(maxOrder, r.creationOrder());
    }
    creationOrder.set(maxOrder);
    LOG.log(
        System.Logger.Level.INFO,
        "cbt-engine opened: dir="
            + directory.dir()
            + ", disks="
            + recovered.size()
            + ", lastCloseClean="
            + directory.wasClean());
  }

  SnapshotCatalog catalog() {
    return catalog;
  }

  EpochFreezer freezer() {
    return freezer;
  }

  boolean isClosed() {
    return closed;
  }

  void checkOpen() {
    if (closed) {
      throw new InvalidStateException("engine is closed");
    }
  }

  /** Starts a generation, durably for a persistent disk. */
  Generation newGeneration(DiskStore store, boolean wholeDiskAtStart) {
    long high;
    long low;
    synchronized (random) {
      high = random.nextLong();
      low = random.nextLong();
    }
    store.generationStarted(high, low, wholeDiskAtStart);
    return new Generation(
        high, low, wholeDiskAtStart, new EpochLog(store.openIntentLog(high, low, 1)));
  }

  /** Checks a capacity against the format and the engine's limits for a block size. */
  static void checkCapacity(long capacityBytes, int blockSize) {
    if (capacityBytes <= 0 || capacityBytes % 512 != 0) {
      throw new InvalidArgumentException(
          "capacityBytes",
          "capacityBytes must be a positive multiple of 512: capacityBytes=" + capacityBytes);
    }
    if (capacityBytes > MAX_CAPACITY_BYTES) {
      throw new InvalidArgumentException(
          "capacityBytes",
          "capacityBytes beyond the engine's limit: capacityBytes="
              + capacityBytes
              + ", maxCapacityBytes="
              + MAX_CAPACITY_BYTES);
    }
    long blocks = (capacityBytes + blockSize - 1) / blockSize;
    if (blocks > DenseEpochBitmap.MAX_BLOCKS) {
      throw new InvalidArgumentException(
          "capacityBytes",
          "too many blocks for the engine (limit 2^37 blocks, 64 TiB at 512-byte blocks; "
              + "choose a larger blockSize): capacityBytes="
              + capacityBytes
              + ", blockSize="
              + blockSize
              + ", blocks="
              + blocks
              + ", maxBlocks="
              + DenseEpochBitmap.MAX_BLOCKS);
    }
  }

  @Override
  public TrackedDisk createDisk(DiskId id, long capacityBytes, DiskOptions options) {
    checkOpen();
    if (id == null) {
      throw new InvalidArgumentException("id", "disk id is null: id=null");
    }
    DiskOptions opts = options == null ? DiskOptions.defaults() : options;
    synchronized (this) {
      checkOpen();
      if (disks.containsKey(id.value())) {
        throw new InvalidArgumentException("id", "disk id already in use: id=" + id);
      }
      checkCapacity(capacityBytes, opts.blockSize());

      long order = creationOrder.incrementAndGet();
      DiskStore store =
          directory == null
              ? DiskStore.NONE
              : directory.createDisk(id.value(), order, capacityBytes, opts);
      Generation g = newGeneration(store, !opts.initiallyEmpty());
      EpochTrackedDisk disk = new EpochTrackedDisk(this, store, id, capacityBytes, opts, order, g);
      catalog.putDisk(id.value(), disk.diskRecord(g, 0, capacityBytes));
      disks.put(id.value(), disk);
      return disk;
    }
  }

  @Override
  public TrackedDisk disk(DiskId id) {
    checkOpen();
    EpochTrackedDisk d = id == null ? null : disks.get(id.value());
    if (d == null) {
      throw new NotFoundException("disk not found: disk=" + id);
    }
    return d;
  }

  @Override
  public Optional<TrackedDisk> findDisk(DiskId id) {
    checkOpen();
    return Optional.ofNullable(id == null ? null : disks.get(id.value()));
  }

  @Override
  public List<TrackedDisk> disks() {
    checkOpen();
    return disks.values().stream()
        .sorted(Comparator.comparingLong(EpochTrackedDisk::creationOrder))
        .map(d -> (TrackedDisk) d)
        .toList();
  }

  @Override
  public void deleteDisk(DiskId id) {
    checkOpen();
    synchronized (this) {
      checkOpen();
      EpochTrackedDisk d = id == null ? null : disks.remove(id.value());
      if (d == null) {
        throw new NotFoundException("disk not found: disk=" + id);
      }
      d.markDeleted();
      catalog.removeSnapshotsOf(id.value());
      catalog.removeDisk(id.value());
    }
  }

  @Override
  public DiskChangeInfo queryChangedDiskAreas(
      DiskId disk, SnapshotId snapshot, long startOffset, String changeId) {
    return disk(disk).queryChangedDiskAreas(snapshot, startOffset, changeId);
  }

  /**
   * Simulates a crash for tests: stops using the directory without writing anything (no freeze
   * persisted, no CLEAN mark), and releases its lock so the same JVM can reopen it.
   */
  void abandonForTesting() {
    synchronized (this) {
      closed = true;
    }
    for (EpochTrackedDisk d : disks.values()) {
      d.engineClosed();
    }
    freezer.abandon();
    for (EpochTrackedDisk d : disks.values()) {
      d.closeFiles();
    }
    catalog.close();
    if (directory != null) {
      directory.close();
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    for (EpochTrackedDisk d : disks.values()) {
      d.engineClosed();
    }
    freezer.close();
    if (directory != null) {
      // A clean close: every epoch on disk, then the CLEAN mark, then release the directory.
      for (EpochTrackedDisk d : disks.values()) {
        d.closeClean();
      }
      directory.markClean();
      for (EpochTrackedDisk d : disks.values()) {
        d.closeFiles();
      }
      catalog.close();
      directory.close();
    } else {
      catalog.close();
    }
    LOG.log(
        directory == null ? System.Logger.Level.DEBUG : System.Logger.Level.INFO,
        "cbt-engine closed");
  }
}
