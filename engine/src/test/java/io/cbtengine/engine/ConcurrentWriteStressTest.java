package io.cbtengine.engine;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cbtengine.api.ChangeTracker;
import io.cbtengine.api.DiskId;
import io.cbtengine.api.DiskOptions;
import io.cbtengine.api.SnapshotId;
import io.cbtengine.api.SnapshotInfo;
import io.cbtengine.api.TrackedDisk;
import io.cbtengine.api.WriteScope;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Writers, a snapshot taker and a querier run at once on one disk; afterwards every write must be
 * found in the interval the contract (section 5) assigns it.
 *
 * <p>Implementation notes. The snapshot thread bumps {@code started} before each {@code
 * createSnapshot} and sets {@code completed} after it returns, so snapshot {@code n} started after
 * any moment at which {@code started < n} was read, and finished before any moment at which {@code
 * completed >= n} was read. A writer reads {@code completed} before it begins ({@code c}), {@code
 * started} after begin returns ({@code s0}), {@code completed} before it closes ({@code c1}) and
 * {@code started} after close returns ({@code a}). Then:
 *
 * <ol>
 *   <li>the write happened after snapshot {@code c} and its scope closed before snapshot {@code a +
 *       1} started, so it must be in the union of the intervals {@code c+1 .. a+1};
 *   <li>its scope was open during the whole of every snapshot {@code S} in {@code s0+1 .. c1}, so
 *       it must be in interval {@code S + 1} (the interval after S) for each of them.
 * </ol>
 *
 * Interval {@code k} is the answer for snapshot {@code k} from the changeId of snapshot {@code k-1}
 * ({@code "*"} for {@code k = 1}; the disk is declared empty). Work is bounded by operation counts,
 * never by time.
 */
class ConcurrentWriteStressTest {
  private static final int BLOCK = 4096;
  private static final long CAPACITY = 256L << 20;
  private static final int WRITERS = 3;
  private static final int OPS_PER_WRITER = 4000;
  private static final int MAX_SNAPSHOTS = 200;

  /** One logged write; for recordWrite, {@code s0} and {@code c1} are -1. */
  record LoggedWrite(long offset, long length, int c, int s0, int c1, int a) {}

  @Test
  void writesSnapshotsAndQueries_concurrent_everyWriteInItsInterval() throws Exception {
    runOnEngineUnderTest(false, false);
  }

  /**
   * As the first test with every write inside one of 48 hot blocks, mostly plain {@code
   * recordWrite}: most writes find their block already marked in the open epoch and take the fast
   * path (a few plain loads, no atomic operation) while cuts are published around them.
   */
  @Test
  void hotBlocksRewrittenThroughCuts_concurrent_everyWriteInItsInterval() throws Exception {
    runOnEngineUnderTest(false, true);
  }

  /**
   * As above while a fifth thread deletes two snapshots in three soon after they are taken. An
   * interval whose snapshot was deleted is asked of the next live snapshot instead (from the
   * deleted snapshot's predecessor's changeId, which stays valid), so the checks are a little
   * looser but still name every write.
   */
  @Test
  void writesSnapshotsQueriesAndDeletes_concurrent_everyWriteFound() throws Exception {
    runOnEngineUnderTest(true, false);
  }

  private void runOnEngineUnderTest(boolean deleteSnapshots, boolean hot) throws Exception {
    ChangeTracker engine = ReferenceChangeTracker.underTest();
    try {
      run(engine, deleteSnapshots, hot);
    } finally {
      engine.close();
    }
  }

