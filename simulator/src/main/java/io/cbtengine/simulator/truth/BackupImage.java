package io.cbtengine.simulator.truth;

import java.util.ArrayList;
import java.util.List;

/**
 * The content of a disk's backup as the backup application builds it: each backup copies the
 * reported extents from the snapshot into the image. Comparing the image with the {@link
 * SnapshotTruth} after a backup finds every byte the engine failed to report.
 *
 * <h2>Implementation notes</h2>
 *
 * <p>Each byte of the image holds the {@link Candidates} it may hold: a single write where it was
 * copied from certain snapshot content, or the snapshot's old content plus the writes in flight
 * there. The check after backup k, on the bytes that are certain in snapshot k, is that the write
 * the disk held is among the candidates. This is exact in single-threaded replay; with writes in
 * flight it is sound (a correct engine never fails it) because a write that reached snapshot k but
 * not snapshot j, and was not reported since, must have been in flight at j; and it still catches
 * every write that began after j and was never reported. Writes in flight at j whose scope was open
 * throughout the snapshot call are checked separately: the next backup must report them.
 *
 * <p>Not thread-safe: one backup thread owns an image.
 */
public final class BackupImage {
  private final String disk;
  private final ByteRangeMap<Candidates> bytes = new ByteRangeMap<>();

  public BackupImage(String disk) {
    this.disk = disk;
  }

  /** Copies {@code [start, end)} of the snapshot into the image, as a backup copies an extent. */
  public void copyFrom(SnapshotTruth snapshot, long start, long end) {
    ByteRangeMap<Candidates> uncertain = snapshot.uncertain();
    List<long[]> ranges = new ArrayList<>();
    List<Candidates> values = new ArrayList<>();
    snapshot
        .content()
        .visit(
            start,
            end,
            (a, b, held) -> {
              Write w = held == null ? Write.NONE : held;
              uncertain.visit(
                  a,
                  b,
                  (c, d, inFlight) -> {
                    ranges.add(new long[] {c, d});
                    values.add(inFlight == null ? Candidates.of(w) : inFlight.with(w));
                  });
            });
    for (int i = 0; i < ranges.size(); i++) {
      bytes.assign(ranges.get(i)[0], ranges.get(i)[1], values.get(i));
    }
  }

  /**
   * The certain bytes of {@code snapshot} that this image does not hold, coalesced per write. Empty
   * when the backup is complete. Compares the whole capacity: O(segments).
   */
  public List<MissedRange> compareWith(SnapshotTruth snapshot) {
    List<MissedRange> misses = new ArrayList<>();
    compareRange(snapshot, 0, snapshot.capacity(), misses);
    return misses;
  }

  /**
   * As {@link #compareWith(SnapshotTruth)}, but only on the bytes {@code region} maps to a value.
   * Equivalent to the full comparison when the region holds every byte where the snapshot or the
   * image may have changed since the last comparison: the bytes written since the previous
   * snapshot, the extents copied since, and the bytes uncertain at the previous snapshot.
   */
  public List<MissedRange> compareWithin(SnapshotTruth snapshot, ByteRangeMap<?> region) {
    List<MissedRange> misses = new ArrayList<>();
    region.visit(
        0,
        snapshot.capacity(),
        (a, b, in) -> {
          if (in != null) {
            compareRange(snapshot, a, b, misses);
          }
        });
    return misses;
  }

  private void compareRange(
      SnapshotTruth snapshot, long start, long end, List<MissedRange> misses) {
    ByteRangeMap<Candidates> uncertain = snapshot.uncertain();
    snapshot
        .content()
        .visit(
            start,
            end,
            (a, b, held) -> {
              Write expected = held == null ? Write.NONE : held;
              uncertain.visit(
                  a,
                  b,
                  (c, d, inFlight) -> {
                    if (inFlight != null) {
                      return;
                    }
                    bytes.visit(
                        c,
                        d,
                        (x, y, found) -> {
                          boolean ok =
                              found == null ? expected == Write.NONE : found.contains(expected);
                          if (!ok) {
                            addMiss(misses, x, y, expected, found);
                          }
                        });
                  });
            });
  }

  private void addMiss(
      List<MissedRange> misses, long start, long end, Write expected, Candidates found) {
    if (!misses.isEmpty()) {
      MissedRange last = misses.get(misses.size() - 1);
      if (last.end() == start && last.expected() == expected) {
        misses.set(
            misses.size() - 1,
            new MissedRange(disk, last.start(), end, expected, last.found(), last.reason()));
        return;
      }
    }
    misses.add(
        new MissedRange(disk, start, end, expected, found, "backup image differs from the disk"));
  }

  /**
   * Makes the image equal to the snapshot's content, so that a miss is reported once and the next
   * backup is judged on its own.
   */
  public void repairFrom(SnapshotTruth snapshot) {
    bytes.assign(0, Long.MAX_VALUE, null);
    copyFrom(snapshot, 0, snapshot.capacity());
  }

  /** The number of image segments, a measure of the model's own size. */
  public int segmentCount() {
    return bytes.segmentCount();
  }
}
