package io.cbtengine.simulator.vsphere;

import io.cbtengine.api.CbtFault;
import io.cbtengine.api.ChangeTracker;
import io.cbtengine.api.DiskId;
import io.cbtengine.api.DiskOptions;
import io.cbtengine.api.TrackedDisk;
import io.cbtengine.simulator.workload.DiskSpec;
import io.cbtengine.simulator.workload.Workload;
import io.cbtengine.simulator.workload.WorkloadEvent;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Replays a {@link Workload} into the disks of a served engine on a thread of its own, so that a
 * backup client talking to {@link VsphereJsonServer} sees a live host: its disks change between and
 * during its backups. This is the hypervisor's side only; the client verifies its own backups.
 *
 * <p>Writes are recorded with {@link TrackedDisk#recordWrite} (the mark a hypervisor makes before
 * issuing a write), paced to at most {@code writesPerSecond} (0: as fast as the engine takes them).
 * An event the engine refuses (say, a client deleted the disk through the simulator's calls) is
 * counted as refused and the replay goes on. Disks missing from the engine are created first with
 * the trace's capacities. Thread-safe to start, stop and read counters from any thread.
 */
public final class LiveReplay implements AutoCloseable {
  private final ChangeTracker tracker;
  private final Workload workload;
  private final long writesPerSecond;
  private final PrintWriter out;
  private final AtomicLong writes = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final Thread thread;
  private volatile boolean stopped;

  private LiveReplay(
      ChangeTracker tracker, Workload workload, long writesPerSecond, PrintWriter out) {
    this.tracker = tracker;
    this.workload = workload;
    this.writesPerSecond = writesPerSecond;
    this.out = out;
    this.thread = new Thread(this::replay, "cbt-sim-live-replay");
    this.thread.setDaemon(true);
  }

  /**
   * Creates the workload's disks that the engine does not have yet, and returns a replay ready to
   * {@link #start()}. Takes ownership of {@code workload} and closes it when the replay ends.
   *
   * @param writesPerSecond the pace; 0 for no pacing
   * @param out where the end of the replay is announced
   */
  public static LiveReplay prepare(
      ChangeTracker tracker,
      Workload workload,
      DiskOptions options,
      long writesPerSecond,
      PrintWriter out) {
    if (writesPerSecond < 0) {
      throw new IllegalArgumentException("writesPerSecond is negative: " + writesPerSecond);
    }
    for (DiskSpec d : workload.disks()) {
      DiskId id = new DiskId(d.id());
      if (tracker.findDisk(id).isEmpty()) {
        tracker.createDisk(id, d.capacity(), options);
      }
    }
    return new LiveReplay(tracker, workload, writesPerSecond, out);
  }

  /** Starts replaying on a daemon thread. */
  public LiveReplay start() {
    thread.start();
    return this;
  }

  /** Waits for the replay to end (all events replayed, or {@link #close()}). */
  public void await(long timeout, TimeUnit unit) throws InterruptedException {
    thread.join(unit.toMillis(timeout));
  }

  public boolean finished() {
    return !thread.isAlive();
  }

  /** Writes recorded so far. */
  public long writes() {
    return writes.get();
  }

  /** Events the engine refused (the disk was deleted by a client, say). */
  public long refused() {
    return refused.get();
  }

  /** Stops the replay after the event in progress and waits for its thread. */
  @Override
  public void close() {
    stopped = true;
    thread.interrupt();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void replay() {
    long started = System.nanoTime();
    try (Workload w = workload) {
      for (WorkloadEvent e; !stopped && (e = w.next()) != null; ) {
        apply(e);
        pace(started);
      }
      out.println(
          "replay finished: "
              + writes.get()
              + " writes, "
              + refused.get()
              + " refused; "
              + w.description());
    } catch (InterruptedException e) {
      out.println("replay stopped: " + writes.get() + " writes");
    } catch (IOException | RuntimeException e) {
      out.println("replay failed after " + writes.get() + " writes: " + e.getMessage());
    } finally {
      out.flush();
    }
  }

  private void apply(WorkloadEvent e) {
    try {
      TrackedDisk disk = tracker.disk(new DiskId(e.disk()));
      if (e instanceof WorkloadEvent.Write w) {
        disk.recordWrite(w.offset(), w.length());
        writes.incrementAndGet();
      } else if (e instanceof WorkloadEvent.Extend x) {
        disk.extend(x.newCapacity());
      }
    } catch (CbtFault f) {
      refused.incrementAndGet();
    }
  }

  private void pace(long started) throws InterruptedException {
    if (writesPerSecond == 0) {
      return;
    }
    long due = started + writes.get() * TimeUnit.SECONDS.toNanos(1) / writesPerSecond;
    long wait = due - System.nanoTime();
    if (wait > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
  }
}
