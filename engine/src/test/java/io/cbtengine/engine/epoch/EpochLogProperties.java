package io.cbtengine.engine.epoch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** Unions over intervals of epochs (with summary levels) against a naive per-epoch oracle. */
class EpochLogProperties {
  @Property(tries = 60)
  void union_randomIntervals_equalsOracle(
      @ForAll @IntRange(min = 1, max = 700) int epochs, @ForAll @LongRange(min = 0) long seed) {
    checkRandomIntervals(epochs, seed);
  }

  /**
   * Histories past one group of 4,096 epochs, so that every level's whole groups, prefixes and
   * suffixes (and middle runs) take part, with intervals biased to start and end near group edges.
   */
  @Property(tries = 8)
  void union_longHistories_equalsOracle(
      @ForAll @IntRange(min = 4000, max = 9000) int epochs, @ForAll @LongRange(min = 0) long seed) {
    checkRandomIntervals(epochs, seed);
  }

  private static void checkRandomIntervals(int epochs, long seed) {
    Random random = new Random(seed);
    EpochLog log = new EpochLog();
    List<TreeSet<Long>> written = new ArrayList<>();
    written.add(new TreeSet<>()); // epoch 0 does not exist
    for (int e = 1; e <= epochs; e++) {
      TreeSet<Long> blocks = new TreeSet<>();
      int n = random.nextInt(4);
      for (int i = 0; i < n; i++) {
        long b = random.nextInt(5000);
        log.mark(b, b);
        blocks.add(b);
      }
      written.add(blocks);
      Epoch cut = log.cut(null);
      if (random.nextBoolean()) {
        cut.freeze();
      }
    }
    for (int q = 0; q < 40; q++) {
      long from = nearEdge(random, epochs);
      long to = from + random.nextInt((int) (epochs - from) + 1);
      if (random.nextBoolean()) {
        to = Math.max(from, Math.min(epochs, nearEdge(random, epochs)));
      }
      TreeSet<Long> expected = new TreeSet<>();
      for (long e = from + 1; e <= to; e++) {
        expected.addAll(written.get((int) e));
      }
      BlockSet u = log.union(from, to);
      assertEquals(expected.size(), u.cardinality(), "from=" + from + ", to=" + to);
      for (long b : expected) {
        assertEquals(true, u.contains(b), "block " + b + " from=" + from + ", to=" + to);
      }
    }
  }

  @Test
  void union_intervalWithLostEpoch_throwsEpochLost() {
    List<Epoch> closed = new ArrayList<>();
    for (int k = 1; k <= 40; k++) {
      closed.add(k == 33 ? Epoch.lost(k) : Epoch.ofFrozen(k, BlockSet.ofRange(k, k + 1)));
    }
    EpochLog log = EpochLog.restore(closed, null);
    assertEquals(32, log.union(0, 32).cardinality());
    assertEquals(7, log.union(33, 40).cardinality());
    assertThrows(EpochLostException.class, () -> log.union(0, 40));
    assertThrows(EpochLostException.class, () -> log.union(32, 33));
  }

  /** A point in {@code 0..epochs}, half the time within 2 of a multiple of 16, 256 or 4096. */
  private static long nearEdge(Random random, int epochs) {
    if (random.nextBoolean()) {
      return random.nextInt(epochs + 1);
    }
    int unit = new int[] {16, 256, 4096}[random.nextInt(3)];
    long edge = (long) unit * random.nextInt(epochs / unit + 1);
    return Math.max(0, Math.min(epochs, edge + random.nextInt(5) - 2));
  }
}
