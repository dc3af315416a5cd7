package io.cbtengine.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cbtengine.api.DiskChangeExtent;
import io.cbtengine.api.DiskOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.roaringbitmap.RoaringBitmap;

/** Every implementation against a block-set oracle, over several epochs and odd write shapes. */
class WriteTrackerTest {
  private static final int BLOCK = 4096;
  // Not a multiple of the block size: the last block is clipped.
  private static final long CAPACITY = 64L * 1024 * 1024 + 512;

  @ParameterizedTest
  @EnumSource(TrackerKind.class)
  void changedExtents_randomWritesOverEpochs_equalOracleForEveryInterval(TrackerKind kind) {
    SplittableRandom random = new SplittableRandom(7);
    List<RoaringBitmap> epochs = new ArrayList<>();
    try (WriteTracker tracker = Trackers.create(kind, CAPACITY, BLOCK)) {
      for (int epoch = 0; epoch < 4; epoch++) {
        RoaringBitmap expected = new RoaringBitmap();
        for (int i = 0; i < 300; i++) {
          long offset = random.nextLong(CAPACITY);
          long length = Math.min(random.nextLong(1, 3 * BLOCK), CAPACITY - offset);
          tracker.mark(offset, length);
          expected.add(offset / BLOCK, (offset + length - 1) / BLOCK + 1);
        }
        tracker.mark(CAPACITY - 1, 1);
        expected.add((int) ((CAPACITY - 1) / BLOCK));
        epochs.add(expected);
        assertEquals(epoch + 1, tracker.snapshot());
      }

      for (int from = 0; from < 4; from++) {
        for (int to = from + 1; to <= 4; to++) {
          List<DiskChangeExtent> extents = tracker.changedExtents(from, to);
          assertEquals(
              RoaringBitmap.or(epochs.subList(from, to).iterator()),
              Trackers.blocks(extents, BLOCK),
              kind + " from=" + from + " to=" + to);
          assertCoalescedInsideCapacity(extents);
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TrackerKind.class)
  void changedExtents_noWrites_isEmpty(TrackerKind kind) {
    try (WriteTracker tracker = Trackers.create(kind, CAPACITY, BLOCK)) {
      tracker.mark(0, 0);
      int snapshot = tracker.snapshot();
      assertTrue(tracker.changedExtents(0, snapshot).isEmpty());
    }
  }

  @Test
  void engineChangedExtents_smallReplies_joinTheWindowsIntoTheOracle() {
    Trackers.assumeAvailable(TrackerKind.ENGINE);
    SplittableRandom random = new SplittableRandom(3);
    RoaringBitmap expected = new RoaringBitmap();
    DiskOptions options =
        DiskOptions.builder()
            .blockSize(BLOCK)
            .initiallyEmpty(true)
            .maxExtentsPerReply(3)
            .maxWindowBytes(1L << 20)
            .build();
    try (WriteTracker tracker = new EngineTracker(CAPACITY, options)) {
      for (int i = 0; i < 200; i++) {
        long offset = random.nextLong(CAPACITY - 8 * BLOCK);
        long length = random.nextLong(1, 8 * BLOCK);
        tracker.mark(offset, length);
        expected.add(offset / BLOCK, (offset + length - 1) / BLOCK + 1);
      }
      // A run across a window edge: the loop must join it back.
      tracker.mark((1L << 20) - BLOCK, 2 * BLOCK);
      expected.add((1L << 20) / BLOCK - 1, (1L << 20) / BLOCK + 1);

      List<DiskChangeExtent> extents = tracker.changedExtents(0, tracker.snapshot());
      assertEquals(expected, Trackers.blocks(extents, BLOCK));
      assertCoalescedInsideCapacity(extents);
    }
  }

  static void assertCoalescedInsideCapacity(List<DiskChangeExtent> extents) {
    long previousEnd = -1;
    for (DiskChangeExtent e : extents) {
      assertTrue(e.length() > 0, e.toString());
      assertTrue(e.start() > previousEnd, "not sorted and coalesced at " + e);
      previousEnd = e.start() + e.length();
      assertTrue(previousEnd <= CAPACITY, e.toString());
    }
  }
}
