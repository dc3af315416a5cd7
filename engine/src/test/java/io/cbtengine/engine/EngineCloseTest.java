package io.cbtengine.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cbtengine.api.ChangeTracker;
import io.cbtengine.api.DiskChangeExtent;
import io.cbtengine.api.DiskChangeInfo;
import io.cbtengine.api.DiskId;
import io.cbtengine.api.DiskOptions;
import io.cbtengine.api.InvalidStateException;
import io.cbtengine.api.SnapshotInfo;
import io.cbtengine.api.TrackedDisk;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Closing the engine while other threads use it, and at JVM shutdown: every call either succeeds or
 * gets the contract's {@link InvalidStateException}, never a library's exception about a closed
 * map.
 */
class EngineCloseTest {
  private static final long CAPACITY = 1L << 30;

  /**
   * The child JVM: an embedder whose own shutdown hook takes a last snapshot, queries it and closes
   * the engine, after {@code System.exit}. Chronicle Map's exit hook used to close the catalog
   * under it, so the snapshot failed with Chronicle's exception after its epoch had been cut.
   */
  public static final class ExitingEmbedder {
    public static void main(String[] args) {
      ChangeTracker engine = CbtEngine.inMemory();
      TrackedDisk disk = engine.createDisk(new DiskId("d1"), CAPACITY, DiskOptions.defaults());
      disk.recordWrite(0, 4096);
      SnapshotInfo first = disk.createSnapshot();
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      // Let every other shutdown hook start first.
                      Thread.sleep(300);
                      disk.recordWrite(1 << 20, 4096);
                      SnapshotInfo last = disk.createSnapshot();
                      long changed =
                          disk.queryChangedDiskAreas(last.id(), 0, first.changeId().toString())
                              .changedArea()
                              .size();
                      engine.close();
                      System.out.println("hook: snapshot, " + changed + " extent, closed");
                    } catch (Throwable e) {
                      System.out.println("hook failed: " + e);
                    }
                  }));
      System.exit(0);
    }
  }

  @Test
  void embedderShutdownHook_snapshotsQueriesAndCloses() throws Exception {
    String out = ChildJvm.runWithEngineFlags(ExitingEmbedder.class);
    assertTrue(out.contains("hook: snapshot, 1 extent, closed"), out);
  }

  @Test
  void closeWhileOthersQueryAndSnapshot_onlySuccessOrInvalidState() throws Exception {
    for (int round = 0; round < 40; round++) {
      ChangeTracker engine = CbtEngine.inMemory();
      TrackedDisk disk = engine.createDisk(new DiskId("d1"), CAPACITY, DiskOptions.defaults());
      disk.recordWrite(0, 4096);
      SnapshotInfo base = disk.createSnapshot();
      String changeId = base.changeId().toString();
      ConcurrentLinkedQueue<Throwable> wrong = new ConcurrentLinkedQueue<>();
      AtomicBoolean stop = new AtomicBoolean();
      CountDownLatch running = new CountDownLatch(3);
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        int kind = t;
        Thread thread =
            new Thread(
                () -> {
                  running.countDown();
                  long offset = 0;
                  while (!stop.get()) {
                    try {
                      offset = (offset + 4096) % CAPACITY;
                      switch (kind) {
                        case 0 -> disk.queryChangedDiskAreas(base.id(), 0, changeId);
                        case 1 -> disk.snapshots();
                        default -> {
                          disk.recordWrite(offset, 4096);
                          disk.createSnapshot();
                        }
                      }
                    } catch (InvalidStateException e) {
                      // The engine is closed: the contract's fault.
                    } catch (Throwable e) {
                      wrong.add(e);
                    }
                  }
                });
        thread.start();
        threads.add(thread);
      }
      running.await();
      Thread.sleep(5);
      engine.close();
      stop.set(true);
      for (Thread thread : threads) {
        thread.join(TimeUnit.MINUTES.toMillis(1));
      }
      assertEquals(List.of(), new ArrayList<>(wrong), "round " + round);
    }
  }

  /**
   * A persistent engine closed while writers run, most of them on regions whose intent is not yet
   * logged (each waits for a force, the widest window): every write that returned normally is in
   * the reopened engine's answer, and every other one got InvalidState. A write that marked after
   * the close had saved the open epoch used to return normally, so it was lost.
   */
  @Test
  void persistentCloseWhileWriting_everyAcknowledgedWriteSurvives(@TempDir Path tmp)
      throws Exception {
    long capacity = 1L << 40;
    DiskId id = new DiskId("d1");
    for (int round = 0; round < 6; round++) {
      Path dir = tmp.resolve("round-" + round);
      ChangeTracker engine = CbtEngine.open(dir);
      TrackedDisk disk =
          engine.createDisk(
              id, capacity, DiskOptions.builder().blockSize(4096).initiallyEmpty(true).build());
      SnapshotInfo base = disk.createSnapshot();
      ConcurrentLinkedQueue<long[]> acknowledged = new ConcurrentLinkedQueue<>();
      ConcurrentLinkedQueue<Throwable> wrong = new ConcurrentLinkedQueue<>();
      CountDownLatch started = new CountDownLatch(4);
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        long seed = round * 31L + t;
        Thread thread =
            new Thread(
                () -> {
                  SplittableRandom random = new SplittableRandom(seed);
                  started.countDown();
                  for (int i = 0; i < 100_000; i++) {
                    long offset = random.nextLong(capacity / 4096 - 1) * 4096;
                    try {
                      if ((i & 1) == 0) {
                        disk.recordWrite(offset, 4096);
                      } else {
                        disk.beginWrite(offset, 4096).close();
                      }
                      acknowledged.add(new long[] {offset, 4096});
                    } catch (InvalidStateException e) {
                      return; // closed: the contract's fault, and the end of this writer
                    } catch (Throwable e) {
                      wrong.add(e);
                      return;
                    }
                  }
                });
        thread.start();
        threads.add(thread);
      }
      started.await();
      Thread.sleep(20 + 10 * round);
      engine.close();
      for (Thread thread : threads) {
        thread.join(TimeUnit.MINUTES.toMillis(1));
      }
      assertEquals(List.of(), new ArrayList<>(wrong), "round " + round);

      try (ChangeTracker reopened = CbtEngine.open(dir)) {
        TrackedDisk d = reopened.disk(id);
        SnapshotInfo after = d.createSnapshot();
        List<DiskChangeExtent> changed = new ArrayList<>();
        for (long off = 0; off < capacity; ) {
          DiskChangeInfo r = d.queryChangedDiskAreas(after.id(), off, base.changeId().toString());
          changed.addAll(r.changedArea());
          off = r.startOffset() + r.length();
        }
        for (long[] w : acknowledged) {
          int i =
              Collections.binarySearch(changed, null, (e, ignored) -> e.start() > w[0] ? 1 : -1);
          int at = -i - 2; // the last extent starting at or before the write
          assertTrue(
              at >= 0 && changed.get(at).end() >= w[0] + w[1],
              "round " + round + ": acknowledged write at " + w[0] + " missing after reopen");
        }
      }
    }
  }

  /**
   * {@code close()} called on an interrupted thread (a service stopping its executor with {@code
   * shutdownNow}) while the freezer still has cut epochs to write: close must wait for the freezer
   * as always. It used to stop waiting at once, write the same epoch files as the still-running
   * freezer (through the same temporary files), and release the directory while the freezer went on
   * writing into it. After close returns nothing in the directory changes, and a reopened engine
   * answers every interval with exactly the blocks written in it.
   */
  @Test
  void closeOnAnInterruptedThread_waitsForTheFreezer(@TempDir Path tmp) throws Exception {
    long capacity = 1L << 40;
    int blockSize = 4096;
    int cuts = 8;
    DiskId id = new DiskId("d1");
    Path dir = tmp.resolve("engine");
    List<SnapshotInfo> snaps = new ArrayList<>();
    List<long[]> writtenPerEpoch = new ArrayList<>();
    // One intent region for the whole disk: one forced record per epoch, not one per 64 MiB.
    ChangeTracker engine =
        CbtEngine.open(dir, EngineOptions.defaults().withIntentRegionBytes(capacity));
    TrackedDisk disk =
        engine.createDisk(
            id, capacity, DiskOptions.builder().blockSize(blockSize).initiallyEmpty(true).build());
    snaps.add(disk.createSnapshot());
    SplittableRandom random = new SplittableRandom(5);
    for (int c = 0; c < cuts; c++) {
      // Enough random blocks that each freeze takes milliseconds: the freezer falls behind.
      long[] blocks = random.longs(600_000, 0, capacity / blockSize).sorted().distinct().toArray();
      for (long b : blocks) {
        disk.recordWrite(b * blockSize, blockSize);
      }
      writtenPerEpoch.add(blocks);
      snaps.add(disk.createSnapshot());
    }
    Thread.currentThread().interrupt();
    try {
      engine.close();
      assertTrue(Thread.currentThread().isInterrupted(), "the status is left set");
    } finally {
      Thread.interrupted();
    }
    String closedState = listing(dir);
    Thread.sleep(500);
    assertEquals(closedState, listing(dir), "files changed after close returned");

    try (ChangeTracker reopened = CbtEngine.open(dir)) {
      TrackedDisk d = reopened.disk(id);
      for (int c = 0; c < cuts; c++) {
        long[] answered = new long[writtenPerEpoch.get(c).length + 1];
        int n = 0;
        for (long off = 0; off < capacity; ) {
          DiskChangeInfo r =
              d.queryChangedDiskAreas(
                  snaps.get(c + 1).id(), off, snaps.get(c).changeId().toString());
          for (DiskChangeExtent e : r.changedArea()) {
            for (long b = e.start() / blockSize; b < e.end() / blockSize; b++) {
              assertTrue(
                  n < answered.length - 1, "epoch " + (c + 1) + ": more blocks than written");
              answered[n++] = b;
            }
          }
          off = r.startOffset() + r.length();
        }
        assertTrue(
            Arrays.equals(writtenPerEpoch.get(c), Arrays.copyOf(answered, n)),
            "epoch "
                + (c + 1)
                + " after reopening: "
                + n
                + " blocks answered, "
                + writtenPerEpoch.get(c).length
                + " written");
      }
    }
  }

  /** Every file under {@code dir} with its size and modification time, one per line. */
  private static String listing(Path dir) throws java.io.IOException {
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(dir)) {
      StringBuilder out = new StringBuilder();
      for (Path p : files.sorted().toList()) {
        if (java.nio.file.Files.isRegularFile(p)) {
          out.append(dir.relativize(p))
              .append(' ')
              .append(java.nio.file.Files.size(p))
              .append(' ')
              .append(java.nio.file.Files.getLastModifiedTime(p).toMillis())
              .append('\n');
        }
      }
      return out.toString();
    }
  }
}
