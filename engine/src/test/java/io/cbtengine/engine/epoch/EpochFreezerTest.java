package io.cbtengine.engine.epoch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EpochFreezerTest {
  @Test
  void submit_freezerStuck_submittersKeepTheBacklogBounded() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch stuck = new CountDownLatch(1);
    AtomicInteger persisted = new AtomicInteger();
    List<Epoch> epochs = new ArrayList<>();
    try (EpochFreezer freezer = new EpochFreezer()) {
      EpochLog log = new EpochLog();
      for (int i = 0; i < 40; i++) {
        log.mark(i, i);
        Epoch cut = log.cut(null);
        epochs.add(cut);
        boolean first = i == 0;
        freezer.submit(
            cut,
            () -> {
              if (first) {
                stuck.countDown();
                try {
                  release.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
              persisted.incrementAndGet();
            });
        if (first) {
          // The freezer thread itself is now stuck on the first epoch.
          assertTrue(stuck.await(30, java.util.concurrent.TimeUnit.SECONDS));
        }
        assertTrue(
            freezer.backlog() <= EpochFreezer.MAX_BACKLOG,
            "backlog " + freezer.backlog() + " after " + (i + 1) + " submits");
      }
      release.countDown();
    }
    assertEquals(40, persisted.get());
    for (int i = 0; i < epochs.size(); i++) {
      assertTrue(epochs.get(i).isFrozen());
      assertEquals(1, epochs.get(i).frozen().cardinality());
      assertTrue(epochs.get(i).frozen().contains(i));
    }
  }
}
