package io.cbtengine.benchmarks;

import io.cbtengine.api.DiskChangeExtent;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Baseline {@code lockedBitSet}: a {@link java.util.BitSet} of block numbers per epoch, every mark
 * under a {@link ReentrantLock}; a cut swaps in a bitset allocated before taking the lock. Costs
 * one bit per block of the disk per epoch once the last block is touched. Thread-safe.
 */
final class LockedBitSetTracker extends BaselineTracker {
  private final ReentrantLock lock = new ReentrantLock();
  private final Object snapshotLock = new Object();
  private final List<BitSet> epochs = new ArrayList<>();
  private BitSet current;

  LockedBitSetTracker(long capacityBytes, int blockSize) {
    super(TrackerKind.LOCKED_BIT_SET, capacityBytes, blockSize);
    this.current = new BitSet(geometry.blockCount);
  }

  @Override
  public void mark(long offset, long length) {
    if (length == 0) {
      return;
    }
    int first = geometry.firstBlock(offset);
    int last = geometry.lastBlock(offset, length);
    lock.lock();
    try {
      if (first == last) {
        current.set(first);
      } else {
        current.set(first, last + 1);
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int snapshot() {
    synchronized (snapshotLock) {
      BitSet fresh = new BitSet(geometry.blockCount);
      BitSet cut;
      lock.lock();
      try {
        cut = current;
        current = fresh;
      } finally {
        lock.unlock();
      }
      epochs.add(cut);
      return epochs.size();
    }
  }

  @Override
  public List<DiskChangeExtent> changedExtents(int from, int to) {
    synchronized (snapshotLock) {
      BitSet union = new BitSet(geometry.blockCount);
      for (BitSet epoch : epochs.subList(from, to)) {
        union.or(epoch);
      }
      List<DiskChangeExtent> out = new ArrayList<>();
      for (int b = union.nextSetBit(0); b >= 0; ) {
        int end = union.nextClearBit(b);
        out.add(geometry.extent(b, end));
        b = union.nextSetBit(end);
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
