package io.cbtengine.engine.store;

import io.cbtengine.api.FileFaultException;
import io.cbtengine.engine.epoch.BlockSet;
import io.cbtengine.engine.epoch.IntentLog;
import io.cbtengine.engine.write.DenseEpochBitmap;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.roaringbitmap.RoaringBitmap;

/**
 * The write-intent log of one open epoch (durability mode {@code INTENT}): the first write to a
 * coarse region in the epoch appends a record naming the region and waits until it is forced; later
 * writes to the region see its bit in an in-memory region bitmap and cost nothing extra. Concurrent
 * first writes share one {@code force} (group commit): one thread forces everything appended so far
 * while the others wait for it.
 *
 * <pre>
 * header, 48 bytes:
 *  0                   4                   8
 *  +-------------------+-------------------+
 *  | magic "CBTI"      | version           |
 *  +-------------------+-------------------+
 *  | generation high (8)                   |
 *  | generation low (8)                    |
 *  | epoch (8)                             |
 *  +-------------------+-------------------+
 *  | flags             | records forced, low 4 bytes |   flags bit 0: open-k.cbte holds
 *  +-------------------+-------------------+            content of the epoch from before
 *  | records forced, high 4 bytes | CRC32C of bytes 0..43 |
 *  +-------------------+-------------------+
 * record, 32 bytes:
 *  | first region (8) | last region (8) | epoch (8) |
 *  | CRC32C of the 24 bytes before (4) | "INTR" (4) |
 * </pre>
 *
 * All integers little-endian. A region is {@code 2^regionShift} blocks. Before each {@code force},
 * the forcing thread rewrites the header's count of records written so far: a file truncated below
 * that count (external damage, since a crash only tears records after it) is detected and refused
 * instead of silently losing regions.
 *
 * <p>The file is written through a {@link RandomAccessFile}, not a {@code FileChannel}: a channel
 * closes itself for good when a thread with its interrupt status set uses it, and writers log their
 * intents on their own threads.
 *
 * <p>Thread-safety: {@link #ensureLogged} from any number of writers.
 */
final class RegionIntentLog implements IntentLog {
  static final int MAGIC = 0x49544243; // "CBTI"
  static final int RECORD_MAGIC = 0x52544e49; // "INTR"
  static final int VERSION = 1;
  static final int HEADER_BYTES = 48;
  static final int FLAG_BASED_ON_OPEN_FILE = 1;
  static final int RECORD_BYTES = 32;

  private final Path file;
  private final long epoch;
  private final int regionShift;
  private final RandomAccessFile out;

  /** Regions logged and forced; dropped at {@link #close} (epochs outlive their logs by far). */
  private volatile DenseEpochBitmap durableRegions = new DenseEpochBitmap();

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition forced = lock.newCondition();
  private final ByteBuffer record =
      ByteBuffer.allocate(RECORD_BYTES).order(ByteOrder.LITTLE_ENDIAN);
  private final ByteBuffer header;
  private long appended;
  private long durable;
  private boolean forcing;
  private volatile boolean closed;

  private RegionIntentLog(
      Path file, long epoch, int regionShift, RandomAccessFile out, ByteBuffer header) {
    this.header = header;
    this.file = file;
    this.epoch = epoch;
    this.regionShift = regionShift;
    this.out = out;
  }

  /**
   * Creates the log file (replacing a stale one), durable with its directory entry. {@code
   * basedOnOpenFile}: the epoch's earlier content is in {@code open-k.cbte}, which recovery then
   * requires.
   */
  static RegionIntentLog create(
      Path file, long genHigh, long genLow, long epoch, int regionShift, boolean basedOnOpenFile)
      throws IOException {
    RandomAccessFile ch = new RandomAccessFile(file.toFile(), "rw");
    try {
      ch.setLength(0);
      ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
      h.putInt(MAGIC).putInt(VERSION).putLong(genHigh).putLong(genLow).putLong(epoch);
      h.putInt(basedOnOpenFile ? FLAG_BASED_ON_OPEN_FILE : 0);
      writeCount(h, 0, ch);
      ch.getFD().sync();
      StoreFiles.syncDirectory(file.getParent());
      ch.seek(HEADER_BYTES);
      return new RegionIntentLog(file, epoch, regionShift, ch, h);
    } catch (IOException e) {
      ch.close();
      throw e;
    }
  }

  @Override
  public boolean isLogged(long first, long last) {
    // A region's bit is set only after the force that made its record durable returned.
    DenseEpochBitmap regions = durableRegions;
    return !closed
        && regions != null
        && regions.allMarked(first >>> regionShift, last >>> regionShift);
  }

  @Override
  public void ensureLogged(long first, long last) {
    long r0 = first >>> regionShift;
    long r1 = last >>> regionShift;
    DenseEpochBitmap regions = durableRegions;
    if (closed || regions == null || regions.allMarked(r0, r1)) {
      return;
    }
    lock.lock();
    try {
      if (closed) {
        return; // the epoch is on disk; the writer marks the open epoch too
      }
      long ticket = append(r0, r1);
      awaitDurable(ticket);
    } catch (IOException e) {
      if (closed) {
        // Closed while this writer waited for its force (a cut, or the engine's close): as above;
        // the engine's own re-check refuses the write if the engine closed.
        return;
      }
      throw new FileFaultException(
          FileFaultException.CORRUPT,
          file.toString(),
          "cannot write the write-intent log: file=" + file + ", epoch=" + epoch + ", error=" + e,
          e);
    } finally {
      lock.unlock();
    }
    regions.mark(r0, r1);
  }

