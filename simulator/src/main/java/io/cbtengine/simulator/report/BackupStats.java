package io.cbtengine.simulator.report;

/**
 * The figures of one backup of one disk.
 *
 * @param disk the disk id
 * @param number the backup's number on this disk, from 1
 * @param full whether it was a full backup (changeId {@code "*"})
 * @param snapshotId the snapshot queried
 * @param fromChangeId the changeId queried from
 * @param capacity the snapshot's capacity in bytes
 * @param bytesChanged bytes whose content changed since the previous backup's snapshot (since the
 *     start, for a full backup), as the truth model knows it
 * @param bytesReported bytes in the reported extents
 * @param extents reported extents, summed over the replies
 * @param replies {@code queryChangedDiskAreas} calls the paging loop made
 * @param writesInFlight writes possibly in flight while the snapshot was taken
 * @param writesOpenThroughout of those, writes whose scope was open during the whole snapshot call;
 *     the next backup must report them
 * @param missedRanges byte ranges the backup image got wrong
 * @param queryNanos time spent in queries
 */
public record BackupStats(
    String disk,
    int number,
    boolean full,
    String snapshotId,
    String fromChangeId,
    long capacity,
    long bytesChanged,
    long bytesReported,
    long extents,
    long replies,
    int writesInFlight,
    int writesOpenThroughout,
    int missedRanges,
    long queryNanos) {

  /** Reported bytes beyond the changed ones, in % of the changed ones; NaN if nothing changed. */
  public double falsePositivePercent() {
    if (bytesChanged == 0) {
      return Double.NaN;
    }
    return 100.0 * (bytesReported - bytesChanged) / bytesChanged;
  }
}
