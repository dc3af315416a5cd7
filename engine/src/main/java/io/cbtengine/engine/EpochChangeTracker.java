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
import io.cbtengine.engine.catalog.SnapshotCatalog;
import io.cbtengine.engine.epoch.EpochFreezer;
import io.cbtengine.engine.epoch.EpochLog;
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
  private final EpochFreezer freezer = new EpochFreezer();
  private final ConcurrentHashMap<String, EpochTrackedDisk> disks = new ConcurrentHashMap<>();
  private final AtomicLong creationOrder = new AtomicLong();
  private final SecureRandom random = new SecureRandom();
  private volatile boolean closed;

  EpochChangeTracker(SnapshotCatalog catalog) {
    this.catalog = catalog;
    LOG.log(System.Logger.Level.INFO, "cbt-engine opened in memory");
  }

  SnapshotCatalog catalog() {
    return catalog;
  }

  EpochFreezer freezer() {
    return freezer;
  }

  void checkOpen() {
    if (closed) {
      throw new InvalidStateException("engine is closed");
    }
  }

  Generation newGeneration(boolean wholeDiskAtStart) {
    long high;
    long low;
    synchronized (random) {
      high = random.nextLong();
      low = random.nextLong();
    }
    return new Generation(high, low, wholeDiskAtStart, new EpochLog());
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
          "capacityBytes beyond the engine's limit: capacityBytes=" + capacityBytes
              + ", maxCapacityBytes=" + MAX_CAPACITY_BYTES);
    }
    long blocks = (capacityBytes + blockSize - 1) / blockSize;
    if (blocks > DenseEpochBitmap.MAX_BLOCKS) {
      throw new InvalidArgumentException(
          "capacityBytes",
          "too many blocks for the engine (limit 2^37 blocks, 64 TiB at 512-byte blocks; "
              + "choose a larger blockSize): capacityBytes=" + capacityBytes + ", blockSize="
              + blockSize + ", blocks=" + blocks + ", maxBlocks=" + DenseEpochBitmap.MAX_BLOCKS);
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

      Generation g = newGeneration(!opts.initiallyEmpty());
      EpochTrackedDisk disk =
          new EpochTrackedDisk(this, id, capacityBytes, opts, creationOrder.incrementAndGet(), g);
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

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    freezer.close();
    catalog.close();
    LOG.log(System.Logger.Level.INFO, "cbt-engine closed");
  }
}
