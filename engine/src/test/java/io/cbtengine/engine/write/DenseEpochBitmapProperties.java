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
    int perWriter = 64;
    int pages = 48;
    int rounds = 3000;
    long[][] blocks = new long[writers][perWriter];
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
                      for (long b : blocks[index]) {
                        current[0].mark(b, b);
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
      for (int w = 0; w < writers; w++) {
        for (int i = 0; i < perWriter; i++) {
          // Block b belongs to writer b % writers: disjoint sets, so the oracle is exact.
          blocks[w][i] = random.nextLong(span / writers) * writers + w;
        }
      }
      current[0] = new DenseEpochBitmap(1);
      barrier.await(); // start
      barrier.await(); // done
      DenseEpochBitmap bitmap = current[0];
      TreeSet<Long> oracle = new TreeSet<>();
      for (long[] mine : blocks) {
        for (long b : mine) {
          oracle.add(b);
          assertTrue(bitmap.allMarked(b, b), "lost block " + b + " in round " + round);
        }
      }
      assertEquals(oracle.size(), bitmap.toBlockSet().cardinality(), "round " + round);
    }
    stop.set(true);
    barrier.await();
    for (Thread t : threads) {
      t.join();
    }
  }
}
