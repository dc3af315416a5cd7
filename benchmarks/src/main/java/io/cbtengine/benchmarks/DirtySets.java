package io.cbtengine.benchmarks;

import java.util.BitSet;
import java.util.SplittableRandom;

/** Synthetic dirty block sets shared by the benchmarks and the footprint measurement. */
final class DirtySets {
  private DirtySets() {}

  /** {@code count} distinct random block numbers below {@code blocks}, in random order. */
  static int[] randomBlocks(int count, int blocks, long seed) {
    if (count > blocks) {
      throw new IllegalArgumentException("count > blocks: count=" + count + ", blocks=" + blocks);
    }
    SplittableRandom random = new SplittableRandom(seed);
    BitSet taken = new BitSet(blocks);
    int[] out = new int[count];
    for (int i = 0; i < count; ) {
      int b = random.nextInt(blocks);
      if (!taken.get(b)) {
        taken.set(b);
        out[i++] = b;
      }
    }
    return out;
  }

  /**
   * About {@code count} blocks in runs of {@code runLength} blocks, each run starting at a random
   * multiple of {@code runLength}, runs distinct: the clustered dirt of a file system writing
   * extents. Returns the first block of each run.
   */
  static int[] clusteredRunStarts(int count, int blocks, int runLength, long seed) {
    int runs = Math.max(1, count / runLength);
    int[] slots = randomBlocks(runs, blocks / runLength, seed);
    for (int i = 0; i < slots.length; i++) {
      slots[i] *= runLength;
    }
    return slots;
  }
}
