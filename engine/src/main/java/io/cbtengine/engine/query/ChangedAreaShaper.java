package io.cbtengine.engine.query;

import io.cbtengine.api.DiskChangeExtent;
import io.cbtengine.api.DiskChangeInfo;
import io.cbtengine.engine.epoch.BlockRuns;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a set of changed blocks into one reply window of {@code VslmQueryChangedDiskAreas}.
 *
 * <p>Rules, in the order they apply:
 *
 * <ol>
 *   <li>The window starts at the requested offset and ends at most {@code maxWindowBytes} later and
 *       at most at the capacity.
 *   <li>Runs of blocks become byte extents, clipped to the window start and to the capacity, so
 *       they are sorted, disjoint and never adjacent (two runs are separated by a clean block).
 *   <li>A window holds at most {@code maxExtentsPerReply} extents; when the limit is reached, the
 *       window ends where the next extent starts.
 *   <li>An extent that does not fit in the rest of the window ends the window where it starts,
 *       unless it could not fit in any window (it alone is longer than {@code maxWindowBytes}), in
 *       which case it is split at the window's end.
 * </ol>
 *
 * <p>Cost: one binary search to find {@code startOffset} among the runs, then one step per extent
 * in the window (see {@link BlockRuns}). Thread-safety: stateless.
 */
public final class ChangedAreaShaper {
  private ChangedAreaShaper() {}

  /**
   * Shapes one reply.
   *
   * @param changed the runs of changed blocks, or {@code null} if the whole disk counts as changed
   * @param startOffset the requested offset, {@code 0 <= startOffset < capacity}
   * @param capacity the disk's capacity at the snapshot
   * @param blockShift log2 of the block size
   */
  public static DiskChangeInfo shape(
      BlockRuns changed,
      long startOffset,
      long capacity,
      int blockShift,
      int maxExtentsPerReply,
      long maxWindowBytes) {
    assert startOffset >= 0 && startOffset < capacity
        : "startOffset=" + startOffset + ", capacity=" + capacity;
    long limit = startOffset + Math.min(maxWindowBytes, capacity - startOffset);

    // The whole disk is one extent, split only by the window.
    if (changed == null) {
      return new DiskChangeInfo(
          startOffset,
          limit - startOffset,
          List.of(new DiskChangeExtent(startOffset, limit - startOffset)));
    }

    long end = limit;
    BlockRuns.Cursor runs = changed.cursor(startOffset >>> blockShift);
    // Sized once: a reply of a few hundred thousand extents must not grow its list step by step.
    List<DiskChangeExtent> extents =
        new ArrayList<>(Math.min(maxExtentsPerReply, Math.min(runs.remainingAtMost(), 1 << 20)));
    while (runs.next()) {
      long s = Math.max(runs.start() << blockShift, startOffset);
      if (s >= limit) {
        break;
      }
      long e = Math.min(runs.end() << blockShift, capacity);
      if (extents.size() == maxExtentsPerReply) {
        end = s;
        break;
      }
      if (e > limit) {
        // Split only an extent that no window could hold whole.
        boolean fitsInAWindow = e - s <= maxWindowBytes && s > startOffset;
        if (fitsInAWindow) {
          end = s;
        } else {
          extents.add(new DiskChangeExtent(s, limit - s));
        }
        break;
      }
      extents.add(new DiskChangeExtent(s, e - s));
      if (e >= limit) {
        break;
      }
    }
    return new DiskChangeInfo(startOffset, end - startOffset, extents);
  }
}
