package io.cbtengine.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.roaringbitmap.RoaringBitmap;

/** Each write benchmark marks exactly the blocks its inputs say, for every implementation. */
class RecordWriteBenchmarkTest {
  private static final int CALLS = 5_000;
  private static final int BLOCK = 65536;

  private RecordWriteBenchmark bench;

  @BeforeEach
  void generate() {
    bench = new RecordWriteBenchmark();
    bench.blockSize = BLOCK;
  }

  private RecordWriteBenchmark.FreshTracker fresh(TrackerKind kind) {
    bench.impl = kind.paramName();
    bench.generateOffsets();
    RecordWriteBenchmark.FreshTracker fresh = new RecordWriteBenchmark.FreshTracker();
    fresh.open(bench);
    return fresh;
  }

  private static RecordWriteBenchmark.Cursor cursor(int thread) {
    RecordWriteBenchmark.Cursor cursor = new RecordWriteBenchmark.Cursor();
    cursor.reset(thread);
    return cursor;
  }

  private static RoaringBitmap marked(WriteTracker tracker) {
    return Trackers.blocks(tracker.changedExtents(0, tracker.snapshot()), BLOCK);
  }

  @ParameterizedTest
  @EnumSource(TrackerKind.class)
  void randomWrite_twoThreadsCursors_markTheirOwnOffsets(TrackerKind kind) {
    Trackers.assumeAvailable(kind);
    RecordWriteBenchmark.FreshTracker fresh = fresh(kind);
    try {
      RecordWriteBenchmark.Cursor first = cursor(0);
      RecordWriteBenchmark.Cursor second = cursor(1);
      for (int i = 0; i < CALLS; i++) {
        bench.randomWrite(fresh, first);
        bench.randomWrite2Threads(fresh, second);
      }

      RoaringBitmap expected =
          RoaringBitmap.or(
              Trackers.blocks(bench.randomOffsets, 0, CALLS, 4096, BLOCK),
              Trackers.blocks(
                  bench.randomOffsets,
                  RecordWriteBenchmark.BATCH,
                  RecordWriteBenchmark.BATCH + CALLS,
                  4096,
                  BLOCK));
      assertEquals(expected, marked(fresh.tracker));
    } finally {
      fresh.close();
    }
  }

  @ParameterizedTest
  @EnumSource(TrackerKind.class)
  void dirtyWrite_premarkedBatch_marksNothingNew(TrackerKind kind) {
    Trackers.assumeAvailable(kind);
    bench.impl = kind.paramName();
    bench.generateOffsets();
    RecordWriteBenchmark.DirtyTracker dirty = new RecordWriteBenchmark.DirtyTracker();
    dirty.open(bench);
    try {
      RecordWriteBenchmark.Cursor cursor = cursor(0);
      for (int i = 0; i < CALLS; i++) {
        bench.dirtyWrite(dirty, cursor);
      }

      RoaringBitmap expected =
          Trackers.blocks(bench.randomOffsets, 0, RecordWriteBenchmark.BATCH, 4096, BLOCK);
      assertEquals(expected, marked(dirty.tracker));
    } finally {
      dirty.close();
    }
  }

  @ParameterizedTest
  @EnumSource(TrackerKind.class)
  void sequentialWrites_fromThreadCursors_markContiguousRuns(TrackerKind kind) {
    Trackers.assumeAvailable(kind);
    RecordWriteBenchmark.FreshTracker fresh = fresh(kind);
    try {
      RecordWriteBenchmark.Cursor first = cursor(0);
      RecordWriteBenchmark.Cursor second = cursor(1);
      for (int i = 0; i < CALLS; i++) {
        bench.sequentialWrite64KiB(fresh, first);
        bench.sequentialWrite1MiB(fresh, second);
      }

      long half = RecordWriteBenchmark.CAPACITY / 2 / BLOCK;
      RoaringBitmap expected = RoaringBitmap.bitmapOfRange(0, CALLS);
      expected.add(half, half + CALLS * 16L);
      assertEquals(expected, marked(fresh.tracker));
    } finally {
      fresh.close();
    }
  }
}
