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

  /**
   * A query that needs an epoch while a paced background freeze of it runs ends the pacing and gets
   * the same, complete set. The background freeze is told never to hurry, so without the query's
   * signal it would sleep after each of its 2,048 containers; the check is on the result only.
   */
  @Test
  void frozen_duringPacedBackgroundFreeze_sameCompleteSet() throws Exception {
    EpochLog log = new EpochLog();
    java.util.Random random = new java.util.Random(7);
    java.util.TreeSet<Long> written = new java.util.TreeSet<>();
    for (int container = 0; container < 2048; container++) {
      long block = ((long) container << 16) + random.nextInt(1 << 16);
      log.mark(block, block);
      written.add(block);
    }
    Epoch cut = log.cut(null);
    CountDownLatch started = new CountDownLatch(1);
    java.util.concurrent.atomic.AtomicReference<BlockSet> background =
        new java.util.concurrent.atomic.AtomicReference<>();
    Thread freezer =
        new Thread(
            () -> {
              started.countDown();
              background.set(cut.freezeInBackground(() -> false));
            });
    freezer.start();
    assertTrue(started.await(30, java.util.concurrent.TimeUnit.SECONDS));
    BlockSet queried = cut.frozen();
    freezer.join();

    assertEquals(written.size(), queried.cardinality());
    for (long block : written) {
      assertTrue(queried.contains(block), "block " + block);
    }
    assertTrue(queried == background.get(), "one freeze, one result");
  }
}
