package io.cbtengine.simulator;

import io.cbtengine.api.ChangeId;
import io.cbtengine.api.TrackedDisk;
import io.cbtengine.simulator.truth.BackupImage;
import io.cbtengine.simulator.truth.ByteRangeMap;
import io.cbtengine.simulator.truth.SnapshotTruth;
import io.cbtengine.simulator.truth.Write;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The simulator's side of one disk: the live truth (which write last touched each byte), the writes
 * in flight, and the backup chain (last changeId, last snapshot truth, backup image).
 *
 * <h2>Implementation notes</h2>
 *
 * <p>Writers and the snapshot taker share the live state under this object's monitor, held only for
 * short steps and never across an engine call. Each step a write goes through ticks a logical
 * clock: enter (before {@code beginWrite}), opened (after it returns), data (the write lands in the
 * truth), closing (before {@code close}), left (after it returns). A snapshot reads the clock at
 * t0, just before {@code createSnapshot}, and at t1, just after it returns. A write active at t0 or
 * entering before t1 was possibly in flight during the call; one opened before t0 and not closing
 * before t1 was certainly open throughout the call, so the engine must report it in the next
 * interval. The truth is copied at t0: what any write not possibly in flight did before the
 * snapshot is in that copy, and what no write did after is not. The bytes written between two such
 * copies are kept too, so that a backup is checked where something changed, not everywhere.
 *
 * <p>The backup chain fields are used by the single backup thread only.
 */
final class DiskState {
  final String id;
  TrackedDisk disk;

  // Live state, guarded by this.
  private final ByteRangeMap<Write> truth = new ByteRangeMap<>();
  private ByteRangeMap<Boolean> writtenSinceCut = new ByteRangeMap<>();
  private final Set<InFlight> active = new HashSet<>();
  private List<InFlight> enteredDuringSnapshot;
  private long clock;
  private boolean dirty;

  // Backup chain, owned by the backup thread.
  ChangeId lastChangeId;
  SnapshotTruth lastSnapshot;
  final BackupImage image;
  int backups;

  DiskState(String id, TrackedDisk disk) {
    this.id = id;
    this.disk = disk;
    this.image = new BackupImage(id);
    this.lastSnapshot = SnapshotTruth.empty(disk.capacityBytes());
  }

  /** A write applied by the single replay thread, after {@code recordWrite} returned. */
  synchronized void applyDirect(Write w) {
    clock++;
    truth.assign(w.offset(), w.end(), w);
    writtenSinceCut.assign(w.offset(), w.end(), Boolean.TRUE);
    dirty = true;
  }

  synchronized void enter(InFlight f) {
    f.enterTick = ++clock;
    active.add(f);
    dirty = true;
    if (enteredDuringSnapshot != null) {
      enteredDuringSnapshot.add(f);
    }
  }

  synchronized void opened(InFlight f) {
    f.openedTick = ++clock;
  }

  synchronized void landed(InFlight f) {
    clock++;
    truth.assign(f.write.offset(), f.write.end(), f.write);
    writtenSinceCut.assign(f.write.offset(), f.write.end(), Boolean.TRUE);
  }

  synchronized void closing(InFlight f) {
    f.closingTick = ++clock;
  }

  synchronized void left(InFlight f) {
    ++clock;
    active.remove(f);
  }

  /** Whether a write entered since the last snapshot, or writes were in flight at it. */
  synchronized boolean dirty() {
    return dirty;
  }

  /** Step t0 of a snapshot: freezes the truth and the set of active writes. */
  synchronized SnapshotStart beforeSnapshot() {
    long t0 = ++clock;
    dirty = false;
    enteredDuringSnapshot = new ArrayList<>();
    ByteRangeMap<Boolean> written = writtenSinceCut;
    writtenSinceCut = new ByteRangeMap<>();
    return new SnapshotStart(t0, truth.copy(), written, new ArrayList<>(active));
  }

  /** Step t1 of a snapshot: classifies the writes that were possibly in flight. */
  synchronized SnapshotTruth afterSnapshot(SnapshotStart start, long capacity) {
    long t1 = ++clock;
    Set<InFlight> possibly = new HashSet<>(start.activeAtT0);
    possibly.addAll(enteredDuringSnapshot);
    enteredDuringSnapshot = null;
    List<Write> inFlight = new ArrayList<>();
    List<Write> mustReport = new ArrayList<>();
    for (InFlight f : possibly) {
      inFlight.add(f.write);
      boolean openedBefore = f.openedTick != 0 && f.openedTick < start.t0;
      boolean openAfter = f.closingTick == 0 || f.closingTick > t1;
      if (openedBefore && openAfter) {
        mustReport.add(f.write);
      }
    }
    if (!possibly.isEmpty()) {
      dirty = true;
    }
    return new SnapshotTruth(start.content, start.written, inFlight, mustReport, capacity);
  }

  /** A write on its way through a writer thread, with the ticks of its steps (0 = not yet). */
  static final class InFlight {
    final Write write;
    long enterTick;
    long openedTick;
    long closingTick;

    InFlight(Write write) {
      this.write = write;
    }
  }

  record SnapshotStart(
      long t0,
      ByteRangeMap<Write> content,
      ByteRangeMap<Boolean> written,
      List<InFlight> activeAtT0) {}
}
