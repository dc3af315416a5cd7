package io.cbtengine.engine.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cbtengine.engine.epoch.BlockSet;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import org.junit.jupiter.api.Test;

/**
 * The dense bitmap and its frozen form against a sorted-set oracle, across page and chunk edges.
 */
class DenseEpochBitmapProperties {
  /**
   * Bases near interesting edges: page, container (2^16), 2^31 (sign of int), 2^32 (chunk), the
   * top.
   */
  private static final long[] BASES = {
    0,
    DenseEpochBitmap.PAGE_BITS - 70,
    (1L << 16) - 100,
    (1L << 26) - 100,
    (1L << 31) - 50,
    (1L << 32) - 130,
    DenseEpochBitmap.MAX_BLOCKS - 5000
  };

  @Provide
  Arbitrary<List<Tuple2<Long, Integer>>> ranges() {
    Arbitrary<Long> first =
        Combinators.combine(
                Arbitraries.integers().between(0, BASES.length - 1).map(i -> BASES[i]),
                Arbitraries.longs().between(0, 4000))
            .as((b, d) -> Math.min(b + d, DenseEpochBitmap.MAX_BLOCKS - 1));
    Arbitrary<Integer> len = Arbitraries.integers().between(1, 300);
    return Combinators.combine(first, len).as(Tuple::of).list().ofMaxSize(30);
  }

  @Property(tries = 300)
  void mark_randomRanges_frozenSetEqualsOracle(@ForAll("ranges") List<Tuple2<Long, Integer>> rs) {
    DenseEpochBitmap bitmap = new DenseEpochBitmap();
    TreeSet<Long> oracle = new TreeSet<>();
    for (Tuple2<Long, Integer> r : rs) {
      long first = r.get1();
      long last = Math.min(first + r.get2() - 1, DenseEpochBitmap.MAX_BLOCKS - 1);
      bitmap.mark(first, last);
      for (long b = first; b <= last; b++) {
        oracle.add(b);
      }
      assertTrue(bitmap.allMarked(first, last), "allMarked after mark: " + first + ".." + last);
    }
    BlockSet frozen = assertFrozenEqualsOracle(bitmap, oracle);
    // Walk the runs and check they cover exactly the oracle.
    TreeSet<Long> walked = new TreeSet<>();
    long pos = 0;
    while (true) {
      long s = frozen.nextSet(pos);
      if (s < 0) {
        break;
      }
      long e = frozen.nextClear(s);
      for (long b = s; b < e; b++) {
        walked.add(b);
      }
      pos = e;
    }
    assertEquals(oracle, walked);
  }

  /** Freezes {@code bitmap} and checks that the frozen set holds exactly the oracle's blocks. */
  private static BlockSet assertFrozenEqualsOracle(DenseEpochBitmap bitmap, TreeSet<Long> oracle) {
    BlockSet frozen = bitmap.toBlockSet();
    assertEquals(oracle.size(), frozen.cardinality());
    for (long b : oracle) {
      assertTrue(frozen.contains(b), "missing block " + b);
    }
    return frozen;
  }

  @Test
  void allMarked_untouchedPage_isFalse() {
    DenseEpochBitmap bitmap = new DenseEpochBitmap();
    bitmap.mark(10, 20);
    assertFalse(bitmap.allMarked(10, 21));
    assertFalse(bitmap.allMarked(1L << 33, 1L << 33));
  }

  @Test
  void mark_wholeChunkRun_isOneRunAcrossChunkBoundary() {
    DenseEpochBitmap bitmap = new DenseEpochBitmap();
    long first = (1L << 32) - 1000;
    long last = (1L << 32) + 1000;
    bitmap.mark(first, last);
    BlockSet frozen = bitmap.toBlockSet();
    assertEquals(first, frozen.nextSet(0));
    assertEquals(last + 1, frozen.nextClear(first));
  }

