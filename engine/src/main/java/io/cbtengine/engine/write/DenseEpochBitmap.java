package io.cbtengine.engine.write;

import io.cbtengine.engine.epoch.BlockSet;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.roaringbitmap.RoaringBitmap;
import org.roaringbitmap.RoaringBitmapWriter;

/**
 * The open epoch's set of written blocks: one bit per block, in 4 KiB pages allocated the first
 * time a block of the page is written.
 *
 * <p>Representation: a fixed two-level directory covers {@link #MAX_BLOCKS} blocks. The top level
 * has {@value #TOP_SLOTS} slots, each pointing to a leaf of {@value #LEAF_SLOTS} page references; a
 * page is {@value #PAGE_WORDS} {@code long}s ({@value #PAGE_BITS} blocks). Leaves and pages are
 * installed by compare-and-set, so concurrent writers never lose each other's pages. Because the
 * directory does not depend on the disk's capacity, growing a disk needs no resize.
 *
 * <p>Cost: 16 KiB for the top level per epoch, 16 KiB per leaf touched (each leaf covers 2^26
 * blocks), and 4 KiB per page touched (each page covers 32,768 blocks). Fully written, the pages
 * cost one bit per block.
 *
 * <p>Thread-safety: {@link #mark} may be called by any number of threads at once; bits only ever go
 * from 0 to 1 (check before set, then an atomic OR, so an already-written block costs a plain
 * read). {@link #toBlockSet()} may run while late writers still mark: it sees every bit set before
 * the epoch was cut (see the protocol in {@code EpochLog}).
 */
public final class DenseEpochBitmap {
  /** log2 of the bits per page. */
  static final int PAGE_SHIFT = 15;

  static final int PAGE_BITS = 1 << PAGE_SHIFT;
  static final int PAGE_WORDS = PAGE_BITS / 64;

  /** log2 of the pages per leaf. */
  static final int LEAF_SHIFT = 11;

  static final int LEAF_SLOTS = 1 << LEAF_SHIFT;
  static final int TOP_SLOTS = 1 << 11;

  /** The most blocks one bitmap can hold: 2^37 (64 TiB at 512-byte blocks). */
  public static final long MAX_BLOCKS = (long) TOP_SLOTS * LEAF_SLOTS * PAGE_BITS;

  private static final VarHandle TOP = MethodHandles.arrayElementVarHandle(long[][][].class);
  private static final VarHandle LEAF = MethodHandles.arrayElementVarHandle(long[][].class);
  private static final VarHandle WORD = MethodHandles.arrayElementVarHandle(long[].class);

  private final long[][][] top = new long[TOP_SLOTS][][];

  /**
   * Marks blocks {@code first..last} inclusive. Allocation-free once the pages exist.
   *
   * <p>Returns whether any bit changed from 0 to 1.
   */
  public boolean mark(long first, long last) {
    assert first >= 0 && first <= last && last < MAX_BLOCKS : "first=" + first + ", last=" + last;
    boolean changed = false;
    long block = first;
    while (block <= last) {
      long[] page = pageFor(block);
      int bitInPage = (int) (block & (PAGE_BITS - 1));
      long pageEnd = (block | (PAGE_BITS - 1));
      long runEnd = Math.min(last, pageEnd);
      int lastBitInPage = (int) (runEnd & (PAGE_BITS - 1));
      changed |= markInPage(page, bitInPage, lastBitInPage);
      block = runEnd + 1;
    }
    return changed;
  }

