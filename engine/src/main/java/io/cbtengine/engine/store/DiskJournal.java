package io.cbtengine.engine.store;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A disk's append-only journal: the authoritative record of its life cycle (creation, generations,
 * snapshots, deletions, extensions, tracking disabled). Every append is forced before it returns.
 *
 * <pre>
 * file:    | magic "CBTJ" (4) | version (4) | record | record | ...
 * record:  | payload length L (4) | CRC32C of type and payload (4) | type (1) | payload (L) |
 * </pre>
 *
 * All integers little-endian. Replay stops at the first record that does not check out. If that
 * record runs past the end of the file with no complete record after it, or is followed only by
 * zero bytes, it is a torn tail (an append that never returned) and is dropped; anything else is
 * corruption, and the disk's history cannot be trusted.
 *
 * <p>The file is written through a {@link RandomAccessFile}, not a {@code FileChannel}: a channel
 * closes itself for good when a thread with its interrupt status set uses it, and appends run on
 * the callers' threads.
 *
 * <p>Thread-safety: appends are synchronized; callers hold the disk's lock anyway.
 */
final class DiskJournal implements AutoCloseable {
  static final int MAGIC = 0x4a544243; // "CBTJ"
  static final int VERSION = 1;
  static final int HEADER_BYTES = 8;
  static final int RECORD_HEADER_BYTES = 9;
  static final int MAX_PAYLOAD = 4096;

  static final byte CREATED = 1;
  static final byte GENERATION = 2;
  static final byte SNAPSHOT = 3;
  static final byte SNAPSHOT_DELETED = 4;
  static final byte EXTENDED = 5;
  static final byte DISABLED = 6;

  /** One replayed record. */
  record Entry(byte type, ByteBuffer payload) {}

  /** The outcome of a replay. */
  record Replay(List<Entry> entries, long validLength, boolean corrupt, String problem) {}

  private final Path file;
  private final RandomAccessFile out;

  private DiskJournal(Path file, RandomAccessFile out) {
    this.file = file;
    this.out = out;
  }

  /** Creates a new journal (the file must not exist), durable with its directory entry. */
  static DiskJournal create(Path file) throws IOException {
    Files.createFile(file); // fails if it exists
    RandomAccessFile ch = new RandomAccessFile(file.toFile(), "rw");
    ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    h.putInt(MAGIC).putInt(VERSION);
    try {
      ch.write(h.array());
      ch.getFD().sync();
    } catch (IOException e) {
      ch.close();
      throw e;
    }
    StoreFiles.syncDirectory(file.getParent());
    return new DiskJournal(file, ch);
  }

  /** Opens an existing journal for appending after {@code validLength} (dropping a torn tail). */
  static DiskJournal openForAppend(Path file, long validLength) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString());
    }
    RandomAccessFile ch = new RandomAccessFile(file.toFile(), "rw");
    try {
      if (ch.length() != validLength) {
        ch.setLength(validLength);
        ch.getFD().sync();
      }
      ch.seek(validLength);
    } catch (IOException e) {
      ch.close();
      throw e;
    }
    return new DiskJournal(file, ch);
  }

  /** Reads every valid record; never throws for bad content, only for I/O errors. */
  static Replay replay(Path file) throws IOException {
    byte[] bytes = StoreFiles.readAll(file, 1L << 30);
    List<Entry> entries = new ArrayList<>();
    if (bytes.length < HEADER_BYTES) {
      return new Replay(entries, 0, true, "journal shorter than its header: bytes=" + bytes.length);
    }
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int magic = b.getInt();
    int version = b.getInt();
    if (magic != MAGIC || version != VERSION) {
      return new Replay(
          entries,
          0,
          true,
          "journal header invalid: magic=" + Integer.toHexString(magic) + ", version=" + version);
    }
    int pos = HEADER_BYTES;
    while (pos < bytes.length) {
      String problem = null;
      if (bytes.length - pos < RECORD_HEADER_BYTES) {
        problem = "record header cut short";
      } else {
        int len = b.getInt(pos);
        int crc = b.getInt(pos + 4);
        if (len < 0 || len > MAX_PAYLOAD) {
          problem = "record length out of range: length=" + len;
        } else if ((long) pos + RECORD_HEADER_BYTES + len > bytes.length) {
          problem = "record runs past the end of the file";
        } else if (StoreFiles.crc32c(bytes, pos + 8, 1 + len) != crc) {
          problem = "record CRC mismatch";
        } else {
          ByteBuffer payload =
              ByteBuffer.wrap(bytes, pos + RECORD_HEADER_BYTES, len)
                  .slice()
                  .order(ByteOrder.LITTLE_ENDIAN);
          entries.add(new Entry(bytes[pos + 8], payload));
          pos += RECORD_HEADER_BYTES + len;
          continue;
        }
      }
      // A torn append leaves at most one partial record: a complete record further on means the
      // damage is in the middle (say, a length field), which must not pass for a torn tail.
      boolean tornTail =
          (problem.equals("record runs past the end of the file") && !validRecordAfter(bytes, pos))
              || problem.equals("record header cut short")
              || onlyZeros(bytes, pos);
      return new Replay(entries, pos, !tornTail, problem + " at offset " + pos + " of " + file);
    }
    return new Replay(entries, pos, false, null);
  }

  /** Whether a complete record whose CRC checks out starts anywhere after {@code from}. */
  private static boolean validRecordAfter(byte[] bytes, int from) {
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    for (int q = from + 1; q <= bytes.length - RECORD_HEADER_BYTES; q++) {
      int len = b.getInt(q);
      if (len >= 0
          && len <= MAX_PAYLOAD
          && (long) q + RECORD_HEADER_BYTES + len <= bytes.length
          && StoreFiles.crc32c(bytes, q + 8, 1 + len) == b.getInt(q + 4)) {
        return true;
      }
    }
    return false;
  }

  private static boolean onlyZeros(byte[] bytes, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }

  /** Appends one record and forces it. */
  synchronized void append(byte type, ByteBuffer payload) throws IOException {
    int len = payload.remaining();
    if (len > MAX_PAYLOAD) {
      throw new IOException("journal record too large: length=" + len);
    }
    ByteBuffer r = ByteBuffer.allocate(RECORD_HEADER_BYTES + len).order(ByteOrder.LITTLE_ENDIAN);
    r.putInt(len).putInt(0).put(type).put(payload.duplicate());
    int crc = StoreFiles.crc32c(r.array(), 8, 1 + len);
    r.putInt(4, crc);
    long start = out.getFilePointer();
    try {
      out.write(r.array(), 0, r.limit());
      out.getFD().sync();
    } catch (IOException e) {
      // Leave no half record behind for the next append to follow.
      out.setLength(start);
      out.seek(start);
      throw e;
    }
  }

  Path file() {
    return file;
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }

  static ByteBuffer payload(int capacity) {
    return ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
  }
}