  private void run(ChangeTracker engine, boolean deleteSnapshots, boolean hot) throws Exception {
    DiskOptions options =
        DiskOptions.builder()
            .blockSize(BLOCK)
            .initiallyEmpty(true)
            .maxExtentsPerReply(64)
            .maxWindowBytes(16L << 20)
            .build();
    TrackedDisk disk = engine.createDisk(DiskId.of("stress"), CAPACITY, options);
    AtomicInteger started = new AtomicInteger();
    AtomicInteger completed = new AtomicInteger();
    AtomicReferenceArray<SnapshotInfo> snapshots = new AtomicReferenceArray<>(MAX_SNAPSHOTS + 2);
    AtomicBoolean writersDone = new AtomicBoolean();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicInteger queries = new AtomicInteger();
    AtomicInteger progress = new AtomicInteger();
    long[] longestSnapshotNanos = new long[1];
    AtomicBoolean snapshotterDone = new AtomicBoolean();
    int opsPerSnapshot = WRITERS * OPS_PER_WRITER / MAX_SNAPSHOTS;
    CountDownLatch go = new CountDownLatch(1);
    List<List<LoggedWrite>> logs = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();

    // Writers: mostly scoped writes that stay open a little, some plain recordWrite calls.
    for (int w = 0; w < WRITERS; w++) {
      List<LoggedWrite> log = new ArrayList<>(OPS_PER_WRITER);
      logs.add(log);
      SplittableRandom random = new SplittableRandom(1000 + w);
      threads.add(
          new Thread(
              () ->
                  guarded(
                      failure,
                      go,
                      () -> {
                        for (int i = 0; i < OPS_PER_WRITER; i++) {
                          // Lock-step by counts, not time: writers run at most two snapshots' worth
                          // ahead.
                          while (!snapshotterDone.get()
                              && progress.get() >= (completed.get() + 2) * opsPerSnapshot) {
                            LockSupport.parkNanos(20_000);
                          }
                          long offset;
                          long length;
                          if (hot) {
                            // One of 48 blocks spread over the disk, never crossing its end.
                            offset = random.nextInt(48) * 1021L * BLOCK + random.nextInt(BLOCK / 2);
                            length = 1 + random.nextInt(BLOCK / 2);
                          } else {
                            offset = random.nextLong(CAPACITY - 3 * BLOCK);
                            length = 1 + random.nextLong(3 * BLOCK);
                          }
                          int c = completed.get();
                          if (random.nextInt(10) < (hot ? 3 : 7)) {
                            int s0;
                            int c1;
                            try (WriteScope scope = disk.beginWrite(offset, length)) {
                              s0 = started.get();
                              for (int spin = random.nextInt(3); spin > 0; spin--) {
                                Thread.yield();
                              }
                              c1 = completed.get();
                            }
                            log.add(new LoggedWrite(offset, length, c, s0, c1, started.get()));
                          } else {
                            disk.recordWrite(offset, length);
                            log.add(new LoggedWrite(offset, length, c, -1, -1, started.get()));
                          }
                          progress.incrementAndGet();
                        }
                      }),
              "writer-" + w));
    }

    // The snapshot taker: snapshots spread over the writers' progress, not over time.
    Thread snapshotter =
        new Thread(
            () ->
                guarded(
                    failure,
                    go,
                    () -> {
                      try {
                        while (!writersDone.get() && started.get() < MAX_SNAPSHOTS) {
                          int n = started.incrementAndGet();
                          long t0 = System.nanoTime();
                          snapshots.set(n, disk.createSnapshot());
                          longestSnapshotNanos[0] =
                              Math.max(longestSnapshotNanos[0], System.nanoTime() - t0);
                          completed.set(n);
                          while (!writersDone.get() && progress.get() < n * opsPerSnapshot) {
                            LockSupport.parkNanos(20_000);
                          }
                        }
                      } finally {
                        snapshotterDone.set(true);
                      }
                    }),
            "snapshotter");

    // The deleter: removes snapshots 1, 2, 4, 5, 7, ... once a newer one exists.
    Thread deleter =
        new Thread(
            () ->
                guarded(
                    failure,
                    go,
                    () -> {
                      int next = 1;
                      while (deleteSnapshots && !writersDone.get()) {
                        for (int n = completed.get(); next < n; next++) {
                          if (next % 3 != 0) {
                            disk.deleteSnapshot(snapshots.get(next).id());
                          }
                        }
                        LockSupport.parkNanos(50_000);
                      }
                    }),
            "deleter");

    // The querier: pages through random intervals and checks every reply's shape.
    Thread querier =
        new Thread(
            () ->
                guarded(
                    failure,
                    go,
                    () -> {
                      Random random = new Random(7);
                      while (!writersDone.get()) {
                        int k = deleteSnapshots ? completed.get() / 3 * 3 : completed.get();
                        if (k == 0) {
                          Thread.yield();
                          continue;
                        }
                        int j = random.nextInt(k + 1);
                        String from = j == 0 ? "*" : snapshots.get(j).changeId().toString();
                        PagingClient.queryAll(disk, snapshots.get(k).id(), 0, from);
                        queries.incrementAndGet();
                      }
                    }),
            "querier");

    for (Thread t : threads) {
      t.start();
    }
    snapshotter.start();
    querier.start();
    deleter.start();
    go.countDown();
    for (Thread t : threads) {
      t.join();
    }
    writersDone.set(true);
    snapshotter.join();
    querier.join();
    deleter.join();
    assertNull(failure.get(), () -> "a thread failed: " + failure.get());

    // A final snapshot closes the last interval.
    int last = started.incrementAndGet();
    snapshots.set(last, disk.createSnapshot());
    completed.set(last);

    // Interval k: snapshot k (or the next live one) from the changeId of snapshot k-1.
    Set<SnapshotId> live = new HashSet<>();
    for (SnapshotInfo info : disk.snapshots()) {
      live.add(info.id());
    }
    int[] liveAtOrAfter = new int[last + 2];
    liveAtOrAfter[last + 1] = -1;
    for (int k = last; k >= 1; k--) {
      liveAtOrAfter[k] = live.contains(snapshots.get(k).id()) ? k : liveAtOrAfter[k + 1];
    }
    ByteRangeSet[] interval = new ByteRangeSet[last + 1];
    for (int k = 1; k <= last; k++) {
      String from = k == 1 ? "*" : snapshots.get(k - 1).changeId().toString();
      SnapshotInfo to = snapshots.get(liveAtOrAfter[k]);
      interval[k] = PagingClient.queryAll(disk, to.id(), 0, from).changed();
    }

    // Rule 1 and rule 2 for every logged write; and nothing reported that nobody wrote.
    ByteRangeSet.Builder touched = ByteRangeSet.builder();
    int scopedAcrossSnapshots = 0;
    for (List<LoggedWrite> log : logs) {
      for (LoggedWrite lw : log) {
        long end = lw.offset() + lw.length();
        touched.add(lw.offset() / BLOCK * BLOCK, (end + BLOCK - 1) / BLOCK * BLOCK);
        List<long[]> gaps = List.of(new long[] {lw.offset(), end});
        for (int k = lw.c() + 1; k <= lw.a() + 1 && !gaps.isEmpty(); k++) {
          List<long[]> still = new ArrayList<>();
          for (long[] g : gaps) {
            still.addAll(interval[k].gaps(g[0], g[1]));
          }
          gaps = still;
        }
        List<long[]> missing = gaps;
        assertTrue(
            missing.isEmpty(),
            () ->
                "write "
                    + lw
                    + " missing from intervals "
                    + (lw.c() + 1)
                    + ".."
                    + (lw.a() + 1)
                    + ": bytes ["
                    + missing.get(0)[0]
                    + ", "
                    + missing.get(0)[1]
                    + ")");
        for (int s = lw.s0() + 1; lw.s0() >= 0 && s <= lw.c1(); s++) {
          scopedAcrossSnapshots++;
          assertTrue(
              interval[s + 1].covers(lw.offset(), end),
              "write "
                  + lw
                  + " was open during all of snapshot "
                  + s
                  + " but is missing from the interval "
                  + "after it");
        }
      }
    }
    ByteRangeSet allowed = touched.build();
    for (int k = 1; k <= last; k++) {
      long[] extra = interval[k].firstRangeOutside(allowed);
      assertNull(extra, () -> "interval reports bytes no writer touched");
    }

    // Longer intervals answered directly hold every write that rule 1 places inside them.
    Random random = new Random(11);
    for (int q = 0; q < 40; q++) {
      int k = liveAtOrAfter[1 + random.nextInt(last)];
      int j = random.nextInt(k);
      String from = j == 0 ? "*" : snapshots.get(j).changeId().toString();
      ByteRangeSet direct = PagingClient.queryAll(disk, snapshots.get(k).id(), 0, from).changed();
      for (List<LoggedWrite> log : logs) {
        for (LoggedWrite lw : log) {
          if (lw.c() >= j && lw.a() + 1 <= k) {
            assertTrue(
                direct.covers(lw.offset(), lw.offset() + lw.length()),
                "write " + lw + " missing from snapshot " + k + " queried from snapshot " + j);
          }
        }
      }
      assertNull(direct.firstRangeOutside(allowed), "direct query reports bytes nobody wrote");
    }

    // Printed for the reader, never asserted: how much the run exercised, and the longest cut.
    System.out.printf(
        "stress%s: %d writes, %d snapshots, %d concurrent queries, %d write/snapshot"
            + " overlaps checked, longest createSnapshot %d us%n",
        deleteSnapshots ? " with deletes" : "",
        WRITERS * OPS_PER_WRITER,
        last,
        queries.get(),
        scopedAcrossSnapshots,
        longestSnapshotNanos[0] / 1000);
  }

  private static void guarded(
      AtomicReference<Throwable> failure, CountDownLatch go, ThrowingRunnable body) {
    try {
      go.await();
      body.run();
    } catch (Throwable t) {
      failure.compareAndSet(null, t);
    }
  }

  @FunctionalInterface
  private interface ThrowingRunnable {
    void run() throws Exception;
  }
}