  /**
   * Whether blocks {@code first..last} are all marked already; a plain read, the fast path of a
   * write to blocks that are already dirty in this epoch.
   */
  public boolean allMarked(long first, long last) {
    for (long block = first; block <= last; block++) {
      long[][] leaf = (long[][]) TOP.getAcquire(top, (int) (block >>> (PAGE_SHIFT + LEAF_SHIFT)));
      if (leaf == null) {
        return false;
      }
      long[] page = (long[]) LEAF.getAcquire(leaf, (int) (block >>> PAGE_SHIFT) & (LEAF_SLOTS - 1));
      if (page == null) {
        return false;
      }
      int bit = (int) (block & (PAGE_BITS - 1));
      if ((page[bit >>> 6] & (1L << bit)) == 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean markInPage(long[] page, int firstBit, int lastBit) {
    boolean changed = false;
    int firstWord = firstBit >>> 6;
    int lastWord = lastBit >>> 6;
    for (int w = firstWord; w <= lastWord; w++) {
      long mask = -1L;
      if (w == firstWord) {
        mask &= -1L << (firstBit & 63);
      }
      if (w == lastWord) {
        mask &= -1L >>> (63 - (lastBit & 63));
      }
      // Check before set: a word that already has every bit costs no atomic operation.
      long current = (long) WORD.getOpaque(page, w);
      if ((current & mask) != mask) {
        WORD.getAndBitwiseOr(page, w, mask);
        changed = true;
      }
    }
    return changed;
  }

  private long[] pageFor(long block) {
    int topIndex = (int) (block >>> (PAGE_SHIFT + LEAF_SHIFT));
    long[][] leaf = (long[][]) TOP.getAcquire(top, topIndex);
    if (leaf == null) {
      long[][] fresh = new long[LEAF_SLOTS][];
      long[][] witness = (long[][]) TOP.compareAndExchange(top, topIndex, null, fresh);
      leaf = witness == null ? fresh : witness;
    }
    int leafIndex = (int) (block >>> PAGE_SHIFT) & (LEAF_SLOTS - 1);
    long[] page = (long[]) LEAF.getAcquire(leaf, leafIndex);
    if (page == null) {
      long[] fresh = new long[PAGE_WORDS];
      long[] witness = (long[]) LEAF.compareAndExchange(leaf, leafIndex, null, fresh);
      page = witness == null ? fresh : witness;
    }
    return page;
  }

  /** Heap bytes held by the directory and its pages. */
  public long sizeInBytes() {
    long bytes = 16L + TOP_SLOTS * 4L;
    for (int t = 0; t < TOP_SLOTS; t++) {
      long[][] leaf = (long[][]) TOP.getAcquire(top, t);
      if (leaf != null) {
        bytes += 16L + LEAF_SLOTS * 4L;
        for (int l = 0; l < LEAF_SLOTS; l++) {
          if (LEAF.getAcquire(leaf, l) != null) {
            bytes += 16L + PAGE_WORDS * 8L;
          }
        }
      }
    }
    return bytes;
  }

  /**
   * Compresses the marked blocks into a run-optimized {@link BlockSet}. Call only once the epoch is
   * cut; bits set during or after the call may be missed, and are marked elsewhere too.
   */
  public BlockSet toBlockSet() {
    int chunks = (int) ((MAX_BLOCKS + BlockSet.CHUNK_BLOCKS - 1) >>> BlockSet.CHUNK_SHIFT);
    RoaringBitmap[] out = new RoaringBitmap[chunks];
    RoaringBitmapWriter<RoaringBitmap> writer = null;
    int writerChunk = -1;
    for (int t = 0; t < TOP_SLOTS; t++) {
      long[][] leaf = (long[][]) TOP.getAcquire(top, t);
      if (leaf == null) {
        continue;
      }
      for (int l = 0; l < LEAF_SLOTS; l++) {
        long[] page = (long[]) LEAF.getAcquire(leaf, l);
        if (page == null) {
          continue;
        }
        long pageBase = (((long) t << LEAF_SHIFT) | l) << PAGE_SHIFT;
        int chunk = (int) (pageBase >>> BlockSet.CHUNK_SHIFT);
        for (int w = 0; w < PAGE_WORDS; w++) {
          long word = (long) WORD.getVolatile(page, w);
          if (word == 0) {
            continue;
          }
          if (chunk != writerChunk) {
            if (writer != null) {
              out[writerChunk] = finish(writer);
            }
            writer = RoaringBitmapWriter.writer().runCompress(false).get();
            writerChunk = chunk;
          }
          int base = (int) (pageBase + ((long) w << 6));
          if (word == -1L) {
            writer.add(Integer.toUnsignedLong(base), Integer.toUnsignedLong(base) + 64);
            continue;
          }
          while (word != 0) {
            int bit = Long.numberOfTrailingZeros(word);
            writer.add(base + bit);
            word &= word - 1;
          }
        }
      }
    }
    if (writer != null) {
      out[writerChunk] = finish(writer);
    }
    return BlockSet.of(out);
  }

  private static RoaringBitmap finish(RoaringBitmapWriter<RoaringBitmap> writer) {
    RoaringBitmap bitmap = writer.get();
    bitmap.runOptimize();
    return bitmap.isEmpty() ? null : bitmap;
  }
}
