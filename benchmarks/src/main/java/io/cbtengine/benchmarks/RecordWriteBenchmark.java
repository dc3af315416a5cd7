package io.cbtengine.benchmarks;

import java.util.SplittableRandom;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * The write path: the cost of marking one write, for the engine and every baseline.
 *
 * <p>Implementation notes. A random write must hit a clean block to measure the first-touch path,
 * but a 2 TiB disk at 64 KiB blocks has only 2^25 blocks, which a fast tracker dirties within a
 * second. So the fresh-block benchmarks run in single-shot mode: each iteration is one batch of
 * {@value #BATCH} calls per thread against a tracker created just before it (outside the
 * measurement), and the score is the time of the batch; ns per write is score / batch. With 2^20
 * random 4 KiB-aligned writes over 2^25 blocks, under 2 % of them hit a block already dirty.
 * Offsets come from a pre-generated array, so the measured loop holds no random generator. The
 * already-dirty benchmark marks the same offsets in advance and cycles over them in average-time
 * mode. The sequential benchmarks also start each batch on a fresh tracker; 2^20 writes of 1 MiB
 * cover half the disk, so they never wrap.
 */
@State(Scope.Benchmark)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch"})
public class RecordWriteBenchmark {
  /** The disk: 2 TiB. */
  public static final long CAPACITY = 2L << 40;

  /** Writes per thread per single-shot iteration. */
  public static final int BATCH = 1 << 20;

  /** The random writes' size: 4 KiB, 4 KiB-aligned. */
  public static final int RANDOM_WRITE = 4096;

  @Param({"engine", "floor", "syncRoaring", "lockedBitSet", "rangeSet"})
  public String impl;

  /** Tracking granularity; the engine's default. */
  @Param({"65536"})
  public int blockSize;

  /**
   * {@code 2 * BATCH} random offsets: thread {@code t} uses {@code [t * BATCH, (t + 1) * BATCH)}.
   */
  long[] randomOffsets;

  @Setup(Level.Trial)
  public void generateOffsets() {
    randomOffsets = randomOffsets(2 * BATCH, CAPACITY, RANDOM_WRITE, 42);
  }

  /** {@code count} random {@code align}-aligned offsets of {@code align}-byte writes. */
  static long[] randomOffsets(int count, long capacity, int align, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    long slots = capacity / align;
    long[] offsets = new long[count];
    for (int i = 0; i < count; i++) {
      offsets[i] = random.nextLong(slots) * align;
    }
    return offsets;
  }

  /** A tracker created empty before every iteration. */
  @State(Scope.Benchmark)
  public static class FreshTracker {
    WriteTracker tracker;

    @Setup(Level.Iteration)
    public void open(RecordWriteBenchmark bench) {
      tracker = TrackerKind.of(bench.impl).create(CAPACITY, bench.blockSize);
    }

    @TearDown(Level.Iteration)
    public void close() {
      tracker.close();
    }
  }

  /** A tracker in which every offset of the first batch is already marked. */
  @State(Scope.Benchmark)
  public static class DirtyTracker {
    WriteTracker tracker;

    @Setup(Level.Trial)
    public void open(RecordWriteBenchmark bench) {
      tracker = TrackerKind.of(bench.impl).create(CAPACITY, bench.blockSize);
      for (int i = 0; i < BATCH; i++) {
        tracker.mark(bench.randomOffsets[i], RANDOM_WRITE);
      }
    }

    @TearDown(Level.Trial)
    public void close() {
      tracker.close();
    }
  }

  /** Each thread's position in its offsets and in its sequential stream. */
  @State(Scope.Thread)
  public static class Cursor {
    int base;
    int next;
    long sequential;

    @Setup(Level.Iteration)
    public void reset(ThreadParams thread) {
      reset(thread.getThreadIndex());
    }

    void reset(int threadIndex) {
      base = threadIndex * BATCH;
      next = 0;
      // Two threads writing sequentially do so in separate halves of the disk.
      sequential = threadIndex * (CAPACITY / 2);
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 5, batchSize = BATCH)
  @Measurement(iterations = 10, batchSize = BATCH)
  public void randomWrite(FreshTracker fresh, Cursor cursor) {
    fresh.tracker.mark(randomOffsets[cursor.base + (cursor.next++ & (BATCH - 1))], RANDOM_WRITE);
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 5, batchSize = BATCH)
  @Measurement(iterations = 10, batchSize = BATCH)
  @Threads(2)
  public void randomWrite2Threads(FreshTracker fresh, Cursor cursor) {
    fresh.tracker.mark(randomOffsets[cursor.base + (cursor.next++ & (BATCH - 1))], RANDOM_WRITE);
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  @Warmup(iterations = 5, time = 1)
  @Measurement(iterations = 5, time = 1)
  public void dirtyWrite(DirtyTracker dirty, Cursor cursor) {
    dirty.tracker.mark(randomOffsets[cursor.next++ & (BATCH - 1)], RANDOM_WRITE);
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 5, batchSize = BATCH)
  @Measurement(iterations = 10, batchSize = BATCH)
  public void sequentialWrite64KiB(FreshTracker fresh, Cursor cursor) {
    sequentialWrite(fresh.tracker, cursor, 64 * 1024);
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 5, batchSize = BATCH)
  @Measurement(iterations = 10, batchSize = BATCH)
  public void sequentialWrite1MiB(FreshTracker fresh, Cursor cursor) {
    sequentialWrite(fresh.tracker, cursor, 1024 * 1024);
  }

  private static void sequentialWrite(WriteTracker tracker, Cursor cursor, int size) {
    long offset = cursor.sequential;
    if (offset + size > CAPACITY) {
      offset = 0;
    }
    tracker.mark(offset, size);
    cursor.sequential = offset + size;
  }
}