  /**
   * A write of a whole disk of the largest size (2^37 blocks: 64 TiB at 512-byte blocks) marks
   * every page as the shared full page: the table (16 MiB) and no page, where one bit per block was
   * 16 GiB and an OutOfMemoryError. The frozen set is one run of every block.
   */
  @Test
  void mark_wholeDiskOfLargestSize_allocatesNoPages() {
    DenseEpochBitmap bitmap = new DenseEpochBitmap(DenseEpochBitmap.MAX_BLOCKS);
    bitmap.mark(0, DenseEpochBitmap.MAX_BLOCKS - 1);
    assertTrue(
        bitmap.sizeInBytes() < (17L << 20), "only the table: " + bitmap.sizeInBytes() + " bytes");
    assertTrue(bitmap.allMarked(0, DenseEpochBitmap.MAX_BLOCKS - 1));
    // Later writes into full pages, through every path, change nothing and allocate nothing.
    bitmap.mark(12_345, 99_999);
    bitmap.markBlock(DenseEpochBitmap.MAX_BLOCKS - 1);
    assertTrue(DenseEpochBitmap.markIn(bitmap.table(), 7, 7));
    assertTrue(bitmap.sizeInBytes() < (17L << 20));
    BlockSet frozen = bitmap.toBlockSet();
    assertEquals(DenseEpochBitmap.MAX_BLOCKS, frozen.cardinality());
    assertEquals(0, frozen.nextSet(0));
    assertEquals(DenseEpochBitmap.MAX_BLOCKS, frozen.nextClear(0));
  }

  /**
   * A full page beside a partly written one, and a full page at the end of a partial write: the
   * frozen set holds exactly the blocks marked, whichever page of a container is full.
   */
  @Test
  void fullPages_besidePartialPages_freezeExactly() {
    int p = DenseEpochBitmap.PAGE_BITS;
    DenseEpochBitmap bitmap = new DenseEpochBitmap(8L * p);
    bitmap.mark(0, p - 1); // page 0 full
    bitmap.markBlock(p + 5); // page 1: one block
    bitmap.mark(2L * p + 100, 4L * p - 1); // page 2 partial, page 3 full
    bitmap.mark(5L * p, 6L * p - 1); // page 5 full, page 4 absent
    BlockSet frozen = bitmap.toBlockSet();
    assertEquals(p + 1 + (2L * p - 100) + p, frozen.cardinality());
    assertEquals(p, frozen.nextClear(0));
    assertEquals(p + 5, frozen.nextSet(p));
    assertEquals(2L * p + 100, frozen.nextSet(p + 6));
    assertEquals(4L * p, frozen.nextClear(2L * p + 100));
    assertEquals(5L * p, frozen.nextSet(4L * p));
    assertEquals(6L * p, frozen.nextClear(5L * p));
  }

  /**
   * The frozen form is run-compressed container by container: one full container (a bitmap
   * container of 8 KiB uncompressed) and a run of 1,000 blocks (an array container of 2 KB) each
   * serialize to a few bytes. The containers are run-optimized as they are built, inside the paced
   * loop; this checks that no container is left uncompressed.
   */
  @Test
  void toBlockSet_runs_areRunCompressedPerContainer() {
    DenseEpochBitmap bitmap = new DenseEpochBitmap();
    bitmap.mark(0, (1L << 16) - 1);
    bitmap.mark(5L << 16, (5L << 16) + 999);
    bitmap.mark(1L << 32, (1L << 32) + 999);
    List<Integer> pacingCalls = new java.util.ArrayList<>();
    BlockSet frozen =
        bitmap.toBlockSet(
            () -> {
              pacingCalls.add(1);
              return false;
            });
    assertEquals((1L << 16) + 2000, frozen.cardinality());
    assertTrue(
        frozen.serializedSizeInBytes() < 200,
        "three runs should serialize to a few dozen bytes: " + frozen.serializedSizeInBytes());
    assertEquals(3, pacingCalls.size(), "the pacing check runs once per container built");
  }

  @Provide
  Arbitrary<List<Tuple2<Long, Integer>>> growingRanges() {
    // Blocks within 64 pages; a negative length means "grow the table to cover this block".
    Arbitrary<Long> first = Arbitraries.longs().between(0, 64L * DenseEpochBitmap.PAGE_BITS - 1);
    Arbitrary<Integer> len = Arbitraries.integers().between(-1, 70_000).filter(l -> l != 0);
    return Combinators.combine(first, len).as(Tuple::of).list().ofMaxSize(40);
  }

