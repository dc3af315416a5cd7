package io.cbtengine.engine.epoch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cbtengine.engine.write.DenseEpochBitmap;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/** Array-kept runs against searched runs, from random starting blocks, across chunk edges. */
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

  private static List<List<Long>> walk(BlockRuns runs, long from) {
    List<List<Long>> out = new ArrayList<>();
    BlockRuns.Cursor c = runs.cursor(from);
    while (c.next()) {
      out.add(List.of(c.start(), c.end()));
    }
    return out;
  }
}
