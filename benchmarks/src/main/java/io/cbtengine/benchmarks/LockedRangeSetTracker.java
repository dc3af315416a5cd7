package io.cbtengine.benchmarks;

import com.google.common.collect.ImmutableRangeSet;
import com.google.common.collect.Range;
import com.google.common.collect.RangeSet;
import com.google.common.collect.TreeRangeSet;
import io.cbtengine.api.DiskChangeExtent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Baseline {@code rangeSet}: Guava's {@link TreeRangeSet} of dirty byte ranges per epoch, every
 * mark under a {@link ReentrantLock}. Exact to the byte; rounded out to blocks only when answering,
 * so answers compare with the block-based implementations. A cut swaps in a fresh set and copies
 * the cut one into an {@link ImmutableRangeSet}. Costs a tree node (tens of bytes) per disjoint
 * range. Thread-safe.
 */
final class LockedRangeSetTracker extends BaselineTracker {
  private final ReentrantLock lock = new ReentrantLock();
  private final Object snapshotLock = new Object();
  private final List<RangeSet<Long>> epochs = new ArrayList<>();
  private TreeRangeSet<Long> current = TreeRangeSet.create();

  LockedRangeSetTracker(long capacityBytes, int blockSize) {
    super(TrackerKind.RANGE_SET, capacityBytes, blockSize);
  }

  @Override
  public void mark(long offset, long length) {
    if (length == 0) {
      return;
    }
    Range<Long> range = Range.closedOpen(offset, offset + length);
    lock.lock();
    try {
      current.add(range);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int snapshot() {
    synchronized (snapshotLock) {
      TreeRangeSet<Long> fresh = TreeRangeSet.create();
      TreeRangeSet<Long> cut;
      lock.lock();
      try {
        cut = current;
        current = fresh;
      } finally {
        lock.unlock();
      }
      epochs.add(ImmutableRangeSet.copyOf(cut));
      return epochs.size();
    }
  }

  @Override
  public List<DiskChangeExtent> changedExtents(int from, int to) {
    synchronized (snapshotLock) {
      TreeRangeSet<Long> union = TreeRangeSet.create();
      for (RangeSet<Long> epoch : epochs.subList(from, to)) {
        union.addAll(epoch);
      }

      // Round each byte range out to whole blocks; neighbours that meet in a block coalesce.
      List<DiskChangeExtent> out = new ArrayList<>();
      long runStart = -1;
      long runEnd = -1;
      for (Range<Long> r : union.asRanges()) {
        long lower = r.lowerEndpoint();
        long first = geometry.firstBlock(lower);
        long end = (long) geometry.lastBlock(lower, r.upperEndpoint() - lower) + 1;
        if (runStart >= 0 && first <= runEnd) {
          runEnd = Math.max(runEnd, end);
          continue;
        }
        if (runStart >= 0) {
          out.add(geometry.extent(runStart, runEnd));
        }
        runStart = first;
        runEnd = end;
      }
      if (runStart >= 0) {
        out.add(geometry.extent(runStart, runEnd));
      }
      return out;
    }
  }

  @Override
  public void close() {
    synchronized (snapshotLock) {
      epochs.clear();
    }
  }
}
