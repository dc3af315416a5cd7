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
 * The snapshot cut and the freeze of the cut epoch, with a writer running.
 *
 * <p>Implementation notes. Every iteration builds a fresh tracker (outside the measurement) whose
 * open epoch holds {@code dirtyBlocks} random blocks, with a {@link BackgroundWriter} marking
 * random 4 KiB writes into it all along, then measures one call:
 *
 * <ul>
 *   <li>{@code cut}: {@code createSnapshot} alone, as its caller sees it.
 *   <li>{@code cutAndFirstQuery}: the cut, then the complete answer for the cut epoch. The engine
 *       freezes in the background, so this first query pays for the freeze (it waits for it or does
 *       it); baselines compact inside their cut.
 *   <li>{@code queryFrozen}: the same answer on an epoch frozen before the measurement. The engine
 *       caches the last union it computed, so the epoch is frozen by a query of another interval
 *       (snapshot 1 is cut before any dirt, and freezing asks for 0..2 while the measure asks for
 *       1..2: same answer, different interval). Freeze cost = cutAndFirstQuery - queryFrozen - cut.
 * </ul>
 *
 * The pause the cut causes to writers is measured by {@link CutPauseProbe}, which needs a
 * percentile over many cuts that a JMH score cannot carry.
 */
@State(Scope.Benchmark)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch"})
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 10)
public class SnapshotCutBenchmark {
  public static final long CAPACITY = RecordWriteBenchmark.CAPACITY;

  @Param({"engine", "floor", "syncRoaring", "lockedBitSet", "rangeSet"})
  public String impl;

  @Param({"1000000"})
  public int dirtyBlocks;

  @Param({"65536"})
  public int blockSize;

  /** Tests turn the writer off for {@code floor}, whose unsynchronized marks lose bits under it. */
  boolean runWriter = true;

  int[] dirty;
  BackgroundWriter writer;
  WriteTracker tracker;

  @Setup(Level.Trial)
  public void startWriter() {
    dirty = DirtySets.randomBlocks(dirtyBlocks, (int) (CAPACITY / blockSize), 11);
    writer = new BackgroundWriter(RecordWriteBenchmark.randomOffsets(1 << 16, CAPACITY, 4096, 3));
  }

  @TearDown(Level.Trial)
  public void stopWriter() {
    writer.close();
  }

  /** Snapshot 1 cut on an empty epoch, then epoch 2 open with the dirty blocks and the writer. */
  @Setup(Level.Iteration)
  public void dirtyOpenEpoch() {
    tracker = TrackerKind.of(impl).create(CAPACITY, blockSize);
    tracker.snapshot();
    if (runWriter) {
      writer.writeTo(tracker);
    }
    for (int block : dirty) {
      tracker.mark((long) block * blockSize, 4096);
    }
  }

  @TearDown(Level.Iteration)
  public void closeTracker() {
    writer.detach();
    tracker.close();
  }

  /** The epoch of {@link #dirtyOpenEpoch}, already cut and frozen. */
  @State(Scope.Benchmark)
  public static class FrozenEpoch {
    @Setup(Level.Iteration)
    public void cutAndFreeze(SnapshotCutBenchmark bench) {
      // Runs after the benchmark state's own iteration setup: the epoch is dirty.
      bench.tracker.snapshot();
      bench.tracker.changedExtents(0, 2);
    }
  }

  @Benchmark
  public int cut() {
    return tracker.snapshot();
  }

  @Benchmark
  public List<DiskChangeExtent> cutAndFirstQuery() {
    int snapshot = tracker.snapshot();
    return tracker.changedExtents(snapshot - 1, snapshot);
  }

  @Benchmark
  public List<DiskChangeExtent> queryFrozen(FrozenEpoch frozen) {
    return tracker.changedExtents(1, 2);
  }
}
