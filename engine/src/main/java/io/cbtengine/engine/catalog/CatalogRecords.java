package io.cbtengine.engine.catalog;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Binary layouts of the catalog's values. Keys are strings: {@code "d/" + diskId} for a disk
 * generation record, {@code "s/" + diskId + "/" + snapshotId} for a snapshot boundary.
 *
 * <pre>
 * Disk generation record, 64 bytes, little-endian
 *  0                   4                   8
 *  +-------------------+-------------------+
 *  | magic 0x43425444  | flags             |  flags: bit 0 tracking enabled,
 *  +-------------------+-------------------+         bit 1 whole disk dirty at start
 *  | generation, high 8 bytes (big-endian value)   |
 *  +---------------------------------------+
 *  | generation, low 8 bytes               |
 *  +---------------------------------------+
 *  | last issued sequence                  |
 *  +---------------------------------------+
 *  | capacity in bytes                     |
 *  +-------------------+-------------------+
 *  | block size        | reserved          |
 *  +-------------------+-------------------+
 *  | creation order of the disk            |
 *  +---------------------------------------+
 *  | reserved                              |
 *  +---------------------------------------+
 *
 * Snapshot boundary record, 48 bytes, little-endian
 *  0                   4                   8
 *  +-------------------+-------------------+
 *  | magic 0x43425453  | created, nanos    |
 *  +-------------------+-------------------+
 *  | generation, high                      |
 *  +---------------------------------------+
 *  | generation, low                       |
 *  +---------------------------------------+
 *  | sequence (= epoch it closes)          |
 *  +---------------------------------------+
 *  | capacity in bytes at the snapshot     |
 *  +---------------------------------------+
 *  | created, epoch seconds                |
 *  +---------------------------------------+
 * </pre>
 */
public final class CatalogRecords {
  static final int DISK_MAGIC = 0x43425444;
  static final int SNAPSHOT_MAGIC = 0x43425453;
  static final int DISK_RECORD_BYTES = 64;
  static final int SNAPSHOT_RECORD_BYTES = 48;

  static final int FLAG_ENABLED = 1;
  static final int FLAG_WHOLE_DISK_AT_START = 2;

  private CatalogRecords() {}

  /** A disk's generation as the catalog holds it. */
  public record DiskRecord(
      boolean enabled,
      boolean wholeDiskAtStart,
      long generationHigh,
      long generationLow,
      long lastSequence,
      long capacityBytes,
      int blockSize,
      long creationOrder) {

    byte[] encode() {
      ByteBuffer b = ByteBuffer.allocate(DISK_RECORD_BYTES).order(ByteOrder.LITTLE_ENDIAN);
      int flags = (enabled ? FLAG_ENABLED : 0) | (wholeDiskAtStart ? FLAG_WHOLE_DISK_AT_START : 0);
      b.putInt(DISK_MAGIC).putInt(flags).putLong(generationHigh).putLong(generationLow);
      b.putLong(lastSequence).putLong(capacityBytes).putInt(blockSize).putInt(0);
      b.putLong(creationOrder).putLong(0);
      return b.array();
    }

    static DiskRecord decode(byte[] bytes) {
      if (bytes == null || bytes.length != DISK_RECORD_BYTES) {
        return null;
      }
      ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
      if (b.getInt() != DISK_MAGIC) {
        return null;
      }
      int flags = b.getInt();
      long high = b.getLong();
      long low = b.getLong();
      long last = b.getLong();
      long capacity = b.getLong();
      int blockSize = b.getInt();
      b.getInt();
      long order = b.getLong();
      return new DiskRecord(
          (flags & FLAG_ENABLED) != 0,
          (flags & FLAG_WHOLE_DISK_AT_START) != 0,
          high,
          low,
          last,
          capacity,
          blockSize,
          order);
    }
  }

  /** A snapshot boundary as the catalog holds it. */
  public record SnapshotRecord(
      long generationHigh,
      long generationLow,
      long sequence,
      long capacityBytes,
      long createdEpochSecond,
      int createdNanos) {

    byte[] encode() {
      ByteBuffer b = ByteBuffer.allocate(SNAPSHOT_RECORD_BYTES).order(ByteOrder.LITTLE_ENDIAN);
      b.putInt(SNAPSHOT_MAGIC).putInt(createdNanos).putLong(generationHigh).putLong(generationLow);
      b.putLong(sequence).putLong(capacityBytes).putLong(createdEpochSecond);
      return b.array();
    }

    static SnapshotRecord decode(byte[] bytes) {
      if (bytes == null || bytes.length != SNAPSHOT_RECORD_BYTES) {
        return null;
      }
      ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
      if (b.getInt() != SNAPSHOT_MAGIC) {
        return null;
      }
      int nanos = b.getInt();
      return new SnapshotRecord(
          b.getLong(), b.getLong(), b.getLong(), b.getLong(), b.getLong(), nanos);
    }
  }
}
