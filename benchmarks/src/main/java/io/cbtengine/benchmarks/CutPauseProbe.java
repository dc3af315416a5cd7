package io.cbtengine.benchmarks;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The pause a snapshot cut causes to a writer that keeps writing through it: the figure a JMH score
 * cannot carry, because it is a percentile over many cuts of what another thread saw.
 *
 * <p>Each cut: the open epoch is given {@code dirtyBlocks} random dirty blocks while a {@link
 * BackgroundWriter} writes; the writer's latency recorder is reset; the cut is taken; the probe
 * waits until the writer has completed 100 more writes; the writer's latencies of that window are
 * collected. The <em>stall</em> of the cut is the longest single write of the window: if the cut
 * blocks writers, the blocked write shows it. Reported: per-cut stall and cut duration as
 * percentiles over the cuts, and the latency percentiles of all writes inside the windows.
 *
 * <p>What it does not isolate: on a machine with fewer free cores than runnable threads (writer,
 * the engine's freezer, other tenants), a descheduled writer shows an OS time slice as a stall.
 * Garbage collection pauses stop the writer too; cuts whose window saw a collection are counted,
 * and the stall p99 is also given over the other cuts. Trackers are kept for {@value
 * #CUTS_PER_TRACKER} cuts, so the freezes of earlier epochs run in the background as they would in
 * service, then replaced to bound memory.
 */
public final class CutPauseProbe {
  static final int CUTS_PER_TRACKER = 10;
  private static final int WARMUP_CUTS = 5;

  private CutPauseProbe() {}

  /** The figures of one implementation, in nanoseconds. */
  public record Result(
      String impl,
      int cuts,
      Histogram stalls,
      Histogram cutTimes,
      Histogram window,
      Histogram stallsWithoutGc,
      int cutsWithGc) {
    /** Named figures in microseconds, for the report. */
    public Map<String, Double> figuresMicros() {
      Map<String, Double> f = new LinkedHashMap<>();
      f.put("stall p50", stalls.getValueAtPercentile(50) / 1e3);
      f.put("stall p99", stalls.getValueAtPercentile(99) / 1e3);
      f.put("stall max", stalls.getMaxValue() / 1e3);
      f.put(
          "stall p99, cuts without GC",
          stallsWithoutGc.getTotalCount() == 0
              ? Double.NaN
              : stallsWithoutGc.getValueAtPercentile(99) / 1e3);
      f.put("cuts with a GC in the window", (double) cutsWithGc);
      f.put("cut p50", cutTimes.getValueAtPercentile(50) / 1e3);
      f.put("cut p99", cutTimes.getValueAtPercentile(99) / 1e3);
      f.put("write p99 in window", window.getValueAtPercentile(99) / 1e3);
      f.put("write p99.9 in window", window.getValueAtPercentile(99.9) / 1e3);
      return f;
    }
  }

  /** Measures {@code cuts} cuts (after a few unrecorded warm-up cuts) of one implementation. */
  public static Result measure(
      TrackerKind kind, long capacity, int blockSize, int dirtyBlocks, int cuts) {
    int[] dirty = DirtySets.randomBlocks(dirtyBlocks, (int) (capacity / blockSize), 11);
    Histogram stalls = new Histogram(3);
    Histogram cutTimes = new Histogram(3);
    Histogram window = new Histogram(3);
    Histogram stallsWithoutGc = new Histogram(3);
    int cutsWithGc = 0;
    long[] writerOffsets = RecordWriteBenchmark.randomOffsets(1 << 16, capacity, 4096, 3);

    try (BackgroundWriter writer = new BackgroundWriter(writerOffsets)) {
      WriteTracker tracker = null;
      try {
        for (int cut = -WARMUP_CUTS; cut < cuts; cut++) {
          // A fresh tracker every few cuts bounds the memory of kept epochs.
          if ((cut + WARMUP_CUTS) % CUTS_PER_TRACKER == 0) {
            if (tracker != null) {
              writer.detach();
              tracker.close();
            }
            tracker = kind.create(capacity, blockSize);
            writer.writeTo(tracker);
          }
          for (int block : dirty) {
            tracker.mark((long) block * blockSize, 4096);
          }

          writer.intervalLatencies();
          long gcBefore = gcCount();
          long start = System.nanoTime();
          tracker.snapshot();
          long cutNanos = System.nanoTime() - start;
          writer.awaitWrites(writer.writes(), 100);
          Histogram latencies = writer.intervalLatencies();
          boolean gc = gcCount() != gcBefore;

          if (cut >= 0) {
            stalls.recordValue(latencies.getMaxValue());
            if (gc) {
              cutsWithGc++;
            } else {
              stallsWithoutGc.recordValue(latencies.getMaxValue());
            }
            cutTimes.recordValue(cutNanos);
            window.add(latencies);
          }
        }
      } finally {
        if (tracker != null) {
          writer.detach();
          tracker.close();
        }
      }
    }
    return new Result(
        kind.paramName(), cuts, stalls, cutTimes, window, stallsWithoutGc, cutsWithGc);
  }

  /** Collections so far, over every collector of this JVM. */
  private static long gcCount() {
    long n = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      n += Math.max(0, gc.getCollectionCount());
    }
    return n;
  }

  /**
   * {@code CutPauseProbe [impl,impl,...] [cuts] [dirtyBlocks]}: prints the figures, in
   * microseconds; defaults {@code engine}, 30 cuts, 10^6 dirty blocks per cut.
   */
  public static void main(String[] args) {
    String[] impls = args.length > 0 ? args[0].split(",") : new String[] {"engine"};
    int cuts = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    for (String impl : impls) {
      Result r =
          measure(
              TrackerKind.of(impl),
              RecordWriteBenchmark.CAPACITY,
              65536,
              args.length > 2 ? Integer.parseInt(args[2]) : 1_000_000,
              cuts);
      System.out.println(impl + " " + r.figuresMicros());
    }
  }
}
