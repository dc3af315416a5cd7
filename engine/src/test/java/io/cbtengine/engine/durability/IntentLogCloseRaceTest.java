package io.cbtengine.engine.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cbtengine.api.ChangeTracker;
import io.cbtengine.api.DiskId;
import io.cbtengine.api.DiskOptions;
import io.cbtengine.api.InvalidStateException;
import io.cbtengine.api.TrackedDisk;
import io.cbtengine.engine.CbtEngine;
import io.cbtengine.engine.EngineOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writers waiting for an intent log's force while the log closes under them (the freezer closes a
 * cut epoch's log once its epoch file is written; the engine's close closes the open one) must all
 * return. A forcing writer that failed on the closed log used to leave the others waiting for a
 * force that never came, so their writes blocked forever.
 */
class IntentLogCloseRaceTest {
  @Test
  void writersAndSnapshots_smallRegions_noWriterBlocksForever(@TempDir Path dir) throws Exception {
    // Small regions: most writes log an intent and wait for a force, and a snapshot every few
    // milliseconds closes the previous epoch's log under late writers.
    ChangeTracker engine =
        CbtEngine.open(dir, EngineOptions.defaults().withIntentRegionBytes(64 << 10));
    TrackedDisk disk = engine.createDisk(new DiskId("d"), 1L << 30, DiskOptions.defaults());
    AtomicBoolean stop = new AtomicBoolean();
    ConcurrentLinkedQueue<Throwable> wrong = new ConcurrentLinkedQueue<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 6; t++) {
      long seed = t;
      Thread writer =
          new Thread(
              () -> {
                SplittableRandom random = new SplittableRandom(seed);
                while (!stop.get()) {
                  long offset = random.nextLong((1L << 30) / 4096) * 4096;
                  try {
                    if (random.nextInt(4) == 0) {
                      disk.beginWrite(offset, 4096).close();
                    } else {
                      disk.recordWrite(offset, 4096);
                    }
                  } catch (InvalidStateException closed) {
                    return;
                  } catch (Throwable e) {
                    wrong.add(e);
                    return;
                  }
                }
              },
              "writer-" + t);
      writer.setDaemon(true); // a writer blocked forever must not keep the test JVM alive
      writer.start();
      threads.add(writer);
    }
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
    while (System.nanoTime() < end) {
      disk.createSnapshot();
      Thread.sleep(2);
    }
    stop.set(true);
    List<String> blocked = stillRunningAfter(threads, 30);
    assertEquals(List.of(), blocked, "writers still blocked 30 s after the last snapshot");
    assertEquals(List.of(), new ArrayList<>(wrong));

    // The same race at close: writers blocked in the open epoch's log must return too.
    stop.set(false);
    threads.clear();
    for (int t = 0; t < 6; t++) {
      long seed = 100 + t;
      Thread writer =
          new Thread(
              () -> {
                SplittableRandom random = new SplittableRandom(seed);
                while (true) {
                  try {
                    disk.recordWrite(random.nextLong((1L << 30) / 4096) * 4096, 4096);
                  } catch (InvalidStateException closed) {
                    return;
                  } catch (Throwable e) {
                    wrong.add(e);
                    return;
                  }
                }
              },
              "closing-writer-" + t);
      writer.setDaemon(true);
      writer.start();
      threads.add(writer);
    }
    Thread.sleep(200);
    engine.close();
    assertEquals(List.of(), stillRunningAfter(threads, 30), "writers still blocked after close");
    assertEquals(List.of(), new ArrayList<>(wrong));
  }

  /** The names of the threads still alive {@code seconds} after the call. */
  private static List<String> stillRunningAfter(List<Thread> threads, long seconds)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    List<String> alive = new ArrayList<>();
    for (Thread t : threads) {
      t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      if (t.isAlive()) {
        alive.add(t.getName());
      }
    }
    return alive;
  }
}
