package io.cbtengine.benchmarks;

import io.cbtengine.api.DiskChangeExtent;
import java.util.ArrayList;
import java.util.List;

/**
 * Baseline {@code floor}: one plain {@code long[]} bitset per epoch, set without any
 * synchronization, check or validation. It is the physical limit of marking a block, not a usable
 * tracker: <b>not thread-safe</b>; concurrent marks may lose bits and a cut races with writers.
 * Costs one bit per block of the disk per epoch, allocated up front.
 */
final class FloorBitSetTracker extends BaselineTracker {
  private final List<long[]> epochs = new ArrayList<>();
  private long[] words;

  FloorBitSetTracker(long capacityBytes, int blockSize) {
    super(TrackerKind.FLOOR, capacityBytes, blockSize);
    this.words = newWords();
  }

  private long[] newWords() {
    return new long[(geometry.blockCount + 63) >>> 6];
  }

  @Override
  public void mark(long offset, long length) {
    if (length == 0) {
      return;
    }
    int first = geometry.firstBlock(offset);
    int last = geometry.lastBlock(offset, length);
    long[] w = words;
    if (first == last) {
      w[first >>> 6] |= 1L << first;
      return;
    }
    setRange(w, first, last + 1);
  }

  /** Sets bits {@code [from, to)}, whole words at a time. */
  static void setRange(long[] w, int from, int to) {
    int firstWord = from >>> 6;
    int lastWord = (to - 1) >>> 6;
    long firstMask = -1L << from;
    long lastMask = -1L >>> -to;
    if (firstWord == lastWord) {
      w[firstWord] |= firstMask & lastMask;
      return;
    }
    w[firstWord] |= firstMask;
    for (int i = firstWord + 1; i < lastWord; i++) {
      w[i] = -1L;
    }
    w[lastWord] |= lastMask;
  }

  @Override
  public int snapshot() {
    epochs.add(words);
    words = newWords();
    return epochs.size();
  }

  @Override
  public List<DiskChangeExtent> changedExtents(int from, int to) {
    long[] union = newWords();
    for (long[] epoch : epochs.subList(from, to)) {
      for (int i = 0; i < union.length; i++) {
        union[i] |= epoch[i];
      }
    }
    return geometry.extents(union);
  }

  @Override
  public void close() {
    epochs.clear();
  }
}
