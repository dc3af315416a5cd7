package io.cbtengine.engine.store;

import io.cbtengine.engine.epoch.BlockSet;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.roaringbitmap.RoaringBitmap;

/**
 * A frozen epoch on disk: RoaringBitmap's portable format per chunk, framed by a header and a
 * CRC32C trailer. Written to a temp file, forced, renamed; validated on load (header, CRC, every
 * bitmap through RoaringBitmap's own validation).
 *
 * <pre>
 *  0                   4         6         8
 *  +-------------------+---------+---------+
 *  | magic "CBTE"      | version | 0       |
 *  +-------------------+---------+---------+
 *  | generation, high (8)                  |
 *  +---------------------------------------+
 *  | generation, low (8)                   |
 *  +---------------------------------------+
 *  | epoch number (8)                      |
 *  +-------------------+-------------------+
 *  | chunk count n     | reserved          |   then n times:
 *  +-------------------+-------------------+
 *  | chunk index       | byte length L     |
 *  +-------------------+-------------------+
 *  | L bytes: RoaringBitmap portable format|
 *  +-------------------+-------------------+
 *  | CRC32C of all the above | magic "ETRL" |
 *  +-------------------+-------------------+
 * </pre>
 *
 * All integers little-endian. Thread-safety: stateless.
 */
final class EpochFile {
  static final int MAGIC = 0x45544243; // "CBTE" little-endian
  static final int TRAILER_MAGIC = 0x4c525445; // "ETRL"
  static final short VERSION = 1;
  static final int HEADER_BYTES = 40;
  static final long MAX_FILE_BYTES = 1L << 31;

  private EpochFile() {}

  static void write(Path file, long genHigh, long genLow, long epoch, BlockSet blocks)
      throws IOException {
    int n = blocks.chunkCount();
    long size = HEADER_BYTES + 8;
    for (int c = 0; c < n; c++) {
      RoaringBitmap r = blocks.chunk(c);
      if (r != null) {
        size += 8 + r.serializedSizeInBytes();
      }
    }
    if (size > MAX_FILE_BYTES) {
      throw new IOException("epoch file too large: epoch=" + epoch + ", bytes=" + size);
    }
    ByteBuffer b = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
    int present = 0;
    for (int c = 0; c < n; c++) {
      if (blocks.chunk(c) != null) {
        present++;
      }
    }
    b.putInt(MAGIC).putShort(VERSION).putShort((short) 0);
    b.putLong(genHigh).putLong(genLow).putLong(epoch);
    b.putInt(present).putInt(0);
    for (int c = 0; c < n; c++) {
      RoaringBitmap r = blocks.chunk(c);
      if (r == null) {
        continue;
      }
      int len = r.serializedSizeInBytes();
      b.putInt(c).putInt(len);
      ByteBuffer slice = b.slice().order(ByteOrder.LITTLE_ENDIAN);
      slice.limit(len);
      r.serialize(slice);
      b.position(b.position() + len);
    }
    int crc = StoreFiles.crc32c(b.array(), 0, b.position());
    b.putInt(crc).putInt(TRAILER_MAGIC);
    b.flip();
    StoreFiles.writeAtomically(file, b);
  }

  /**
   * Reads and validates an epoch file; returns {@code null} if it is absent, or damaged in any way,
   * or does not belong to the expected generation and epoch.
   */
  static BlockSet read(Path file, long genHigh, long genLow, long epoch) {
    try {
      if (!Files.isRegularFile(file)) {
        return null;
      }
      byte[] bytes = StoreFiles.readAll(file, MAX_FILE_BYTES);
      if (bytes.length < HEADER_BYTES + 8) {
        return null;
      }
      ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
      int end = bytes.length - 8;
      if (b.getInt(end + 4) != TRAILER_MAGIC || b.getInt(end) != StoreFiles.crc32c(bytes, 0, end)) {
        return null;
      }
      if (b.getInt() != MAGIC || b.getShort() != VERSION) {
        return null;
      }
      b.getShort();
      if (b.getLong() != genHigh || b.getLong() != genLow || b.getLong() != epoch) {
        return null;
      }
      int present = b.getInt();
      b.getInt();
      int maxChunks = 1 << 5;
      if (present < 0 || present > maxChunks) {
        return null;
      }
      RoaringBitmap[] chunks = new RoaringBitmap[maxChunks];
      for (int i = 0; i < present; i++) {
        if (b.position() + 8 > end) {
          return null;
        }
        int c = b.getInt();
        int len = b.getInt();
        if (c < 0 || c >= maxChunks || len < 0 || b.position() + len > end || chunks[c] != null) {
          return null;
        }
        ByteBuffer slice = ByteBuffer.wrap(bytes, b.position(), len).slice();
        RoaringBitmap r = new RoaringBitmap();
        r.deserialize(slice);
        if (r.serializedSizeInBytes() != len || !Boolean.TRUE.equals(r.validate())) {
          return null;
        }
        chunks[c] = r;
        b.position(b.position() + len);
      }
      if (b.position() != end) {
        return null;
      }
      return BlockSet.of(chunks);
    } catch (IOException | RuntimeException e) {
      // Any failure to read or parse means the file cannot be trusted.
      return null;
    }
  }
}
