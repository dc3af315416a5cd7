package io.cbtengine.simulator.truth;

import java.util.List;

/**
 * What a disk held when a snapshot was taken, as far as the simulator can know it.
 *
 * <p>{@code content} is the disk's content frozen just before {@code createSnapshot} was called.
 * {@code inFlight} are the writes that were possibly in flight during the call (entered before it
 * returned and not finished before it began): the snapshot may hold the old content or theirs on
 * the bytes they touch, so those bytes are <em>uncertain</em>. {@code mustReportAfter} are the
 * writes whose scope was certainly open during the whole call: the contract makes the engine report
 * them in the interval after this snapshot. In single-threaded replay both lists are empty and the
 * content is exact.
 *
 * <p>Immutable once built; safe to read from any thread.
 */
public final class SnapshotTruth {
  private final ByteRangeMap<Write> content;
  private final ByteRangeMap<Boolean> written;
  private final ByteRangeMap<Candidates> uncertain;
  private final List<Write> inFlight;
  private final List<Write> mustReportAfter;
  private final long capacity;

  /**
   * @param content the disk content before the snapshot call, which this object then owns
   * @param written the bytes written since the previous snapshot's content was frozen, owned too
   * @param inFlight the writes possibly in flight during the call
   * @param mustReportAfter the writes certainly in flight during the whole call
   * @param capacity the snapshot's capacity in bytes
   */
  public SnapshotTruth(
      ByteRangeMap<Write> content,
      ByteRangeMap<Boolean> written,
      List<Write> inFlight,
      List<Write> mustReportAfter,
      long capacity) {
    this.content = content;
    this.written = written;
    this.inFlight = List.copyOf(inFlight);
    this.mustReportAfter = List.copyOf(mustReportAfter);
    this.capacity = capacity;
    this.uncertain = new ByteRangeMap<>();
    for (Write w : this.inFlight) {
      long end = Math.min(w.end(), capacity);
      ByteRangeMap<Candidates> add = new ByteRangeMap<>();
      uncertain.visit(
          w.offset(), end, (a, b, c) -> add.assign(a, b, c == null ? Candidates.of(w) : c.with(w)));
      add.visit(
          w.offset(),
          end,
          (a, b, c) -> {
            if (c != null) {
              uncertain.assign(a, b, c);
            }
          });
    }
  }

  /** An empty disk of {@code capacity} bytes: the state before the first backup. */
  public static SnapshotTruth empty(long capacity) {
    return new SnapshotTruth(
        new ByteRangeMap<>(), new ByteRangeMap<>(), List.of(), List.of(), capacity);
  }

  public ByteRangeMap<Write> content() {
    return content;
  }

  /** The bytes written since the previous snapshot's content was frozen. */
  public ByteRangeMap<Boolean> written() {
    return written;
  }

  /** For each uncertain byte, the in-flight writes that touch it; {@code null} where certain. */
  public ByteRangeMap<Candidates> uncertain() {
    return uncertain;
  }

  public List<Write> inFlight() {
    return inFlight;
  }

  public List<Write> mustReportAfter() {
    return mustReportAfter;
  }

  public long capacity() {
    return capacity;
  }

  /** The bytes of the snapshot some write touched. */
  public long writtenBytes() {
    return content.coveredBytes(0, capacity);
  }
}