  @Property(tries = 200)
  void mark_withGrowthBetween_frozenSetEqualsOracle(
      @ForAll("growingRanges") List<Tuple2<Long, Integer>> rs,
      @ForAll("initialBlocks") long initialBlocks) {
    DenseEpochBitmap bitmap = new DenseEpochBitmap(initialBlocks);
    TreeSet<Long> oracle = new TreeSet<>();
    for (Tuple2<Long, Integer> r : rs) {
      long first = r.get1();
      if (r.get2() < 0) {
        bitmap.ensureBlocks(first + 1);
        continue;
      }
      long last = first + r.get2() - 1;
      long[][] before = bitmap.table();
      bitmap.mark(first, last);
      for (long b = first; b <= last; b++) {
        oracle.add(b);
      }
      assertTrue(bitmap.allMarked(first, last), "allMarked after mark: " + first + ".." + last);
      // A table kept from before the mark answers "marked" or a stale "not marked", never wrong.
      for (long b = first; b <= last; b += 997) {
        if (DenseEpochBitmap.allMarkedIn(before, b, b)) {
          assertTrue(oracle.contains(b));
        }
        assertTrue(DenseEpochBitmap.allMarkedIn(bitmap.table(), b, b), "allMarkedIn " + b);
      }
    }
    assertFrozenEqualsOracle(bitmap, oracle);
  }

  /**
   * The single-page fast path of a write: {@code markIn} through the current table, or through a
   * table kept from before a growth (the caller's stale copy), either marks every block of the
   * range or marks none and says so, in which case the full {@code mark} is used, as the write path
   * does. The frozen set equals the oracle, and {@code allMarkedIn} never claims a block that was
   * not marked.
   */
  @Property(tries = 200)
  void markIn_currentOrStaleTable_frozenSetEqualsOracle(
      @ForAll("growingRanges") List<Tuple2<Long, Integer>> rs,
      @ForAll("initialBlocks") long initialBlocks) {
    DenseEpochBitmap bitmap = new DenseEpochBitmap(initialBlocks);
    TreeSet<Long> oracle = new TreeSet<>();
    long[][] stale = bitmap.table();
    int step = 0;
    for (Tuple2<Long, Integer> r : rs) {
      long first = r.get1();
      if (r.get2() < 0) {
        stale = bitmap.table();
        bitmap.ensureBlocks(first + 1);
        continue;
      }
      // Clip to the page of `first`: the fast path only takes ranges within one page.
      long last = Math.min(first + r.get2() - 1, first | (DenseEpochBitmap.PAGE_BITS - 1));
      assertTrue(DenseEpochBitmap.onePage(first, last));
      long[][] table = step++ % 2 == 0 ? stale : bitmap.table();
      boolean wasMarked = DenseEpochBitmap.allMarkedIn(table, first, last);
      if (wasMarked) {
        assertTrue(oracle.subSet(first, true, last, true).size() == last - first + 1);
      }
      if (!DenseEpochBitmap.markIn(table, first, last)) {
        assertFalse(wasMarked, "allMarkedIn said marked, markIn found no page: " + first);
        bitmap.mark(first, last);
      }
      for (long b = first; b <= last; b++) {
        oracle.add(b);
      }
      assertTrue(bitmap.allMarked(first, last), "allMarked after markIn: " + first + ".." + last);
    }
    assertFrozenEqualsOracle(bitmap, oracle);
  }

  @Provide
  Arbitrary<Long> initialBlocks() {
    return Arbitraries.of(
        0L, 1L, (long) DenseEpochBitmap.PAGE_BITS, 3L * DenseEpochBitmap.PAGE_BITS);
  }

  /**
   * Writers marking disjoint blocks of fresh pages while another thread grows the table one page at
   * a time: every block a writer marked is in the latest table and in the frozen set (no page
   * installed into a replaced table is lost). Many small rounds, so that installs and growths
   * overlap often.
   */
  @Test
  void mark_concurrentWithGrowth_losesNoBlock() throws Exception {
    int writers = 3;
    marksRacingGrowth(
        writers,
        64,
        48,
        3000,
        (random, w, span) -> {
          // Block b belongs to writer b % writers: disjoint sets.
          long b = random.nextLong(span / writers) * writers + w;
          return new long[] {b, b};
        });
  }

