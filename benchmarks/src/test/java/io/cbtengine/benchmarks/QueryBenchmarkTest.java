package io.cbtengine.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.roaringbitmap.RoaringBitmap;

/** Both query benchmarks return exactly the dirty blocks, on both alternating intervals. */
class QueryBenchmarkTest {
  private static final int BLOCK = 65536;
  private static final int BLOCKS = (int) (RecordWriteBenchmark.CAPACITY / BLOCK);

  @ParameterizedTest
  @EnumSource(TrackerKind.class)
  void fullDiskPagingLoop_tenthOfAPercent_answersTheDirtyBlocks(TrackerKind kind) {
    Trackers.assumeAvailable(kind);
    QueryBenchmark bench = new QueryBenchmark();
    bench.impl = kind.paramName();
    bench.dirtyFraction = 0.001;
    bench.blockSize = BLOCK;
    bench.dirtyAndFreeze();
    try {
      RoaringBitmap expected =
          RoaringBitmap.bitmapOf(
              DirtySets.randomBlocks((int) Math.round(BLOCKS * 0.001), BLOCKS, 5));
      assertEquals(expected, Trackers.blocks(bench.fullDiskPagingLoop(), BLOCK));
      assertEquals(expected, Trackers.blocks(bench.fullDiskPagingLoop(), BLOCK));
    } finally {
      bench.close();
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = TrackerKind.class,
      names = {"ENGINE", "SYNC_ROARING", "RANGE_SET"})
  void intervalQuery_sixteenEpochsOfHotWrites_answersTheHotSet(TrackerKind kind) {
    Trackers.assumeAvailable(kind);
    IntervalQueryBenchmark bench = new IntervalQueryBenchmark();
    bench.impl = kind.paramName();
    bench.epochs = 16;
    bench.hotBlocks = 300;
    bench.blockSize = BLOCK;
    bench.writeHistory();
    try {
      RoaringBitmap expected = RoaringBitmap.bitmapOf(DirtySets.randomBlocks(300, BLOCKS, 9));
      assertEquals(expected, Trackers.blocks(bench.intervalQuery(), BLOCK));
      assertEquals(expected, Trackers.blocks(bench.intervalQuery(), BLOCK));
    } finally {
      bench.close();
    }
  }
}
