package io.cbtengine.simulator;

import io.cbtengine.api.ChangeTracker;
import io.cbtengine.api.DiskChangeExtent;
import io.cbtengine.api.DiskChangeInfo;
import io.cbtengine.api.DiskId;
import io.cbtengine.api.InvalidArgumentException;
import io.cbtengine.api.SnapshotInfo;
import io.cbtengine.api.TrackedDisk;
import io.cbtengine.api.WriteScope;
import io.cbtengine.engine.EpochTrackedDisk;
import io.cbtengine.simulator.report.BackupStats;
import io.cbtengine.simulator.report.SimulationReport;
import io.cbtengine.simulator.trace.TraceCounters;
import io.cbtengine.simulator.truth.ByteRangeMap;
import io.cbtengine.simulator.truth.MissedRange;
import io.cbtengine.simulator.truth.SnapshotTruth;
import io.cbtengine.simulator.truth.Write;
import io.cbtengine.simulator.workload.DiskSpec;
import io.cbtengine.simulator.workload.Workload;
import io.cbtengine.simulator.workload.WorkloadEvent;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * Plays a hypervisor and a backup application around an engine: replays a workload onto tracked
 * disks, takes snapshots on a schedule, backs each disk up through the {@code
 * queryChangedDiskAreas} paging loop, and checks every backup image against the truth model.
 *
 * <h2>Implementation notes</h2>
 *
 * <p>One backup of a disk: cut a snapshot (bracketed by {@link DiskState#beforeSnapshot()} and
 * {@link DiskState#afterSnapshot}); query from {@code "*"} the first time and from the previous
 * snapshot's changeId after, looping {@code offset = reply.end()} until the capacity; copy each
 * reported extent from the snapshot truth into the disk's {@link
 * io.cbtengine.simulator.truth.BackupImage}; delete the snapshot, as backup software does; compare
 * the image with the snapshot truth; and check that the writes certainly in flight at the previous
 * snapshot were reported this time. A disk is backed up at a round only if a write reached it since
 * its previous snapshot, or writes were in flight at that snapshot. After the last event, writers
 * are drained and a final round backs up every such disk, so that every write is verified.
 *
 * <p>With {@code threads > 0}, the calling thread reads the workload and deals writes round-robin
 * to writer threads, which wrap each write in {@code beginWrite}/{@code close}; snapshots and
 * backups run on the calling thread while the writers go on.
 *
 * <p>Not thread-safe: one simulation runs once.
 */
public final class Simulation {
  private final SimulationConfig config;
  private final Supplier<ChangeTracker> engineFactory;
  private final PrintWriter out;
  private final PrintWriter err;

  private final Map<String, DiskState> states = new LinkedHashMap<>();
  private final List<BackupStats> backups = new ArrayList<>();
  private final Set<Write> missedWrites = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Histogram queryLatency = new Histogram(3);
  private long missedRanges;
  private long protocolViolations;
  private long backupNanos;
  private int diskExtensions;
  private long engineBytesPeak = -1;

  /**
   * @param engineFactory creates the engine under test; the simulation closes it
   * @param out where missed writes and malformed replies are printed
   * @param err where the progress bar is drawn
   */
  public Simulation(
      SimulationConfig config,
      Supplier<ChangeTracker> engineFactory,
      PrintWriter out,
      PrintWriter err) {
    this.config = config;
    this.engineFactory = engineFactory;
    this.out = out;
    this.err = err;
  }

  /**
   * Runs the workload to its end and returns the report.
   *
   * @throws IOException if the workload cannot be read
   * @throws io.cbtengine.api.CbtFault if the engine throws where it should not
   */
  public SimulationReport run(Workload workload) throws IOException {
    ChangeTracker engine = engineFactory.get();
    WriterPool pool = null;
    long replayStart = System.nanoTime();
    long replayNanos;
    long writes = 0;
    long trackedBlocks = 0;
    long engineHeap = -1;
    boolean engineHeapCounted = false;
    try {
      for (DiskSpec spec : workload.disks()) {
        TrackedDisk disk;
        try {
          disk = engine.createDisk(DiskId.of(spec.id()), spec.capacity(), config.diskOptions());
        } catch (InvalidArgumentException e) {
          // A capacity the engine refuses comes from the input (trace offsets or --disk-size).
          throw new IOException(
              "disk "
                  + spec.id()
                  + " cannot be tracked: capacity="
                  + spec.capacity()
                  + " (from --disk-size if given, else from the trace's highest write), block size="
                  + config.diskOptions().blockSize()
                  + " (a larger --block-size, up to 64m, tracks larger disks; no block size"
                  + " tracks more than 2^60 bytes): "
                  + e.getMessage(),
              e);
        }
        states.put(spec.id(), new DiskState(spec.id(), disk));
      }
      if (config.threads() > 0) {
        pool = new WriterPool(config.threads());
      }
      ProgressBar progress = new ProgressBar(err, config.progress(), workload.expectedEvents());

      // Replay, with a backup round whenever the schedule says so.
      long events = 0;
      long writesSinceRound = 0;
      long nextRoundAt = Long.MIN_VALUE;
      long latestTime = Long.MIN_VALUE;
      WorkloadEvent event;
      while ((event = workload.next()) != null) {
        events++;
        DiskState state = states.get(event.disk());
        if (state == null) {
          throw new IllegalStateException(
              "workload wrote to a disk it did not declare: disk=" + event.disk());
        }
        if (event instanceof WorkloadEvent.Extend x) {
          state.disk.extend(x.newCapacity());
          diskExtensions++;
        } else {
          WorkloadEvent.Write e = (WorkloadEvent.Write) event;
          Write w = new Write(++writes, e.disk(), e.offset(), e.length(), e.source(), e.position());
          if (pool == null) {
            state.disk.recordWrite(w.offset(), w.length());
            state.applyDirect(w);
          } else {
            pool.submit(state, w);
          }
          writesSinceRound++;
        }

        boolean due = false;
        if (config.snapshotEveryWrites() > 0) {
          due = writesSinceRound >= config.snapshotEveryWrites();
        } else if (config.snapshotEveryNanos() > 0) {
          latestTime = Math.max(latestTime, event.timeNanos());
          if (nextRoundAt == Long.MIN_VALUE) {
            nextRoundAt = saturatingAdd(event.timeNanos(), config.snapshotEveryNanos());
          } else if (latestTime >= nextRoundAt && nextRoundAt != Long.MAX_VALUE) {
            // (A schedule saturated at the end of the clock has no next round: times read past it
            // are capped there too, and would otherwise all be due.)
            // One round however far the clock jumped (traces have gaps, files their own epochs).
            due = true;
            long every = config.snapshotEveryNanos();
            long rounds = (latestTime - nextRoundAt) / every + 1;
            nextRoundAt = saturatingAdd(nextRoundAt, saturatingMultiply(rounds, every));
          }
        }
        if (due) {
          backupRound();
          writesSinceRound = 0;
        }
        progress.update(events, backups.size());
      }

      // Drain the writers, then back up whatever the last round did not settle.
      if (pool != null) {
        pool.finish();
        pool = null;
      }
      backupRound();
      progress.finish();
      replayNanos = System.nanoTime() - replayStart;
      long engineBytesAtEnd = engineTrackingBytes();

      for (DiskState s : states.values()) {
        trackedBlocks += (s.disk.capacityBytes() + s.disk.blockSize() - 1) / s.disk.blockSize();
      }
      if (engineBytesAtEnd >= 0) {
        engineHeap = engineBytesAtEnd;
        engineHeapCounted = true;
      } else if (config.measureHeap()) {
        long withEngine = usedHeapAfterGc();
        for (DiskState s : states.values()) {
          s.disk = null;
        }
        engine.close();
        engine = null;
        long withoutEngine = usedHeapAfterGc();
        engineHeap = Math.max(0, withEngine - withoutEngine);
      }
    } finally {
      if (pool != null) {
        pool.abort();
      }
      if (engine != null) {
        engine.close();
      }
    }

    TraceCounters counters = workload.counters();
    return new SimulationReport(
        workload.description(),
        config.describe(),
        counters.requests(),
        counters.reads(),
        writes,
        counters.skipsByReason(),
        states.size(),
        trackedBlocks,
        diskExtensions,
        backups.size(),
        backups,
        missedWrites.size(),
        missedRanges,
        protocolViolations,
        replayNanos,
        backupNanos,
        queryLatency.getTotalCount() == 0 ? 0 : queryLatency.getValueAtPercentile(50),
        queryLatency.getTotalCount() == 0 ? 0 : queryLatency.getValueAtPercentile(99),
        queryLatency.getMaxValue(),
        queryLatency.getTotalCount(),
        engineHeap,
        engineHeapCounted ? engineBytesPeak : -1,
        engineHeapCounted,
        config.threads());
  }

  private void backupRound() {
    for (DiskState s : states.values()) {
      if (s.dirty()) {
        backup(s);
      }
    }
    engineBytesPeak = Math.max(engineBytesPeak, engineTrackingBytes());
  }

  /**
   * The heap the engine's own footprint counter reports for its tracking state, summed over the
   * disks, or -1 if the engine has no such counter. Only the epoch engine has one; it is not part
   * of the contract.
   */
  private long engineTrackingBytes() {
    long sum = 0;
    for (DiskState s : states.values()) {
      if (!(s.disk instanceof EpochTrackedDisk e)) {
        return -1;
      }
      sum += e.trackingHeapBytes();
    }
    return sum;
  }

  /** One backup of one disk, checked against the truth; see the implementation notes. */
  private void backup(DiskState s) {
    long start = System.nanoTime();

    // Cut the snapshot, freezing the truth around the call.
    DiskState.SnapshotStart cut = s.beforeSnapshot();
    SnapshotInfo info = s.disk.createSnapshot();
    SnapshotTruth snapshot = s.afterSnapshot(cut, info.capacityBytes());
    boolean full = s.lastChangeId == null;
    String from = full ? "*" : s.lastChangeId.toString();
    long capacity = info.capacityBytes();

    // The paging loop of a backup client, copying each reported extent into the image.
    ByteRangeMap<Boolean> reported = new ByteRangeMap<>();
    long offset = 0;
    long replies = 0;
    long extents = 0;
    long reportedBytes = 0;
    long queryNanos = 0;
    while (offset < capacity) {
      long q0 = System.nanoTime();
      DiskChangeInfo reply = s.disk.queryChangedDiskAreas(info.id(), offset, from);
      long took = System.nanoTime() - q0;
      queryLatency.recordValue(took);
      queryNanos += took;
      replies++;
      String problem = replyProblem(reply, offset, capacity);
      if (problem != null) {
        protocolViolations++;
        out.println(
            "MALFORMED REPLY disk="
                + s.id
                + " snapshot="
                + info.id()
                + " changeId="
                + from
                + ": "
                + problem);
        break;
      }
      for (DiskChangeExtent e : reply.changedArea()) {
        reported.assign(e.start(), e.end(), Boolean.TRUE);
        s.image.copyFrom(snapshot, e.start(), e.end());
        extents++;
        reportedBytes += e.length();
      }
      offset = reply.end();
    }
    s.disk.deleteSnapshot(info.id());

    // The image must now hold what the disk held, and the writes certainly in flight at the
    // previous snapshot must have been reported in this interval.
    // Outside the bytes written since the previous snapshot, the extents copied now and the bytes
    // uncertain at the previous snapshot, neither the disk nor the image changed since the last
    // check: comparing there would only repeat it.
    ByteRangeMap<Boolean> region = snapshot.written().copy();
    reported.visit(
        0,
        capacity,
        (a, b, v) -> {
          if (v != null) {
            region.assign(a, b, Boolean.TRUE);
          }
        });
    for (Write w : s.lastSnapshot.inFlight()) {
      region.assign(w.offset(), Math.min(w.end(), capacity), Boolean.TRUE);
    }
    List<MissedRange> misses = new ArrayList<>(s.image.compareWithin(snapshot, region));
    misses.addAll(unreported(s.id, s.lastSnapshot.mustReportAfter(), reported, capacity));
    for (MissedRange m : misses) {
      if (missedRanges < config.maxMissesPrinted()) {
        out.println("MISSED WRITE backup=" + (s.backups + 1) + " " + m);
      }
      missedRanges++;
      missedWrites.add(m.expected());
    }
    if (!misses.isEmpty()) {
      s.image.repairFrom(snapshot);
    }

    long changed = snapshot.written().coveredBytes(0, capacity);
    s.backups++;
    backups.add(
        new BackupStats(
            s.id,
            s.backups,
            full,
            info.id().value(),
            from,
            capacity,
            changed,
            reportedBytes,
            extents,
            replies,
            snapshot.inFlight().size(),
            snapshot.mustReportAfter().size(),
            misses.size(),
            queryNanos));
    s.lastChangeId = info.changeId();
    s.lastSnapshot = snapshot;
    backupNanos += System.nanoTime() - start;
  }

  /**
   * The bytes of {@code mustReport} (writes certainly open during the previous snapshot) that the
   * reported extents of this backup leave out: the contract makes the engine report such a write in
   * the interval after that snapshot.
   */
  static List<MissedRange> unreported(
      String disk, List<Write> mustReport, ByteRangeMap<Boolean> reported, long capacity) {
    List<MissedRange> misses = new ArrayList<>();
    for (Write w : mustReport) {
      reported.visit(
          w.offset(),
          Math.min(w.end(), capacity),
          (a, b, v) -> {
            if (v == null) {
              misses.add(
                  new MissedRange(
                      disk,
                      a,
                      b,
                      w,
                      null,
                      "write in flight at the previous snapshot not reported in the next"
                          + " interval"));
            }
          });
    }
    return misses;
  }

  /** What is wrong with a reply by the contract's invariants, or {@code null}. */
  static String replyProblem(DiskChangeInfo reply, long requested, long capacity) {
    if (reply.startOffset() != requested) {
      return "startOffset differs from the request: startOffset="
          + reply.startOffset()
          + ", requested="
          + requested;
    }
    if (reply.length() <= 0) {
      return "empty window: length=" + reply.length();
    }
    if (reply.end() > capacity) {
      return "window past the capacity: end=" + reply.end() + ", capacity=" + capacity;
    }
    long previousEnd = -1;
    for (DiskChangeExtent e : reply.changedArea()) {
      if (e.start() < reply.startOffset() || e.end() > reply.end()) {
        return "extent outside the window: extent=["
            + e.start()
            + ", "
            + e.end()
            + "), window=["
            + reply.startOffset()
            + ", "
            + reply.end()
            + ")";
      }
      if (e.start() <= previousEnd) {
        return "extents not sorted, overlapping or not coalesced: extent=["
            + e.start()
            + ", "
            + e.end()
            + "), previousEnd="
            + previousEnd;
      }
      previousEnd = e.end();
    }
    return null;
  }

  /** {@code a + b} for {@code b >= 0}, or {@link Long#MAX_VALUE} if that overflows. */
  private static long saturatingAdd(long a, long b) {
    long sum = a + b;
    return sum < a ? Long.MAX_VALUE : sum;
  }

  /** {@code a * b} for non-negative operands, or {@link Long#MAX_VALUE} if that overflows. */
  private static long saturatingMultiply(long a, long b) {
    return Math.multiplyHigh(a, b) != 0 || a * b < 0 ? Long.MAX_VALUE : a * b;
  }

  private static long usedHeapAfterGc() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }

  /**
   * Writer threads, each with its own queue. A write goes through enter, {@code beginWrite},
   * landing in the truth, close, as {@link DiskState} describes. A failure in a writer is kept and
   * rethrown on the dispatching thread.
   */
  private static final class WriterPool {
    private static final Object POISON = new Object();

    private final List<Thread> threads = new ArrayList<>();
    private final List<BlockingQueue<Object>> queues = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private int next;

    WriterPool(int count) {
      for (int i = 0; i < count; i++) {
        BlockingQueue<Object> queue = new ArrayBlockingQueue<>(256);
        queues.add(queue);
        Thread t = new Thread(() -> work(queue), "cbt-sim-writer-" + i);
        t.setDaemon(true);
        threads.add(t);
        t.start();
      }
    }

    void submit(DiskState state, Write w) {
      rethrow();
      try {
        queues.get(next).put(new Task(state, w));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while dealing writes", e);
      }
      next = (next + 1) % queues.size();
    }

    private void work(BlockingQueue<Object> queue) {
      while (true) {
        Object item;
        try {
          item = queue.take();
        } catch (InterruptedException e) {
          return;
        }
        if (item == POISON) {
          return;
        }
        if (failure.get() != null) {
          continue;
        }
        Task task = (Task) item;
        try {
          DiskState.InFlight f = new DiskState.InFlight(task.write);
          task.state.enter(f);
          try (WriteScope scope =
              task.state.disk.beginWrite(task.write.offset(), task.write.length())) {
            task.state.opened(f);
            task.state.landed(f);
            // Let a snapshot overlap the data write now and then.
            Thread.yield();
            task.state.closing(f);
          }
          task.state.left(f);
        } catch (Throwable t) {
          failure.compareAndSet(null, t);
        }
      }
    }

    /** Waits until every queued write is done. */
    void finish() {
      for (BlockingQueue<Object> q : queues) {
        try {
          q.put(POISON);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while stopping writers", e);
        }
      }
      for (Thread t : threads) {
        try {
          t.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while stopping writers", e);
        }
      }
      rethrow();
    }

    void abort() {
      for (Thread t : threads) {
        t.interrupt();
      }
    }

    private void rethrow() {
      Throwable t = failure.get();
      if (t instanceof RuntimeException r) {
        throw r;
      }
      if (t instanceof Error e) {
        throw e;
      }
      if (t != null) {
        throw new IllegalStateException("writer failed", t);
      }
    }

    private record Task(DiskState state, Write write) {}
  }
}
