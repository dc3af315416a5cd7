package io.cbtengine.engine.epoch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cbtengine.engine.write.DenseEpochBitmap;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.roaringbitmap.RoaringBitmap;

/**
 * Array-kept runs against searched runs and against runs computed from the sorted blocks, from
 * random starting blocks, across container and chunk edges, for every kind of Roaring container.
 */
class BlockRunsProperties {
  private static final long[] BASES = {0, 1L << 16, (1L << 31) - 40, (1L << 32) - 100, 5L << 32};

  @Property(tries = 300)
  void cursor_randomBlockSets_arrayRunsEqualSearchedRuns(@ForAll @LongRange(min = 0) long seed) {
    Random random = new Random(seed);
    DenseEpochBitmap bitmap = new DenseEpochBitmap();
    int n = random.nextInt(20);
    for (int i = 0; i < n; i++) {
      long first = BASES[random.nextInt(BASES.length)] + random.nextInt(300);
      int len = random.nextBoolean() ? 1 + random.nextInt(3) : 1 + random.nextInt(400);
      bitmap.mark(first, first + len - 1);
    }
    BlockSet set = bitmap.toBlockSet();
    for (int q = 0; q < 5; q++) {
      long from =
          random.nextBoolean() ? 0 : BASES[random.nextInt(BASES.length)] + random.nextInt(300);
      assertEquals(
          walk(BlockRuns.search(set), from), walk(BlockRuns.of(set), from), "from " + from);
    }
  }

  /**
   * Sets built straight from Roaring bitmaps, so that array, bitmap (more than 4,096 values in
   * 2^16) and run containers all occur, with runs that end on a container's or a chunk's last
   * block.
   */
  @Property(tries = 300)
  void of_mixedContainers_equalRunsOfTheSortedBlocks(@ForAll @LongRange(min = 0) long seed) {
    Random random = new Random(seed);
    TreeSet<Long> blocks = new TreeSet<>();
    int pieces = random.nextInt(12);
    for (int i = 0; i < pieces; i++) {
      long base = BASES[random.nextInt(BASES.length)] + (random.nextInt(4) << 16);
      switch (random.nextInt(4)) {
        case 0 -> { // dense random: a bitmap container
          int count = 4097 + random.nextInt(6_000);
          for (int k = 0; k < count; k++) {
            blocks.add(base + random.nextInt(1 << 16));
          }
        }
        case 1 -> { // a long range, often across a container's edge
          long first = base + (1 << 16) - random.nextInt(300);
          int len = 1 + random.nextInt(70_000);
          for (long b = first; b < first + len; b++) {
            blocks.add(b);
          }
        }
        case 2 -> { // a container's last and the next one's first block
          blocks.add(base + (1 << 16) - 1);
          blocks.add(base + (1 << 16));
        }
        default -> { // sparse: an array container
          int count = 1 + random.nextInt(50);
          for (int k = 0; k < count; k++) {
            blocks.add(base + random.nextInt(1 << 16));
          }
        }
      }
    }
    BlockSet set = toBlockSet(blocks, random.nextBoolean());
    List<List<Long>> expectedAll = runsOf(blocks, 0);
    assertEquals(expectedAll, walk(BlockRuns.of(set), 0), "from 0");
    for (int q = 0; q < 4; q++) {
      long from = blocks.isEmpty() ? 0 : blocks.first() + random.nextInt(1 << 18);
      List<List<Long>> expected = runsOf(blocks, from);
      assertEquals(expected, walk(BlockRuns.of(set), from), "from " + from);
      assertEquals(expected, walk(BlockRuns.search(set), from), "searched, from " + from);
    }
  }

  private static BlockSet toBlockSet(TreeSet<Long> blocks, boolean runOptimize) {
    int chunks = blocks.isEmpty() ? 0 : (int) (blocks.last() >>> BlockSet.CHUNK_SHIFT) + 1;
    RoaringBitmap[] parts = new RoaringBitmap[chunks];
    for (long b : blocks) {
      int c = (int) (b >>> BlockSet.CHUNK_SHIFT);
      if (parts[c] == null) {
        parts[c] = new RoaringBitmap();
      }
      parts[c].add((int) b);
    }
    for (RoaringBitmap r : parts) {
      if (r != null && runOptimize) {
        r.runOptimize();
      }
    }
    return BlockSet.of(parts);
  }

  /** The maximal runs of {@code blocks} that end after {@code from}, the first clipped to it. */
  private static List<List<Long>> runsOf(TreeSet<Long> blocks, long from) {
    List<List<Long>> out = new ArrayList<>();
    long start = -1;
    long end = -1;
    for (long b : blocks) {
      if (b != end) {
        if (start >= 0 && end > from) {
          out.add(List.of(Math.max(start, from), end));
        }
        start = b;
      }
      end = b + 1;
    }
    if (start >= 0 && end > from) {
      out.add(List.of(Math.max(start, from), end));
    }
    return out;
  }

  private static List<List<Long>> walk(BlockRuns runs, long from) {
    List<List<Long>> out = new ArrayList<>();
    BlockRuns.Cursor c = runs.cursor(from);
    while (c.next()) {
      out.add(List.of(c.start(), c.end()));
    }
    return out;
  }
}