  private long append(long r0, long r1) throws IOException {
    if (closed) {
      throw new IOException("intent log closed");
    }
    record.clear();
    record.putLong(r0).putLong(r1).putLong(epoch);
    record.putInt(StoreFiles.crc32c(record.array(), 0, 24)).putInt(RECORD_MAGIC);
    out.write(record.array(), 0, RECORD_BYTES);
    return ++appended;
  }

  /**
   * Waits, holding {@link #lock}, until {@code ticket} is forced; one waiter forces for all. Every
   * way out of a force, failures included, clears {@link #forcing} and wakes the waiters: a forcer
   * that failed on a log closed under it (by the freezer, once the epoch file is written, or by the
   * engine's close) used to leave them waiting forever.
   */
  private void awaitDurable(long ticket) throws IOException {
    while (durable < ticket) {
      if (closed) {
        throw new IOException("intent log closed");
      }
      if (forcing) {
        forced.awaitUninterruptibly();
        continue;
      }
      forcing = true;
      long target = appended;
      IOException failure = null;
      try {
        writeCount(header, target, out);
        lock.unlock();
        try {
          out.getFD().sync();
        } finally {
          lock.lock();
        }
      } catch (IOException e) {
        failure = e;
      } finally {
        forcing = false;
        forced.signalAll();
      }
      if (failure != null) {
        throw failure;
      }
      durable = Math.max(durable, target);
    }
  }

  /** Sets the header's record count and CRC, and writes the header at offset 0. */
  private static void writeCount(ByteBuffer h, long count, RandomAccessFile ch) throws IOException {
    h.putLong(36, count);
    h.putInt(44, StoreFiles.crc32c(h.array(), 0, 44));
    long end = ch.getFilePointer();
    ch.seek(0);
    ch.write(h.array(), 0, HEADER_BYTES);
    ch.seek(end);
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      durableRegions = null;
      forced.signalAll();
      out.close();
    } catch (IOException e) {
      // Nothing more to force; the file is deleted or kept as it is.
    } finally {
      lock.unlock();
    }
  }

  /** What a log holds: its regions as blocks, and whether it continues an {@code open-k.cbte}. */
  record Content(BlockSet blocks, boolean basedOnOpenFile) {}

  /**
   * Reads a log's regions as blocks. Returns {@code null} if the file is missing, of another
   * generation or epoch, holds fewer records than its header says were forced, or is damaged
   * anywhere but in a torn last record.
   */
  static Content read(Path file, long genHigh, long genLow, long epoch, int regionShift) {
    try {
      if (!Files.isRegularFile(file)) {
        return null;
      }
      byte[] bytes = StoreFiles.readAll(file, 1L << 31);
      if (bytes.length < HEADER_BYTES) {
        return null;
      }
      ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
      if (b.getInt(0) != MAGIC
          || b.getInt(4) != VERSION
          || b.getLong(8) != genHigh
          || b.getLong(16) != genLow
          || b.getLong(24) != epoch
          || b.getInt(44) != StoreFiles.crc32c(bytes, 0, 44)) {
        return null;
      }
      boolean basedOnOpenFile = (b.getInt(32) & FLAG_BASED_ON_OPEN_FILE) != 0;
      long forcedCount = b.getLong(36);
      List<long[]> regions = new ArrayList<>();
      int pos = HEADER_BYTES;
      while (pos + RECORD_BYTES <= bytes.length) {
        boolean ok =
            b.getInt(pos + 28) == RECORD_MAGIC
                && b.getInt(pos + 24) == StoreFiles.crc32c(bytes, pos, 24)
                && b.getLong(pos + 16) == epoch;
        long r0 = b.getLong(pos);
        long r1 = b.getLong(pos + 8);
        long maxRegion = (DenseEpochBitmap.MAX_BLOCKS - 1) >>> regionShift;
        if (!ok || r0 < 0 || r1 < r0 || r1 > maxRegion) {
          // A torn last write leaves a bad record followed by nothing but zeros.
          for (int i = pos; i < bytes.length; i++) {
            if (bytes[i] != 0) {
              return null;
            }
          }
          break;
        }
        regions.add(new long[] {r0, r1});
        pos += RECORD_BYTES;
      }
      if (regions.size() < forcedCount) {
        return null;
      }
      return new Content(regionsToBlocks(regions, regionShift), basedOnOpenFile);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static BlockSet regionsToBlocks(List<long[]> regions, int regionShift) {
    int chunks = (int) (DenseEpochBitmap.MAX_BLOCKS >>> BlockSet.CHUNK_SHIFT);
    RoaringBitmap[] out = new RoaringBitmap[chunks];
    for (long[] r : regions) {
      long first = r[0] << regionShift;
      long end = Math.min((r[1] + 1) << regionShift, DenseEpochBitmap.MAX_BLOCKS);
      for (int c = (int) (first >>> BlockSet.CHUNK_SHIFT);
          c <= (int) ((end - 1) >>> BlockSet.CHUNK_SHIFT);
          c++) {
        long base = (long) c << BlockSet.CHUNK_SHIFT;
        if (out[c] == null) {
          out[c] = new RoaringBitmap();
        }
        out[c].add(
            Math.max(first, base) - base, Math.min(end, base + BlockSet.CHUNK_BLOCKS) - base);
      }
    }
    for (RoaringBitmap r : out) {
      if (r != null) {
        r.runOptimize();
      }
    }
    return BlockSet.of(out);
  }
}
