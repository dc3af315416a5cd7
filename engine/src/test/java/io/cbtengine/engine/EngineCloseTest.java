package io.cbtengine.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cbtengine.api.ChangeTracker;
import io.cbtengine.api.DiskId;
import io.cbtengine.api.DiskOptions;
import io.cbtengine.api.InvalidStateException;
import io.cbtengine.api.SnapshotInfo;
import io.cbtengine.api.TrackedDisk;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

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
    String out =
        ChildJvm.run(
            ExitingEmbedder.class,
            arg -> arg.startsWith("--add-") || arg.startsWith("-Dchronicle."));
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
}
