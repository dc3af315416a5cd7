package io.cbtengine.benchmarks;

import io.cbtengine.api.DiskChangeExtent;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The full-disk query: a backup client's complete paging loop over a 2 TiB disk at 64 KiB blocks
 * (2^25 blocks) with 0.1 %, 1 % or 10 % of its blocks dirty at random, i.e. about as many extents.
 *
 * <p>Implementation notes. Snapshot 1 is cut on an empty epoch, then the dirty blocks are marked
 * and snapshot 2 is cut and frozen (by a first query) during setup. Invocations alternate between
 * the intervals 0..2 and 1..2: the same answer, but a different interval each time, so the engine's
 * cache of the last union it computed never serves a whole loop; every measured loop pays for its
 * union once, as a backup client asking once per backup does.
 */
@State(Scope.Benchmark)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch"})
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class QueryBenchmark {
  public static final long CAPACITY = RecordWriteBenchmark.CAPACITY;

  @Param({"engine", "floor", "syncRoaring", "lockedBitSet", "rangeSet"})
  public String impl;

  @Param({"0.001", "0.01", "0.1"})
  public double dirtyFraction;

  @Param({"65536"})
  public int blockSize;

  WriteTracker tracker;
  int from;

  @Setup(Level.Trial)
  public void dirtyAndFreeze() {
    int blocks = (int) (CAPACITY / blockSize);
    int[] dirty = DirtySets.randomBlocks((int) Math.round(blocks * dirtyFraction), blocks, 5);
    tracker = TrackerKind.of(impl).create(CAPACITY, blockSize);
    tracker.snapshot();
    for (int block : dirty) {
      tracker.mark((long) block * blockSize, 4096);
    }
    tracker.snapshot();
    tracker.changedExtents(0, 2);
  }

  @TearDown(Level.Trial)
  public void close() {
    tracker.close();
  }

  @Benchmark
  public List<DiskChangeExtent> fullDiskPagingLoop() {
    from ^= 1;
    return tracker.changedExtents(from, 2);
  }
}
