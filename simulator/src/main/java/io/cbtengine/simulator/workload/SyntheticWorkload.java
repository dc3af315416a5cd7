package io.cbtengine.simulator.workload;

import io.cbtengine.simulator.trace.TraceCounters;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The built-in workload of {@code cbt-sim run}: four disks with different write patterns, fully
 * determined by a seed, so that every run with the same arguments replays the same writes.
 *
 * <ul>
 *   <li>{@code syn-db} (1 GiB): a database; 90 % of its 4 to 16 KiB writes, 4 KiB aligned, fall in
 *       a 32 MiB hot set, the rest anywhere.
 *   <li>{@code syn-log} (512 MiB): a log; one sequential stream of 64 to 256 KiB writes that wraps
 *       around at the end of the disk.
 *   <li>{@code syn-vm} (2 GiB): a general-purpose VM disk; small random writes of 512 B to 16 KiB
 *       on 512-byte boundaries, so most straddle or fall inside tracking blocks.
 *   <li>{@code syn-grow} (256 MiB, then 768 MiB): sequential runs and random writes; halfway
 *       through the workload the disk is extended, and from then on half its writes land in the new
 *       space.
 * </ul>
 *
 * <p>Writes are spaced 100 microseconds apart in workload time; a write's position is its number,
 * from 1. Not thread-safe.
 */
public final class SyntheticWorkload implements Workload {
  /** The default number of writes. */
  public static final long DEFAULT_WRITES = 200_000;

  /** The default seed. */
  public static final long DEFAULT_SEED = 20_260_101L;

  private static final long KIB = 1024;
  private static final long MIB = 1024 * KIB;
  private static final long GIB = 1024 * MIB;
  private static final long STEP_NANOS = 100_000;

  private static final long DB_SIZE = GIB;
  private static final long DB_HOT = 32 * MIB;
  private static final long LOG_SIZE = 512 * MIB;
  private static final long VM_SIZE = 2 * GIB;
  private static final long GROW_SIZE = 256 * MIB;
  private static final long GROWN_SIZE = 768 * MIB;

  private final long writes;
  private final long seed;
  private final SplittableRandom random;
  private final TraceCounters counters = new TraceCounters();

  private long emitted;
  private boolean extended;
  private long logHead;
  private long growHead;
  private int growRunLeft;

  /**
   * @param writes the number of writes to generate, at least 2
   * @param seed the seed of the generator
   */
  public SyntheticWorkload(long writes, long seed) {
    if (writes < 2) {
      throw new IllegalArgumentException("need at least 2 writes: writes=" + writes);
    }
    this.writes = writes;
    this.seed = seed;
    this.random = new SplittableRandom(seed);
  }

  @Override
  public String description() {
    return "synthetic workload (" + writes + " writes, seed " + seed + ")";
  }

  @Override
  public List<DiskSpec> disks() {
    return List.of(
        new DiskSpec("syn-db", DB_SIZE),
        new DiskSpec("syn-log", LOG_SIZE),
        new DiskSpec("syn-vm", VM_SIZE),
        new DiskSpec("syn-grow", GROW_SIZE));
  }

  @Override
  public long expectedEvents() {
    return writes + 1;
  }

  @Override
  public WorkloadEvent next() {
    if (emitted >= writes) {
      return null;
    }
    long time = emitted * STEP_NANOS;

    // Halfway through, syn-grow grows; the event takes no write slot.
    if (!extended && emitted == writes / 2) {
      extended = true;
      return new WorkloadEvent.Extend("syn-grow", GROWN_SIZE, time);
    }
    emitted++;
    counters.countWrite();

    int pick = random.nextInt(100);
    if (pick < 40) {
      return dbWrite(time);
    } else if (pick < 60) {
      return logWrite(time);
    } else if (pick < 85) {
      return vmWrite(time);
    }
    return growWrite(time);
  }

  private WorkloadEvent dbWrite(long time) {
    long length = (1 + random.nextInt(4)) * 4 * KIB;
    long area = random.nextInt(10) < 9 ? DB_HOT : DB_SIZE;
    long offset = random.nextLong(area / (4 * KIB)) * 4 * KIB;
    offset = Math.min(offset, DB_SIZE - length);
    return write("syn-db", offset, length, time);
  }

  private WorkloadEvent logWrite(long time) {
    long length = (1 + random.nextInt(4)) * 64 * KIB;
    if (logHead + length > LOG_SIZE) {
      logHead = 0;
    }
    WorkloadEvent e = write("syn-log", logHead, length, time);
    logHead += length;
    return e;
  }

  private WorkloadEvent vmWrite(long time) {
    long length = (1 + random.nextInt(32)) * 512L;
    long offset = random.nextLong((VM_SIZE - length) / 512) * 512;
    return write("syn-vm", offset, length, time);
  }

  private WorkloadEvent growWrite(long time) {
    long capacity = extended ? GROWN_SIZE : GROW_SIZE;
    long length = (1 + random.nextInt(16)) * 4 * KIB;

    // Sequential runs of up to 64 writes, alternating with random writes.
    if (growRunLeft == 0 && random.nextInt(4) == 0) {
      growRunLeft = 1 + random.nextInt(64);
      long from = extended && random.nextBoolean() ? GROW_SIZE : 0;
      growHead = from + random.nextLong((capacity - from) / MIB) * MIB;
    }
    long offset;
    if (growRunLeft > 0) {
      growRunLeft--;
      if (growHead + length > capacity) {
        growHead = 0;
      }
      offset = growHead;
      growHead += length;
    } else {
      long from = extended && random.nextBoolean() ? GROW_SIZE : 0;
      offset = from + random.nextLong((capacity - from - length) / 4096) * 4096;
    }
    return write("syn-grow", offset, length, time);
  }

  private WorkloadEvent write(String disk, long offset, long length, long time) {
    return new WorkloadEvent.Write(disk, offset, length, time, "synthetic", emitted);
  }

  @Override
  public TraceCounters counters() {
    return counters;
  }

  @Override
  public void close() {}
}
