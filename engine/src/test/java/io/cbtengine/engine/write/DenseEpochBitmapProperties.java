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
  /** Bases near interesting edges: page, leaf, 2^31 (sign of int), 2^32 (chunk), the top. */
  private static final long[] BASES = {
    0,
    DenseEpochBitmap.PAGE_BITS - 70,
    ((long) DenseEpochBitmap.PAGE_BITS << DenseEpochBitmap.LEAF_SHIFT) - 100,
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
    BlockSet frozen = bitmap.toBlockSet();
    assertEquals(oracle.size(), frozen.cardinality());
    for (long b : oracle) {
      assertTrue(frozen.contains(b), "missing block " + b);
    }
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
}
