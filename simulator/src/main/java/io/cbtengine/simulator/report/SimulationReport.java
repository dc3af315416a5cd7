package io.cbtengine.simulator.report;

import io.cbtengine.simulator.trace.SkipReason;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything a simulation measured. Immutable.
 *
 * @param workload what was replayed
 * @param settings the shaping and concurrency settings, in words
 * @param requests requests read from the workload (reads, writes and skipped records)
 * @param reads read requests (counted, not replayed)
 * @param writesReplayed writes applied to the engine
 * @param skips skipped records by reason
 * @param disks disks created
 * @param trackedBlocks blocks under tracking at the end, summed over the disks
 * @param diskExtensions disk extensions replayed
 * @param snapshots snapshots taken
 * @param backups one entry per backup
 * @param missedWrites distinct writes some backup missed
 * @param missedRanges byte ranges some backup image got wrong
 * @param protocolViolations replies that broke the query reply invariants
 * @param replayNanos wall time of the replay, backups included
 * @param backupNanos wall time spent in snapshots, queries and checks
 * @param queryP50Nanos median query latency
 * @param queryP99Nanos 99th percentile query latency
 * @param queryMaxNanos largest query latency
 * @param queries queries made
 * @param engineHeapBytes heap the engine's tracking state held at the end; -1 if not measured
 * @param engineHeapPeakBytes the largest such value seen after a backup round; -1 if unknown
 * @param engineHeapCounted whether the engine counted its heap itself (else a GC estimate)
 * @param threads writer threads, 0 for replay on the main thread
 */
public record SimulationReport(
    String workload,
    String settings,
    long requests,
    long reads,
    long writesReplayed,
    Map<SkipReason, Long> skips,
    int disks,
    long trackedBlocks,
    int diskExtensions,
    long snapshots,
    List<BackupStats> backups,
    long missedWrites,
    long missedRanges,
    long protocolViolations,
    long replayNanos,
    long backupNanos,
    long queryP50Nanos,
    long queryP99Nanos,
    long queryMaxNanos,
    long queries,
    long engineHeapBytes,
    long engineHeapPeakBytes,
    boolean engineHeapCounted,
    int threads) {

  public SimulationReport {
    skips = Map.copyOf(skips);
    backups = List.copyOf(backups);
  }

  /** Whether nothing was missed: every backup complete and every reply well-formed. */
  public boolean complete() {
    return missedWrites == 0 && missedRanges == 0 && protocolViolations == 0;
  }

  /**
   * Whether the run verified something and missed nothing: at least one write replayed, and {@link
   * #complete()}. A run that replayed no write verified nothing, and is not verified.
   */
  public boolean verified() {
    return writesReplayed > 0 && complete();
  }

  public long skippedTotal() {
    long sum = 0;
    for (long v : skips.values()) {
      sum += v;
    }
    return sum;
  }

  public long bytesChanged() {
    long sum = 0;
    for (BackupStats b : backups) {
      sum += b.bytesChanged();
    }
    return sum;
  }

  public long bytesReported() {
    long sum = 0;
    for (BackupStats b : backups) {
      sum += b.bytesReported();
    }
    return sum;
  }

  public long extents() {
    long sum = 0;
    for (BackupStats b : backups) {
      sum += b.extents();
    }
    return sum;
  }

  public long replies() {
    long sum = 0;
    for (BackupStats b : backups) {
      sum += b.replies();
    }
    return sum;
  }

  /** Reported bytes beyond the changed ones over all backups, in %; NaN if nothing changed. */
  public double falsePositivePercent() {
    long changed = bytesChanged();
    return changed == 0 ? Double.NaN : 100.0 * (bytesReported() - changed) / changed;
  }

  /** Writes replayed per second of replay wall time. */
  public double writesPerSecond() {
    return replayNanos == 0 ? 0 : writesReplayed * 1e9 / replayNanos;
  }

  /** Estimated engine heap per tracked block, or NaN if not measured. */
  public double engineBytesPerBlock() {
    return engineHeapBytes < 0 || trackedBlocks == 0
        ? Double.NaN
        : (double) engineHeapBytes / trackedBlocks;
  }

  /** {@code n} with thousands separators, as the report's table writes counts. */
  private static String grouped(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /**
   * The last line of a run: {@code verified: N backups, 0 missed writes}, a failure line, or, when
   * no write was replayed, a line saying that nothing was verified. The nouns stay plural for N =
   * 1, so that scripts match one pattern.
   */
  public String verdict() {
    if (writesReplayed == 0 && complete()) {
      return "nothing verified: no write was replayed ("
          + (skippedTotal() > 0
              ? grouped(skippedTotal()) + " records skipped, counted by reason above)"
              : "the workload has no write)");
    }
    if (verified()) {
      return "verified: " + grouped(backups.size()) + " backups, 0 missed writes";
    }
    String s =
        "FAILED: "
            + grouped(backups.size())
            + " backups, "
            + grouped(missedWrites)
            + " missed writes";
    if (protocolViolations > 0) {
      s += ", " + grouped(protocolViolations) + " malformed replies";
    }
    return s;
  }
}
