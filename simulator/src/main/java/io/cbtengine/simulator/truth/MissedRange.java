package io.cbtengine.simulator.truth;

/**
 * Bytes {@code [start, end)} of a disk where a backup image does not hold what the disk held at the
 * snapshot: the backup missed {@code expected}.
 *
 * @param disk the disk id
 * @param start the first byte that differs
 * @param end the first byte after them
 * @param expected the write the disk held there at the snapshot
 * @param found what the image holds, or {@code null} for nothing copied
 * @param reason why the range is a miss, in words
 */
public record MissedRange(
    String disk, long start, long end, Write expected, Candidates found, String reason) {
  @Override
  public String toString() {
    return "disk="
        + disk
        + " bytes=["
        + start
        + ", "
        + end
        + ") length="
        + (end - start)
        + ": "
        + reason
        + ": "
        + expected
        + "; image holds "
        + (found == null ? "initial content" : found.toString());
  }
}
