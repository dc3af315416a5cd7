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
 * The cost of a long interval: the complete answer for an interval of 1, 16, 256 or 4096 epochs, on
 * a 2 TiB disk at 64 KiB blocks where every epoch rewrites the same {@code hotBlocks} random
 * blocks. The answer is the same for every interval length, so the ratio of two scores is the price
 * of the epochs alone, not of a bigger answer.
 *
 * <p>Implementation notes. Snapshot 1 closes an empty epoch; snapshots 2..epochs+1 each close one
 * epoch of hot writes. Invocations alternate between intervals 1..epochs+1 and 0..epochs+1 (one
 * more epoch, empty), so the engine's cache of the last union never serves a whole loop. Baselines
 * that keep a dense bitmap per epoch ({@code floor}, {@code lockedBitSet}) would need 4 MiB per
 * epoch, 16 GiB for 4096 epochs, and are left out.
 *
 * <p>The setup cuts an epoch every ~0.2 ms, far faster than the engine's background freezer
 * compresses them, and each unfrozen epoch holds ~4 MiB of dense pages: left alone the backlog
 * exhausts a 4 GiB heap before 1,000 epochs. So the setup asks a query every {@value #FREEZE_EVERY}
 * epochs, which freezes them; the measurement is unaffected.
 */
@State(Scope.Benchmark)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch"})
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class IntervalQueryBenchmark {
  public static final long CAPACITY = RecordWriteBenchmark.CAPACITY;

  @Param({"engine", "syncRoaring", "rangeSet"})
  public String impl;

  @Param({"1", "16", "256", "4096"})
  public int epochs;

  @Param({"4096"})
  public int hotBlocks;

  @Param({"65536"})
  public int blockSize;

  /** Setup forces the freeze of the epochs written so far every this many snapshots. */
  static final int FREEZE_EVERY = 64;

  WriteTracker tracker;
  int from;

  @Setup(Level.Trial)
  public void writeHistory() {
    int[] hot = DirtySets.randomBlocks(hotBlocks, (int) (CAPACITY / blockSize), 9);
    tracker = TrackerKind.of(impl).create(CAPACITY, blockSize);
    tracker.snapshot();
    for (int e = 0; e < epochs; e++) {
      for (int block : hot) {
        tracker.mark((long) block * blockSize, 4096);
      }
      int snapshot = tracker.snapshot();
      // Writing an epoch takes far less than freezing it: let the freezes keep up (see notes).
      if (snapshot % FREEZE_EVERY == 0) {
        tracker.changedExtents(snapshot - FREEZE_EVERY, snapshot);
      }
    }
    tracker.changedExtents(0, epochs + 1);
  }

  @TearDown(Level.Trial)
  public void close() {
    tracker.close();
  }

  @Benchmark
  public List<DiskChangeExtent> intervalQuery() {
    from ^= 1;
    return tracker.changedExtents(from, epochs + 1);
  }
}
