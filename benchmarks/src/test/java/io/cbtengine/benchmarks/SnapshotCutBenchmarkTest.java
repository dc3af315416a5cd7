package io.cbtengine.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cbtengine.api.DiskChangeExtent;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.roaringbitmap.RoaringBitmap;

/** The cut and freeze benchmarks answer with the dirty blocks plus, at most, the writer's. */
class SnapshotCutBenchmarkTest {
  private static final int BLOCK = 65536;

  private static SnapshotCutBenchmark bench(TrackerKind kind) {
    Trackers.assumeAvailable(kind);
    SnapshotCutBenchmark bench = new SnapshotCutBenchmark();
    bench.impl = kind.paramName();
    bench.dirtyBlocks = 5_000;
    bench.blockSize = BLOCK;
    bench.runWriter = kind != TrackerKind.FLOOR;
    bench.startWriter();
    bench.dirtyOpenEpoch();
    return bench;
  }

  private static void assertDirtyPlusWriter(
      SnapshotCutBenchmark bench, List<DiskChangeExtent> got) {
    RoaringBitmap answered = Trackers.blocks(got, BLOCK);
    RoaringBitmap dirty = RoaringBitmap.bitmapOf(bench.dirty);
    RoaringBitmap writer =
        Trackers.blocks(
            RecordWriteBenchmark.randomOffsets(1 << 16, SnapshotCutBenchmark.CAPACITY, 4096, 3),
            0,
            1 << 16,
            4096,
            BLOCK);
    assertTrue(answered.contains(dirty), "a dirty block is missing");
    assertTrue(
        RoaringBitmap.or(dirty, writer).contains(answered), "a block nobody wrote is reported");
    if (!bench.runWriter) {
      assertEquals(dirty, answered);
    }
  }

  @ParameterizedTest
  @EnumSource(TrackerKind.class)
  void cutAndFirstQuery_dirtyEpoch_answersTheDirtyBlocks(TrackerKind kind) {
    SnapshotCutBenchmark bench = bench(kind);
    try {
      assertDirtyPlusWriter(bench, bench.cutAndFirstQuery());
    } finally {
      bench.closeTracker();
      bench.stopWriter();
    }
  }

  @ParameterizedTest
  @EnumSource(TrackerKind.class)
  void queryFrozen_frozenEpoch_answersTheDirtyBlocks(TrackerKind kind) {
    SnapshotCutBenchmark bench = bench(kind);
    try {
      new SnapshotCutBenchmark.FrozenEpoch().cutAndFreeze(bench);
      assertDirtyPlusWriter(bench, bench.queryFrozen(null));
    } finally {
      bench.closeTracker();
      bench.stopWriter();
    }
  }

  @ParameterizedTest
  @EnumSource(TrackerKind.class)
  void cut_dirtyEpoch_isSnapshotTwo(TrackerKind kind) {
    SnapshotCutBenchmark bench = bench(kind);
    try {
      assertEquals(2, bench.cut());
      assertDirtyPlusWriter(bench, bench.tracker.changedExtents(1, 2));
    } finally {
      bench.closeTracker();
      bench.stopWriter();
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = TrackerKind.class,
      names = {"ENGINE", "SYNC_ROARING", "LOCKED_BIT_SET"})
  void cutPauseProbe_fewCuts_recordsOneStallPerCut(TrackerKind kind) {
    Trackers.assumeAvailable(kind);
    CutPauseProbe.Result r = CutPauseProbe.measure(kind, 1L << 30, BLOCK, 1_000, 3);
    assertEquals(3, r.stalls().getTotalCount());
    assertEquals(3, r.cutTimes().getTotalCount());
    assertTrue(r.window().getTotalCount() >= 3 * 100, "the writer wrote through every window");
  }
}
