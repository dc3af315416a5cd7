package io.cbtengine.engine;

import io.cbtengine.api.ChangeId;
import io.cbtengine.api.ChangeTracker;
import io.cbtengine.api.DiskChangeExtent;
import io.cbtengine.api.DiskChangeInfo;
import io.cbtengine.api.DiskId;
import io.cbtengine.api.DiskOptions;
import io.cbtengine.api.FileFaultException;
import io.cbtengine.api.InvalidArgumentException;
import io.cbtengine.api.InvalidStateException;
import io.cbtengine.api.NotFoundException;
import io.cbtengine.api.SnapshotId;
import io.cbtengine.api.SnapshotInfo;
import io.cbtengine.api.TrackedDisk;
import io.cbtengine.api.WriteScope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * A deliberately naive engine, written in the test sources from CONTRACT.md alone, that checks the
 * checks: the property, stress and scenario tests must pass against it, so that a failure against
 * the real engine points at the engine rather than at the test. Select it with {@code
 * -Dcbt.test.engine=reference}.
 *
 * <p>Every method takes one lock; each epoch is a {@link BitSet} of block indexes. Nothing here is
 * meant to be fast.
 */
final class ReferenceChangeTracker implements ChangeTracker {
  private final Object lock = new Object();
  private final Random random = new Random();
  private final LinkedHashMap<DiskId, Disk> disks = new LinkedHashMap<>();
  private boolean closed;

  /** The engine the tests exercise: the in-memory engine, or this one if asked for. */
  static ChangeTracker underTest() {
    return "reference".equals(System.getProperty("cbt.test.engine"))
        ? new ReferenceChangeTracker()
        : CbtEngine.inMemory();
  }

  private void checkOpen() {
    if (closed) {
      throw new InvalidStateException("engine closed");
    }
  }

  @Override
  public TrackedDisk createDisk(DiskId id, long capacityBytes, DiskOptions options) {
    synchronized (lock) {
      checkOpen();
      if (disks.containsKey(id)) {
        throw new InvalidArgumentException("id", "disk id in use: id=" + id);
      }
      if (capacityBytes <= 0 || capacityBytes % 512 != 0) {
        throw new InvalidArgumentException("capacityBytes", "bad capacity: " + capacityBytes);
      }
      Disk d = new Disk(id, capacityBytes, options == null ? DiskOptions.defaults() : options);
      disks.put(id, d);
      return d;
    }
  }

  @Override
  public TrackedDisk disk(DiskId id) {
    synchronized (lock) {
      checkOpen();
      Disk d = disks.get(id);
      if (d == null) {
        throw new NotFoundException("no disk: id=" + id);
      }
      return d;
    }
  }

  @Override
  public Optional<TrackedDisk> findDisk(DiskId id) {
    synchronized (lock) {
      checkOpen();
      return Optional.ofNullable(disks.get(id));
    }
  }

  @Override
  public List<TrackedDisk> disks() {
    synchronized (lock) {
      checkOpen();
      return List.copyOf(disks.values());
    }
  }

  @Override
  public void deleteDisk(DiskId id) {
    synchronized (lock) {
      checkOpen();
      Disk d = disks.remove(id);
      if (d == null) {
        throw new NotFoundException("no disk: id=" + id);
      }
      d.deleted = true;
    }
  }

  @Override
  public DiskChangeInfo queryChangedDiskAreas(
      DiskId disk, SnapshotId snapshot, long startOffset, String changeId) {
    synchronized (lock) {
      return ((Disk) disk(disk)).queryChangedDiskAreas(snapshot, startOffset, changeId);
    }
  }

  @Override
  public void close() {
    synchronized (lock) {
      checkOpen();
      closed = true;
    }
  }

  private final class Disk implements TrackedDisk {
    final DiskId id;
    final DiskOptions options;
    long capacity;
    boolean deleted;
    boolean tracking = true;
    long genHigh;
    long genLow;
    boolean starWhole;
    final List<BitSet> epochs = new ArrayList<>();
    final LinkedHashMap<SnapshotId, SnapshotInfo> live = new LinkedHashMap<>();
    final Map<Long, SnapshotInfo> issued = new HashMap<>();
    final Set<Scope> open = new LinkedHashSet<>();
    long nextSnapshot = 1;

    Disk(DiskId id, long capacity, DiskOptions options) {
      this.id = id;
      this.capacity = capacity;
      this.options = options;
      startGeneration(!options.initiallyEmpty());
    }

    private void startGeneration(boolean whole) {
      genHigh = random.nextLong();
      genLow = random.nextLong();
      starWhole = whole;
      epochs.clear();
      epochs.add(new BitSet());
      issued.clear();
      live.clear();
    }

    @Override
    public DiskId id() {
      return id;
    }

    @Override
    public long capacityBytes() {
      synchronized (lock) {
        checkOpen();
        return capacity;
      }
    }

    @Override
    public int blockSize() {
      return options.blockSize();
    }

    @Override
    public DiskOptions options() {
      return options;
    }

    @Override
    public boolean changeTrackingEnabled() {
      synchronized (lock) {
        checkOpen();
        return tracking;
      }
    }

    @Override
    public void enableChangeTracking() {
      synchronized (lock) {
        checkOpen();
        if (!tracking) {
          tracking = true;
          startGeneration(true);
        }
      }
    }

    @Override
    public void disableChangeTracking() {
      synchronized (lock) {
        checkOpen();
        tracking = false;
        epochs.clear();
        live.clear();
        issued.clear();
      }
    }

