package io.cbtengine.engine;

import io.cbtengine.api.ChangeId;
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
import io.cbtengine.engine.catalog.CatalogRecords.DiskRecord;
import io.cbtengine.engine.catalog.CatalogRecords.SnapshotRecord;
import io.cbtengine.engine.epoch.BlockRuns;
import io.cbtengine.engine.epoch.BlockSet;
import io.cbtengine.engine.epoch.Epoch;
import io.cbtengine.engine.epoch.EpochLog;
import io.cbtengine.engine.epoch.EpochLostException;
import io.cbtengine.engine.epoch.IntentLog;
import io.cbtengine.engine.query.ChangedAreaShaper;
import io.cbtengine.engine.store.DiskStore;
import io.cbtengine.engine.write.DenseEpochBitmap;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A disk tracked by epochs: the write path, snapshots, write scopes and the query.
 *
 * <p>Thread-safety: every method may be called from any thread. {@link #recordWrite} takes no lock
 * and allocates nothing once the pages of its blocks exist in the open epoch. Snapshot, extend,
 * tracking and deletion changes are serialised by one lock per disk; queries take no lock.
 */
public final class EpochTrackedDisk implements TrackedDisk {
  /*
   * Implementation notes.
   *
   * Write scopes. A scope is registered in `scopes` before its range is marked, and leaves the
   * registry only when `cutSeq` is even (no cut in progress). A cut makes `cutSeq` odd, publishes
   * the new open epoch, marks every registered scope's range into that new epoch, and makes
   * `cutSeq` even again. For a scope open during a cut, one of three things holds when the cut
   * reads the registry: the scope is registered (the cut marks it into the epoch after the
   * snapshot); it registered later (its own mark then reads the new open epoch); or it left
   * earlier, which it can only do while no cut is in progress, so before this cut began and the
   * scope was not open during it. All three operations are sequentially consistent atomics.
   *
   * Generations. `generation` is null while tracking is disabled. A new generation gets a random
   * 16-byte id; changeIds of any other generation are answered with FileFault.
   */

  private static final WriteScope NO_SCOPE = () -> {};

  private final EpochChangeTracker engine;
  private final DiskStore store;
  private final DiskId id;
  private final DiskOptions options;
  private final int blockShift;
  private final long creationOrder;

  private final ReentrantLock lock = new ReentrantLock();
  private final AtomicLong cutSeq = new AtomicLong();
  private final Set<Scope> scopes = ConcurrentHashMap.newKeySet();

  private volatile long capacity;
  private volatile Generation generation;
  private volatile boolean deleted;

  /**
   * What a write needs, in one immutable object behind one volatile read: the capacity, the
   * generation's epochs ({@code null} while tracking is disabled), whether the disk is usable, the
   * open epoch's page table ({@code null} while tracking is disabled), and that epoch's
   * write-intent log ({@code null} for in-memory engines and {@code Durability.NONE}). Replaced
   * (under the disk's lock, or by the engine at close) whenever one of them changes, and at every
   * cut.
   *
   * <p>The table serves the fast path of a write within one page of the table: the write reads this
   * object, the table's slot and the blocks' words, marks them if it may (no intent log, or the
   * blocks' regions are logged already; else it only finds them marked already), then re-reads
   * {@link #writePath}; if it is the same object, no cut was published in between, which is step 3
   * of the cut protocol in {@link EpochLog} (the cut publishes a new object after cutting the log,
   * and before handing the cut epoch to the freezer). Anything else takes the full path, which may
   * mark the new open epoch as well.
   */
  private record WritePath(
      long capacity, EpochLog log, boolean live, long[][] table, IntentLog intents) {}

  private volatile WritePath writePath;

  EpochTrackedDisk(
      EpochChangeTracker engine,
      DiskStore store,
      DiskId id,
      long capacity,
      DiskOptions options,
      long creationOrder,
      Generation generation) {
    this.engine = engine;
    this.store = store;
    this.id = id;
    this.capacity = capacity;
    this.options = options;
    this.blockShift = Integer.numberOfTrailingZeros(options.blockSize());
    this.creationOrder = creationOrder;
    this.generation = generation;
    publishWritePath();
  }

  /** Republishes {@link #writePath} from the fields; call after changing any of them. */
  private void publishWritePath() {
    Generation g = generation;
    if (g != null) {
      // Size the open epoch's page table before writers can learn the capacity.
      g.log().ensureBlocks((capacity + options.blockSize() - 1) >>> blockShift);
    }
    writePath =
        new WritePath(
            capacity,
            g == null ? null : g.log(),
            !deleted && !engine.isClosed(),
            g == null ? null : g.log().openTable(),
            g == null ? null : g.log().openEpoch().intentLog());
  }

  /** Called by the engine once it is closed: writes then fail with InvalidState. */
  void engineClosed() {
    lock.lock();
    try {
      writePath = new WritePath(capacity, null, false, null, null);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public DiskId id() {
    return id;
  }

  @Override
  public long capacityBytes() {
    checkLive();
    // The write path's capacity, not the field: extend sets the field before it publishes the
    // path, and a capacity reported must already accept writes within it.
    return writePath.capacity;
  }

  @Override
  public int blockSize() {
    return options.blockSize();
  }

  @Override
  public DiskOptions options() {
    return options;
  }

  long creationOrder() {
    return creationOrder;
  }

  @Override
  public boolean changeTrackingEnabled() {
    checkLive();
    return generation != null;
  }

  // ---------------------------------------------------------------------------------------------
  // Write path

  @Override
  public void recordWrite(long offset, long length) {
    WritePath w = writePath;
    // Fast path: a valid write within one page of the open epoch's table, already marked (or
    // marked here, where no intent needs logging or it is logged already), and no cut since. Kept
    // small so that callers inline it; everything else is in recordWriteFully.
    long[][] table = w.table;
    if (table != null && length > 0 && isValidWrite(w, offset, length)) {
      long first = offset >>> blockShift;
      long last = (offset + length - 1) >>> blockShift;
      IntentLog intents = w.intents;
      if (DenseEpochBitmap.onePage(first, last)
          && (intents == null || intents.isLogged(first, last)
              ? DenseEpochBitmap.markIn(table, first, last)
              : DenseEpochBitmap.allMarkedIn(table, first, last))
          && writePath == w) {
        return;
      }
    }
    recordWriteFully(w, offset, length);
  }

  /** {@link #recordWrite} when its fast path does not apply: checks, then the cut protocol. */
  private void recordWriteFully(WritePath w, long offset, long length) {
    checkWrite(w, offset, length);
    if (length == 0 || w.log == null) {
      return;
    }
    w.log.mark(offset >>> blockShift, (offset + length - 1) >>> blockShift);
    refuseIfNoLongerLive(offset, length);
  }

  /**
   * After a write marked through a {@link WritePath} read earlier: if the engine closed or the disk
   * was deleted meanwhile, the mark may have come after the close saved the open epoch, so the
   * write must not report success. Close and delete publish a path that is not live before they
   * save or drop anything, so a write that still reads a live path here marked in time.
   */
  private void refuseIfNoLongerLive(long offset, long length) {
    WritePath now = writePath;
    if (!now.live) {
      checkWrite(now, offset, length);
    }
  }

  @Override
  public WriteScope beginWrite(long offset, long length) {
    WritePath w = writePath;
    checkWrite(w, offset, length);
    if (length == 0) {
      return NO_SCOPE;
    }
    // Registered even while tracking is disabled: if tracking is enabled and a snapshot taken
    // while the scope is open, the data may land after that snapshot.
    Scope scope = new Scope(offset >>> blockShift, (offset + length - 1) >>> blockShift);
    scopes.add(scope);
    // Read again after registering: a cut between the two reads must not be missed (see notes).
    EpochLog log = writePath.log;
    if (log != null) {
      log.mark(scope.first, scope.last);
    }
    try {
      refuseIfNoLongerLive(offset, length);
    } catch (RuntimeException e) {
      scope.close();
      throw e;
    }
    return scope;
  }

  /** Whether the disk is usable and {@code [offset, offset + length)} lies within its capacity. */
  private static boolean isValidWrite(WritePath w, long offset, long length) {
    return w.live && offset >= 0 && length >= 0 && length <= w.capacity - offset;
  }

  private void checkWrite(WritePath w, long offset, long length) {
    if (isValidWrite(w, offset, length)) {
      return;
    }
    if (!w.live) {
      checkLive();
      throw new InvalidStateException("disk is not usable: disk=" + id);
    }
    // The offset is named if it is out of range; otherwise the length is.
    String argument = offset < 0 || offset > w.capacity ? "offset" : "length";
    throw new InvalidArgumentException(
        argument,
        "write "
            + argument
            + " out of range: offset="
            + offset
            + ", length="
            + length
            + ", capacity="
            + w.capacity
            + ", disk="
            + id);
  }

  /** A registered write scope; see the implementation notes. */
  private final class Scope implements WriteScope {
    final long first;
    final long last;
    private volatile boolean closed;

    Scope(long first, long last) {
      this.first = first;
      this.last = last;
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      // Leave only while no cut is in progress, so that a cut never misses an open scope.
      int spins = 0;
      while ((cutSeq.get() & 1) != 0) {
        if (++spins < 100) {
          Thread.onSpinWait();
        } else {
          Thread.yield();
        }
      }
      scopes.remove(this);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Snapshots

  @Override
  public SnapshotInfo createSnapshot() {
    lock.lock();
    try {
      checkLive();
      Generation g = generation;
      if (g == null) {
        throw trackingDisabled("createSnapshot");
      }

      // Make the boundary durable first: a failure here changes nothing.
      long seq = g.log().lastCut() + 1;
      long cap = capacity;
      Instant now = Instant.now();
      SnapshotId sid = new SnapshotId(snapshotIdText(g, seq));
      IntentLog nextIntents = store.openIntentLog(g.high(), g.low(), seq + 1);
      store.snapshotCreated(g.high(), g.low(), seq, sid.value(), cap, now);

      // The cut: publish the new epoch, then mark the open scopes into it (see notes).
      Epoch cut;
      cutSeq.incrementAndGet();
      try {
        cut = g.log().cut(nextIntents);
        publishWritePath();
        Epoch next = g.log().openEpoch();
        for (Scope s : scopes) {
          EpochLog.markIn(next, s.first, s.last);
        }
      } finally {
        cutSeq.incrementAndGet();
      }
      assert cut.number() == seq : "cut=" + cut.number() + ", seq=" + seq;

      // Publish the boundary in the catalog before anyone can learn its changeId.
      engine
          .catalog()
          .putSnapshot(
              id.value(),
              sid.value(),
              new SnapshotRecord(g.high(), g.low(), seq, cap, now.getEpochSecond(), now.getNano()));
      engine.catalog().putDisk(id.value(), diskRecord(g, seq, cap));
      g.live().put(seq, sid);
      engine.freezer().submit(cut, () -> store.epochFrozen(g.high(), g.low(), cut));
      return new SnapshotInfo(sid, g.changeId(seq), cap, now);
    } finally {
      lock.unlock();
    }
  }

  private static String snapshotIdText(Generation g, long seq) {
    // "snap-%08x-%d" without a Formatter: the cut path should not parse a format string.
    String hex = Integer.toHexString((int) (g.high() >>> 32));
    return "snap-" + "00000000".substring(hex.length()) + hex + "-" + seq;
  }

  @Override
  public SnapshotInfo snapshot(SnapshotId snapshotId) {
    checkLive();
    Generation g = generation;
    return info(g, requireSnapshot(g, snapshotId));
  }

  @Override
  public List<SnapshotInfo> snapshots() {
    checkLive();
    Generation g = generation;
    if (g == null) {
      return List.of();
    }
    List<SnapshotInfo> out = new ArrayList<>();
    for (Map.Entry<Long, SnapshotId> e : g.live().entrySet()) {
      engine
          .catalog()
          .snapshot(id.value(), e.getValue().value())
          .ifPresent(r -> out.add(info(g, new Found(e.getValue(), r))));
    }
    return out;
  }

  @Override
  public void deleteSnapshot(SnapshotId snapshotId) {
    lock.lock();
    try {
      checkLive();
      Generation g = generation;
      Found f = requireSnapshot(g, snapshotId);
      store.snapshotDeleted(g.high(), g.low(), f.record.sequence());
      engine.catalog().removeSnapshot(id.value(), f.id.value());
      g.live().remove(f.record.sequence());
    } finally {
      lock.unlock();
    }
  }

  private record Found(SnapshotId id, SnapshotRecord record) {}

  private Found requireSnapshot(Generation g, SnapshotId snapshotId) {
    if (snapshotId == null) {
      throw new NotFoundException("snapshot is null: disk=" + id);
    }
    if (g != null) {
      Optional<SnapshotRecord> r = engine.catalog().snapshot(id.value(), snapshotId.value());
      if (r.isPresent()
          && r.get().generationHigh() == g.high()
          && r.get().generationLow() == g.low()
          && g.live().containsKey(r.get().sequence())) {
        return new Found(snapshotId, r.get());
      }
    }
    throw new NotFoundException("snapshot not found: disk=" + id + ", snapshot=" + snapshotId);
  }

  private SnapshotInfo info(Generation g, Found f) {
    SnapshotRecord r = f.record;
    return new SnapshotInfo(
        f.id,
        g.changeId(r.sequence()),
        r.capacityBytes(),
        Instant.ofEpochSecond(r.createdEpochSecond(), r.createdNanos()));
  }

  // ---------------------------------------------------------------------------------------------
  // Life cycle

  @Override
  public void extend(long newCapacityBytes) {
    lock.lock();
    try {
      checkLive();
      long cap = capacity;
      EpochChangeTracker.checkCapacity(newCapacityBytes, options.blockSize());
      if (newCapacityBytes < cap) {
        throw new InvalidArgumentException(
            "capacityBytes",
            "a disk cannot shrink: capacityBytes="
                + newCapacityBytes
                + ", capacity="
                + cap
                + ", disk="
                + id);
      }
      if (newCapacityBytes == cap) {
        return;
      }
      store.extended(newCapacityBytes);
      capacity = newCapacityBytes;
      publishWritePath();
      Generation g = generation;
      engine
          .catalog()
          .putDisk(id.value(), diskRecord(g, g == null ? 0 : g.log().lastCut(), newCapacityBytes));
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void enableChangeTracking() {
    lock.lock();
    try {
      checkLive();
      if (generation != null) {
        return;
      }
      Generation g = engine.newGeneration(store, true);
      generation = g;
      publishWritePath();
      engine.catalog().putDisk(id.value(), diskRecord(g, 0, capacity));
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void disableChangeTracking() {
    lock.lock();
    try {
      checkLive();
      Generation g = generation;
      if (g == null) {
        return;
      }
      store.trackingDisabled(g.high(), g.low());
      generation = null;
      publishWritePath();
      engine.catalog().removeSnapshotsOf(id.value());
      engine.catalog().putDisk(id.value(), diskRecord(null, 0, capacity));
    } finally {
      lock.unlock();
    }
  }

  DiskRecord diskRecord(Generation g, long lastSeq, long cap) {
    return new DiskRecord(
        g != null,
        g != null && g.wholeDiskAtStart(),
        g == null ? 0 : g.high(),
        g == null ? 0 : g.low(),
        lastSeq,
        cap,
        options.blockSize(),
        creationOrder);
  }

  /** Called by the engine, under its lock, when the disk is deleted. */
  void markDeleted() {
    lock.lock();
    try {
      store.deleted();
      deleted = true;
      generation = null;
      publishWritePath();
    } finally {
      lock.unlock();
    }
  }

  /** Called by the engine after a clean close: releases the disk's open files. */
  void closeFiles() {
    store.close();
  }

  /** Called by the engine on a clean close, after the freezer drained. */
  void closeClean() {
    lock.lock();
    try {
      Generation g = generation;
      if (g != null && !deleted) {
        store.closeClean(g.high(), g.low(), g.log());
      }
    } finally {
      lock.unlock();
    }
  }

  private void checkLive() {
    engine.checkOpen();
    if (deleted) {
      throw new NotFoundException("disk not found (deleted): disk=" + id);
    }
  }

  private InvalidStateException trackingDisabled(String operation) {
    return new InvalidStateException(
        "change tracking is disabled: disk=" + id + ", operation=" + operation);
  }

  // ---------------------------------------------------------------------------------------------
  // Query

  @Override
  public DiskChangeInfo queryChangedDiskAreas(
      SnapshotId snapshotId, long startOffset, String changeId) {
    // The contract's order: disk, tracking, snapshot, arguments, answerability.
    checkLive();
    Generation g = generation;
    if (g == null) {
      throw trackingDisabled("queryChangedDiskAreas");
    }
    SnapshotRecord snap = requireSnapshot(g, snapshotId).record;
    boolean all = "*".equals(changeId);
    ChangeId from = all ? null : ChangeId.parse(changeId);
    if (startOffset < 0 || startOffset >= snap.capacityBytes()) {
      throw new InvalidArgumentException(
          "startOffset",
          "startOffset out of range: startOffset="
              + startOffset
              + ", capacity="
              + snap.capacityBytes()
              + ", disk="
              + id
              + ", snapshot="
              + snapshotId);
    }
    long fromSeq = all ? 0 : answerableSequence(g, from, snap, snapshotId);

    BlockRuns changed;
    try {
      changed = all && g.wholeDiskAtStart() ? null : g.log().runs(fromSeq, snap.sequence());
    } catch (EpochLostException e) {
      throw new FileFaultException(
          FileFaultException.CORRUPT,
          id.value(),
          "tracking data of the interval is lost (an epoch's file was missing or damaged when "
              + "the engine opened, and its write-intent log could not rebuild it): disk="
              + id
              + ", changeId="
              + changeId
              + ", snapshot="
              + snapshotId
              + ", lostEpoch="
              + e.epoch());
    }
    return ChangedAreaShaper.shape(
        changed,
        startOffset,
        snap.capacityBytes(),
        blockShift,
        options.maxExtentsPerReply(),
        options.maxWindowBytes());
  }

  private long answerableSequence(
      Generation g, ChangeId from, SnapshotRecord snap, SnapshotId snapshotId) {
    if (!g.issued(from)) {
      throw cannotGetChanges(
          "changeId is of another tracking generation (tracking was restarted or the disk "
              + "re-created): changeId="
              + from
              + ", current generation="
              + g.changeId(0).generationText());
    }
    long seq = from.sequence();
    long issued = g.log().lastCut();
    if (seq < 1 || seq > issued) {
      throw cannotGetChanges(
          "changeId was never issued by this disk: changeId="
              + from
              + ", lastIssuedSequence="
              + issued);
    }
    if (seq > snap.sequence()) {
      throw cannotGetChanges(
          "changeId is later than the snapshot: changeId="
              + from
              + ", snapshot="
              + snapshotId
              + ", snapshotSequence="
              + snap.sequence());
    }
    return seq;
  }

  private FileFaultException cannotGetChanges(String message) {
    return new FileFaultException(
        FileFaultException.CANNOT_GET_CHANGES, id.value(), message + ", disk=" + id);
  }

  // ---------------------------------------------------------------------------------------------
  // Footprint

  /** Heap bytes of this disk's tracking state: open pages, frozen bitmaps, directories. */
  public long trackingHeapBytes() {
    Generation g = generation;
    return g == null ? 0 : g.log().sizeInBytes();
  }

  /**
   * The blocks changed after point {@code fromSeq} and at or before {@code toSeq} of the current
   * generation, for tools that measure the frozen representation. Not part of the contract.
   */
  public BlockSet changedBlocks(long fromSeq, long toSeq) {
    Generation g = generation;
    if (g == null) {
      throw trackingDisabled("changedBlocks");
    }
    return g.log().union(fromSeq, toSeq);
  }
}
