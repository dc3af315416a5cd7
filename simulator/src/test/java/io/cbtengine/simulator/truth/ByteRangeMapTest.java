package io.cbtengine.simulator.truth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link ByteRangeMap} against an array oracle: one slot per byte. */
class ByteRangeMapTest {
  private static final int SIZE = 512;

  @Test
  void assign_randomRanges_matchesArrayOracle() {
    SplittableRandom random = new SplittableRandom(7);
    for (int round = 0; round < 50; round++) {
      ByteRangeMap<Integer> map = new ByteRangeMap<>();
      Integer[] oracle = new Integer[SIZE];
      ByteRangeMap<Integer> frozen = null;
      Integer[] frozenOracle = null;
      for (int op = 0; op < 60; op++) {
        int start = random.nextInt(SIZE);
        int end = start + 1 + random.nextInt(Math.min(64, SIZE - start));
        Integer value = random.nextInt(8) == 0 ? null : Integer.valueOf(op);
        map.assign(start, end, value);
        for (int i = start; i < end; i++) {
          oracle[i] = value;
        }
        if (op == 30) {
          frozen = map.copy();
          frozenOracle = oracle.clone();
        }
      }
      assertMatches(oracle, map);
      assertMatches(frozenOracle, frozen);
      long differing = 0;
      for (int i = 0; i < SIZE; i++) {
        if (oracle[i] != frozenOracle[i]) {
          differing++;
        }
      }
      assertEquals(differing, map.differingBytes(frozen, 0, SIZE));
    }
  }

  private static void assertMatches(Integer[] oracle, ByteRangeMap<Integer> map) {
    long[] next = {0};
    long covered = 0;
    for (Integer v : oracle) {
      if (v != null) {
        covered++;
      }
    }
    assertEquals(covered, map.coveredBytes(0, SIZE));
    map.visit(
        0,
        SIZE,
        (a, b, v) -> {
          assertEquals(next[0], a, "pieces tile the range");
          assertTrue(b > a);
          for (long i = a; i < b; i++) {
            assertSame(oracle[(int) i], v, "byte " + i);
          }
          next[0] = b;
        });
    assertEquals(SIZE, next[0]);
  }

  @Test
  void visit_insideOneSegment_onePieceClipped() {
    ByteRangeMap<String> map = new ByteRangeMap<>();
    map.assign(100, 200, "a");
    StringBuilder sb = new StringBuilder();
    map.visit(120, 130, (a, b, v) -> sb.append(a).append('-').append(b).append(v).append(' '));
    assertEquals("120-130a ", sb.toString());
  }

  @Test
  void copy_laterAssign_copyUnchanged() {
    ByteRangeMap<String> map = new ByteRangeMap<>();
    map.assign(0, 10, "a");
    ByteRangeMap<String> copy = map.copy();
    map.assign(5, 15, "b");
    String[] seen = new String[1];
    copy.visit(7, 8, (a, b, v) -> seen[0] = v);
    assertEquals("a", seen[0]);
    copy.visit(12, 13, (a, b, v) -> seen[0] = v);
    assertNull(seen[0]);
  }
}