  /**
   * Writes of whole pages (installed as the shared full page) racing writes of parts of the same
   * pages (installed as fresh pages) and growth: whichever install wins a slot, every block marked
   * is in the bitmap and in the frozen set, and nothing else is.
   */
  @Test
  void wholePageAndPartialMarks_racingEachOtherAndGrowth_loseNothing() throws Exception {
    int pageBits = DenseEpochBitmap.PAGE_BITS;
    marksRacingGrowth(
        3,
        24,
        12,
        1500,
        (random, w, span) -> {
          // Crowded into the first six pages, so that writers race for the same slots.
          long page = random.nextLong(6) * pageBits;
          switch (random.nextInt(3)) {
            case 0:
              return new long[] {page, page + pageBits - 1};
            case 1:
              long first = page + random.nextLong(pageBits);
              return new long[] {
                first, Math.min(page + pageBits - 1, first + random.nextLong(500))
              };
            default:
              long b = page + random.nextLong(pageBits);
              return new long[] {b, b};
          }
        });
  }

  /** A range a writer marks in a round of {@link #marksRacingGrowth}. */
  @FunctionalInterface
  private interface RangeSource {
    long[] next(java.util.SplittableRandom random, int writer, long span);
  }

  /**
   * Rounds in which {@code writers} threads mark {@code perWriter} ranges each, from {@code
   * source}, into a fresh bitmap while another thread grows its table one page at a time to {@code
   * pages} pages: every block marked is in the latest table, and the frozen set holds exactly the
   * union. Many small rounds, so that installs and growths overlap often.
   */
  private static void marksRacingGrowth(
      int writers, int perWriter, int pages, int rounds, RangeSource source) throws Exception {
    long[][][] ranges = new long[writers][perWriter][];
    DenseEpochBitmap[] current = new DenseEpochBitmap[1];
    java.util.concurrent.CyclicBarrier barrier =
        new java.util.concurrent.CyclicBarrier(writers + 2);
    java.util.concurrent.atomic.AtomicBoolean stop =
        new java.util.concurrent.atomic.AtomicBoolean();
    Runnable grower =
        () -> {
          DenseEpochBitmap bitmap = current[0];
          for (int p = 2; p <= pages; p++) {
            bitmap.ensureBlocks((long) p * DenseEpochBitmap.PAGE_BITS);
          }
        };
    java.util.List<Thread> threads = new java.util.ArrayList<>();
    for (int w = 0; w <= writers; w++) {
      int index = w;
      Thread t =
          new Thread(
              () -> {
                try {
                  while (true) {
                    barrier.await();
                    if (stop.get()) {
                      return;
                    }
                    if (index == writers) {
                      grower.run();
                    } else {
                      for (long[] r : ranges[index]) {
                        current[0].mark(r[0], r[1]);
                      }
                    }
                    barrier.await();
                  }
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }
    java.util.SplittableRandom random = new java.util.SplittableRandom(7);
    long span = (long) pages * DenseEpochBitmap.PAGE_BITS;
    for (int round = 0; round < rounds; round++) {
      java.util.BitSet oracle = new java.util.BitSet();
      for (int w = 0; w < writers; w++) {
        for (int i = 0; i < perWriter; i++) {
          long[] r = source.next(random, w, span);
          ranges[w][i] = r;
          oracle.set((int) r[0], (int) r[1] + 1);
        }
      }
      current[0] = new DenseEpochBitmap(1);
      barrier.await(); // start
      barrier.await(); // done
      DenseEpochBitmap bitmap = current[0];
      for (long[][] mine : ranges) {
        for (long[] r : mine) {
          assertTrue(
              bitmap.allMarked(r[0], r[1]), "lost " + r[0] + ".." + r[1] + " in round " + round);
        }
      }
      BlockSet frozen = bitmap.toBlockSet();
      assertEquals(oracle.cardinality(), frozen.cardinality(), "round " + round);
      for (int b = oracle.nextSetBit(0); b >= 0; b = oracle.nextSetBit(b + 1)) {
        if (!frozen.contains(b)) {
          throw new AssertionError("frozen set lacks block " + b + " in round " + round);
        }
      }
    }
    stop.set(true);
    barrier.await();
    for (Thread t : threads) {
      t.join();
    }
  }
}
