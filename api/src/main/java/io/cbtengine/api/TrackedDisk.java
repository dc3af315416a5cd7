package io.cbtengine.api;

import java.util.List;

/**
 * One virtual disk whose writes are tracked. Every method is thread-safe.
 *
 * <p>Offsets and lengths are bytes. A write marks every block of {@link #blockSize()} it touches.
 */
public interface TrackedDisk {
  DiskId id();

  /** The current capacity in bytes, a positive multiple of 512. */
  long capacityBytes();

  /** The tracking granularity in bytes. */
  int blockSize();

  /** The options the disk was created with. */
  DiskOptions options();

  boolean changeTrackingEnabled();

  /**
   * Starts a new tracking generation if tracking is disabled; does nothing if it is enabled. Every
   * changeId issued before is then answered with {@link FileFaultException}.
   */
  void enableChangeTracking();

  /** Drops all tracking state and snapshots of the disk; does nothing if already disabled. */
  void disableChangeTracking();

  /**
   * Records that {@code [offset, offset + length)} is about to be written. Call it before issuing
   * the data write; when it returns the mark is visible to every later query. Takes no lock and
   * allocates nothing in steady state. Accepted and ignored while tracking is disabled; a
   * zero-length write records nothing.
   *
   * @throws InvalidArgumentException ({@code offset} or {@code length}) if negative or past the
   *     capacity; nothing is recorded
   */
  void recordWrite(long offset, long length);

  /**
   * Opens a write scope around a data write that may overlap a snapshot. The range is recorded as
   * by {@link #recordWrite}; in addition, if the scope is open at any moment of a {@link
   * #createSnapshot()} call, the range is reported in the interval after that snapshot too.
   *
   * @throws InvalidArgumentException as {@link #recordWrite}
   */
  WriteScope beginWrite(long offset, long length);

  /**
   * Cuts the change history: every write recorded before belongs to the new snapshot; every write
   * after it to the next interval. Never waits for the compression of the closed interval.
   *
   * @throws InvalidStateException if tracking is disabled
   */
  SnapshotInfo createSnapshot();

  /**
   * @throws NotFoundException if the snapshot is unknown or deleted
   */
  SnapshotInfo snapshot(SnapshotId id);

  /** The live snapshots, in creation order. */
  List<SnapshotInfo> snapshots();

  /**
   * Deletes a snapshot. Its changeId stays valid as the starting point of later queries.
   *
   * @throws NotFoundException if the snapshot is unknown or already deleted
   */
  void deleteSnapshot(SnapshotId id);

  /**
   * Grows the capacity. Earlier changeIds stay valid and no write before or after is lost.
   *
   * @throws InvalidArgumentException ({@code capacityBytes}) if smaller than the current capacity,
   *     not a multiple of 512, or beyond the engine's limit
   */
  void extend(long newCapacityBytes);

  /**
   * vSphere's {@code VslmQueryChangedDiskAreas} for this disk: the bytes written after {@code
   * changeId} was issued and at or before {@code snapshot}, in the window starting at {@code
   * startOffset}. {@code changeId} {@code "*"} means since tracking began.
   *
   * @throws InvalidStateException if tracking is disabled
   * @throws NotFoundException if the snapshot is unknown or deleted
   * @throws InvalidArgumentException ({@code changeId}) if malformed, ({@code startOffset}) if
   *     negative or not below the snapshot's capacity
   * @throws FileFaultException if the changeId cannot be answered
   */
  DiskChangeInfo queryChangedDiskAreas(SnapshotId snapshot, long startOffset, String changeId);
}