    private void checkRange(long offset, long length) {
      if (offset < 0 || offset > capacity) {
        throw new InvalidArgumentException("offset", "bad offset: offset=" + offset);
      }
      if (length < 0 || length > capacity - offset) {
        throw new InvalidArgumentException("length", "bad length: length=" + length);
      }
    }

    private void mark(BitSet epoch, long offset, long length) {
      if (length == 0) {
        return;
      }
      int bs = options.blockSize();
      epoch.set((int) (offset / bs), (int) ((offset + length - 1) / bs) + 1);
    }

    @Override
    public void recordWrite(long offset, long length) {
      synchronized (lock) {
        checkOpen();
        checkRange(offset, length);
        if (tracking) {
          mark(epochs.get(epochs.size() - 1), offset, length);
        }
      }
    }

    @Override
    public WriteScope beginWrite(long offset, long length) {
      synchronized (lock) {
        recordWrite(offset, length);
        Scope s = new Scope(this, offset, length);
        open.add(s);
        return s;
      }
    }

    @Override
    public SnapshotInfo createSnapshot() {
      synchronized (lock) {
        checkOpen();
        if (!tracking) {
          throw new InvalidStateException("tracking disabled: disk=" + id);
        }
        long seq = epochs.size();
        SnapshotInfo info =
            new SnapshotInfo(
                SnapshotId.of("snapshot-" + nextSnapshot++),
                ChangeId.of(genHigh, genLow, seq),
                capacity,
                Instant.now());
        BitSet next = new BitSet();
        for (Scope s : open) {
          mark(next, s.offset, s.length);
        }
        epochs.add(next);
        live.put(info.id(), info);
        issued.put(seq, info);
        return info;
      }
    }

    @Override
    public SnapshotInfo snapshot(SnapshotId sid) {
      synchronized (lock) {
        checkOpen();
        SnapshotInfo info = live.get(sid);
        if (info == null) {
          throw new NotFoundException("no snapshot: snapshot=" + sid);
        }
        return info;
      }
    }

    @Override
    public List<SnapshotInfo> snapshots() {
      synchronized (lock) {
        checkOpen();
        return List.copyOf(live.values());
      }
    }

    @Override
    public void deleteSnapshot(SnapshotId sid) {
      synchronized (lock) {
        checkOpen();
        if (live.remove(sid) == null) {
          throw new NotFoundException("no snapshot: snapshot=" + sid);
        }
      }
    }

    @Override
    public void extend(long newCapacityBytes) {
      synchronized (lock) {
        checkOpen();
        if (newCapacityBytes < capacity || newCapacityBytes % 512 != 0) {
          throw new InvalidArgumentException("capacityBytes", "bad: " + newCapacityBytes);
        }
        capacity = newCapacityBytes;
      }
    }

    @Override
    public DiskChangeInfo queryChangedDiskAreas(SnapshotId sid, long startOffset, String changeId) {
      synchronized (lock) {
        // Validate in the contract's order.
        checkOpen();
        if (deleted) {
          throw new NotFoundException("disk deleted: disk=" + id);
        }
        if (!tracking) {
          throw new InvalidStateException("tracking disabled: disk=" + id);
        }
        SnapshotInfo to = snapshot(sid);
        ChangeId from = "*".equals(changeId) ? null : ChangeId.parse(changeId);
        long cap = to.capacityBytes();
        if (startOffset < 0 || startOffset >= cap) {
          throw new InvalidArgumentException("startOffset", "bad startOffset=" + startOffset);
        }
        long toSeq = to.changeId().sequence();
        if (from != null
            && (from.generationHigh() != genHigh
                || from.generationLow() != genLow
                || !issued.containsKey(from.sequence())
                || from.sequence() > toSeq)) {
          throw new FileFaultException(
              FileFaultException.CANNOT_GET_CHANGES,
              id.value(),
              "cannot answer changeId=" + changeId);
        }

        // The changed blocks: epochs from..to-1, or everything for "*" when not known empty.
        int bs = options.blockSize();
        BitSet changed = new BitSet();
        int firstEpoch = from == null ? 0 : (int) from.sequence();
        for (int e = firstEpoch; e < toSeq; e++) {
          changed.or(epochs.get(e));
        }
        if (from == null && starWhole) {
          changed.set(0, (int) ((cap + bs - 1) / bs));
        }

        // Shape one reply from startOffset.
        long limit =
            Math.min(
                cap,
                startOffset + Math.min(options.maxWindowBytes(), Long.MAX_VALUE - startOffset));
        List<DiskChangeExtent> extents = new ArrayList<>();
        long windowEnd = limit;
        int b = changed.nextSetBit((int) (startOffset / bs));
        while (b >= 0) {
          long s = Math.max(startOffset, (long) b * bs);
          if (s >= limit) {
            break;
          }
          int runEnd = changed.nextClearBit(b);
          long e = Math.min(cap, (long) runEnd * bs);
          if (extents.size() == options.maxExtentsPerReply()) {
            windowEnd = s;
            break;
          }
          if (e > limit) {
            if (s > startOffset) {
              windowEnd = s;
            } else {
              extents.add(new DiskChangeExtent(s, limit - s));
            }
            break;
          }
          extents.add(new DiskChangeExtent(s, e - s));
          b = changed.nextSetBit(runEnd);
        }
        return new DiskChangeInfo(startOffset, windowEnd - startOffset, extents);
      }
    }
  }

  private final class Scope implements WriteScope {
    final Disk disk;
    final long offset;
    final long length;

    Scope(Disk disk, long offset, long length) {
      this.disk = disk;
      this.offset = offset;
      this.length = length;
    }

    @Override
    public void close() {
      synchronized (lock) {
        disk.open.remove(this);
      }
    }
  }
}
