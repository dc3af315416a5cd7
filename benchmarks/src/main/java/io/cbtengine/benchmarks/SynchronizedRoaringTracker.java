package io.cbtengine.benchmarks;

import io.cbtengine.api.DiskChangeExtent;
import java.util.ArrayList;
import java.util.List;
import org.roaringbitmap.RoaringBitmap;

/**
 * Baseline {@code syncRoaring}: what most users write. One {@link RoaringBitmap} of block numbers
 * per epoch, every mark under {@code synchronized}; a cut swaps in a fresh bitmap under the same
 * monitor and run-optimizes the cut one outside it. Thread-safe.
 */
final class SynchronizedRoaringTracker extends BaselineTracker {
  private final Object snapshotLock = new Object();
  private final List<RoaringBitmap> epochs = new ArrayList<>();
  private RoaringBitmap current = new RoaringBitmap();

  SynchronizedRoaringTracker(long capacityBytes, int blockSize) {
    super(TrackerKind.SYNC_ROARING, capacityBytes, blockSize);
  }

  @Override
  public void mark(long offset, long length) {
    if (length == 0) {
      return;
    }
    int first = geometry.firstBlock(offset);
    int last = geometry.lastBlock(offset, length);
    synchronized (this) {
      if (first == last) {
        current.add(first);
      } else {
        current.add((long) first, (long) last + 1);
      }
    }
  }

  @Override
  public int snapshot() {
    synchronized (snapshotLock) {
      RoaringBitmap fresh = new RoaringBitmap();
      RoaringBitmap cut;
      synchronized (this) {
        cut = current;
        current = fresh;
      }
      cut.runOptimize();
      epochs.add(cut);
      return epochs.size();
    }
  }

  @Override
  public List<DiskChangeExtent> changedExtents(int from, int to) {
    synchronized (snapshotLock) {
      RoaringBitmap union = RoaringBitmap.or(epochs.subList(from, to).iterator());
      return geometry.extents(union);
    }
  }

  @Override
  public void close() {
    synchronized (snapshotLock) {
      epochs.clear();
    }
  }
}
