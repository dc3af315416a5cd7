package io.cbtengine.api;

import java.util.List;
import java.util.Optional;

/**
 * The engine: a set of tracked disks. Every method is thread-safe. After {@link #close()} every
 * method throws {@link InvalidStateException}.
 */
public interface ChangeTracker extends AutoCloseable {
  /**
   * Creates a disk with change tracking enabled.
   *
   * @param options the disk's options; {@code null} means {@link DiskOptions#defaults()}
   * @throws InvalidArgumentException ({@code id}) if the id is null or in use, ({@code
   *     capacityBytes}) if not a positive multiple of 512 or beyond the engine's limit for the
   *     block size
   */
  TrackedDisk createDisk(DiskId id, long capacityBytes, DiskOptions options);

  /**
   * @throws NotFoundException if no such disk
   */
  TrackedDisk disk(DiskId id);

  Optional<TrackedDisk> findDisk(DiskId id);

  /** The disks, in creation order. */
  List<TrackedDisk> disks();

  /**
   * Deletes the disk and its history. A disk later created with the same id starts a new
   * generation.
   *
   * @throws NotFoundException if no such disk
   */
  void deleteDisk(DiskId id);

  /**
   * {@link TrackedDisk#queryChangedDiskAreas} of the named disk.
   *
   * @throws NotFoundException if no such disk
   */
  DiskChangeInfo queryChangedDiskAreas(
      DiskId disk, SnapshotId snapshot, long startOffset, String changeId);

  /** Releases every resource; a persistent engine writes everything and marks itself clean. */
  @Override
  void close();
}
