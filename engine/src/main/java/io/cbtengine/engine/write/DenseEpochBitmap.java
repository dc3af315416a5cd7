package io.cbtengine.engine.write;

import io.cbtengine.engine.epoch.BlockSet;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.roaringbitmap.ArrayContainer;
import org.roaringbitmap.BitmapContainer;
import org.roaringbitmap.Container;
import org.roaringbitmap.RoaringBitmap;
import org.roaringbitmap.RunContainer;

/**
 * The open epoch's set of written blocks: one bit per block, in 4 KiB pages allocated the first
 * time a block of the page is written.
 *
 * <p>Representation: one page table, an array of page references, where slot {@code i} covers
 * blocks {@code [i * PAGE_BITS, (i + 1) * PAGE_BITS)}; a page is {@value #PAGE_WORDS} {@code long}s
 * ({@value #PAGE_BITS} blocks). The table is sized for the disk when the epoch opens and grows when
 * the disk grows (or when a block beyond it is marked), so a write reaches its word in two
 * dependent loads (slot, word): the table is deliberately flat, because every extra level of
 * directory is one more dependent load, and on a virtual machine often one more TLB miss, on the
 * path of every write.
 *
 * <h2>Concurrency</h2>
 *
 * <ol>
 *   <li>Bits only go from 0 to 1: check before set (a plain read, so an already-written block costs
 *       no atomic operation), then an atomic OR of the word.
 *   <li>A slot goes from {@code null} to a page, or from {@code null} to {@link #MOVED}, by
 *       compare-and-set, and never changes again; so concurrent writers never lose each other's
 *       pages.
 *   <li>Growth (serialised on the bitmap) copies every page reference of the old table into a new
 *       one, and seals every empty slot of the old table with {@link #MOVED} before publishing the
 *       new table (a volatile write). A writer holding the old table either finds its page there
 *       (the same page object is in the new table, so its bits are not lost) or finds {@code MOVED}
 *       (its install fails) and re-reads the table.
 *   <li>{@link #toBlockSet()} reads the latest table and its words with volatile reads; it sees
 *       every bit set before the epoch was cut (the protocol is in {@code EpochLog}).
 * </ol>
 *
 * <p>Cost: 4 bytes (compressed references) of table per page of the disk, allocated when the epoch
 * opens (64 KiB for a 2 TiB disk at 4 KiB blocks), and 4 KiB per page touched (each page covers
 * 32,768 blocks). Fully written, the pages cost one bit per block.
 */
public final class DenseEpochBitmap {
  /** log2 of the bits per page. */
  public static final int PAGE_SHIFT = 15;

  public static final int PAGE_BITS = 1 << PAGE_SHIFT;
  static final int PAGE_WORDS = PAGE_BITS / 64;

  /** The most blocks one bitmap can hold: 2^37 (64 TiB at 512-byte blocks). */
  public static final long MAX_BLOCKS = 1L << 37;

  private static final int MAX_PAGES = (int) (MAX_BLOCKS >>> PAGE_SHIFT);

  /** Seals an empty slot of a table that has been replaced by a larger one. */
  private static final long[] MOVED = new long[0];

  /**
   * The page of every slot whose blocks were all marked by one write covering the whole page while
   * the slot was empty: shared, never written (every bit is set, so check before set never writes
   * it), so a write of a whole large disk costs no pages (it cost one bit per block: 16 GiB for a
   * 64 TiB disk at 512-byte blocks, and an OutOfMemoryError). Every code path that writes a page
   * must therefore check before it sets ({@link #setBit}, {@link #markInPage}): an unconditional
   * write would race on this shared page.
   */
  private static final long[] FULL = fullPage();

  private static long[] fullPage() {
    long[] page = new long[PAGE_WORDS];
    java.util.Arrays.fill(page, -1L);
    return page;
  }

  /** The sleep of a paced freeze after each container; see {@link #toBlockSet(BooleanSupplier)}. */
  public static final long PACING_PAUSE_NANOS = 20_000;

  /** Roaring's limit of an array container (its own constant is not public). */
  private static final int ARRAY_MAX = 4096;

  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[][].class);
  private static final VarHandle WORD = MethodHandles.arrayElementVarHandle(long[].class);

  private volatile long[][] table;

  /** An empty bitmap whose table grows on demand. */
  public DenseEpochBitmap() {
    this(0);
  }

  /** An empty bitmap whose table covers {@code blocks} blocks from the start. */
  public DenseEpochBitmap(long blocks) {
    table = new long[pagesFor(blocks)][];
  }

  private static int pagesFor(long blocks) {
    if (blocks < 0 || blocks > MAX_BLOCKS) {
      throw new IllegalArgumentException(
          "blocks out of range: blocks=" + blocks + ", max=" + MAX_BLOCKS);
    }
    return (int) Math.max(1, (blocks + PAGE_BITS - 1) >>> PAGE_SHIFT);
  }

  /**
   * The current page table, for a caller that keeps it for the single-page fast paths ({@link
   * #allMarkedIn} and {@link #markIn}); it may be replaced by a larger one at any time.
   */
  public long[][] table() {
    return table;
  }

  /**
   * Whether blocks {@code first..last}, which lie in one page, are all marked according to {@code
   * table} (as returned by {@link #table()}); plain reads. {@code false} may be a stale answer (the
   * page is absent, beyond the table, or in a slot sealed by growth): callers then take the full
   * path.
   */
  public static boolean allMarkedIn(long[][] table, long first, long last) {
    long[] page = page(table, first >>> PAGE_SHIFT);
    if (page == null) {
      return false;
    }
    int firstBit = (int) first & (PAGE_BITS - 1);
    int lastBit = firstBit + (int) (last - first);
    if (firstBit == lastBit) {
      return (page[firstBit >>> 6] & (1L << firstBit)) != 0;
    }
    return allSetInPage(page, firstBit, lastBit);
  }

  /**
   * Marks blocks {@code first..last}, which lie in one page, through {@code table} (as returned by
   * {@link #table()}) if the table holds that page; returns {@code false}, marking nothing, if it
   * does not (the page is absent, beyond the table, or in a slot sealed by growth): callers then
   * take the full path. A page found in a replaced table is also in its replacement, so a mark
   * through a stale table is never lost. Check before set, then an atomic OR per word, as {@link
   * #mark}.
   */
  public static boolean markIn(long[][] table, long first, long last) {
    long[] page = page(table, first >>> PAGE_SHIFT);
    if (page == null) {
      return false;
    }
    int firstBit = (int) first & (PAGE_BITS - 1);
    int lastBit = firstBit + (int) (last - first);
    if (firstBit == lastBit) {
      setBit(page, firstBit);
    } else {
      markInPage(page, firstBit, lastBit);
    }
    return true;
  }

  /** Whether blocks {@code first..last} ({@code first <= last}) lie in one page. */
  public static boolean onePage(long first, long last) {
    return first >>> PAGE_SHIFT == last >>> PAGE_SHIFT;
  }

  /** Makes the table cover at least {@code blocks} blocks. */
  public void ensureBlocks(long blocks) {
    int pages = pagesFor(blocks);
    if (table.length < pages) {
      grow(pages, pages);
    }
  }

  /** Replaces the table by one of {@code pages} slots if it has fewer than {@code minPages}. */
  private synchronized long[][] grow(int minPages, int pages) {
    long[][] old = table;
    if (old.length >= minPages) {
      return old;
    }
    long[][] next = new long[pages][];
    for (int i = 0; i < old.length; i++) {
      while (true) {
        long[] page = (long[]) SLOT.getAcquire(old, i);
        if (page != null) {
          next[i] = page;
          break;
        }
        if (SLOT.compareAndSet(old, i, null, MOVED)) {
          break;
        }
      }
    }
    table = next;
    return next;
  }

  /** Marks blocks {@code first..last} inclusive. Allocation-free once the pages exist. */
  public void mark(long first, long last) {
    assert first >= 0 && first <= last && last < MAX_BLOCKS : badRange(first, last);
    if (first == last) {
      markBlock(first);
      return;
    }
    long block = first;
    while (block <= last) {
      long runEnd = Math.min(last, block | (PAGE_BITS - 1));
      boolean wholePage = (block & (PAGE_BITS - 1)) == 0 && runEnd == (block | (PAGE_BITS - 1));
      long[] page = pageFor(block, wholePage);
      if (page != FULL) {
        markInPage(page, (int) block & (PAGE_BITS - 1), (int) runEnd & (PAGE_BITS - 1));
      }
      block = runEnd + 1;
    }
  }

  private static String badRange(long first, long last) {
    return "first=" + first + ", last=" + last;
  }

  /** Marks one block: {@link #mark(long, long)} for {@code first == last}, without the loops. */
  public void markBlock(long block) {
    setBit(pageFor(block, false), (int) block & (PAGE_BITS - 1));
  }

  /** Sets bit {@code bit} of {@code page}: check before set, then an atomic OR. */
  private static void setBit(long[] page, int bit) {
    long mask = 1L << bit;
    if (((long) WORD.getOpaque(page, bit >>> 6) & mask) == 0) {
      WORD.getAndBitwiseOr(page, bit >>> 6, mask);
    }
  }

  /**
   * Whether blocks {@code first..last} are all marked already; plain reads, a word at a time, the
   * fast path of a write to blocks that are already dirty in this epoch.
   */
  public boolean allMarked(long first, long last) {
    long[][] t = table;
    long block = first;
    while (block <= last) {
      long[] page = page(t, block >>> PAGE_SHIFT);
      if (page == null) {
        return false;
      }
      long runEnd = Math.min(last, block | (PAGE_BITS - 1));
      if (page != FULL
          && !allSetInPage(page, (int) block & (PAGE_BITS - 1), (int) runEnd & (PAGE_BITS - 1))) {
        return false;
      }
      block = runEnd + 1;
    }
    return true;
  }

  /** Whether bits {@code firstBit..lastBit} of {@code page} are all set; plain reads. */
  private static boolean allSetInPage(long[] page, int firstBit, int lastBit) {
    int firstWord = firstBit >>> 6;
    int lastWord = lastBit >>> 6;
    for (int w = firstWord; w <= lastWord; w++) {
      long mask = wordMask(w, firstWord, lastWord, firstBit, lastBit);
      if ((page[w] & mask) != mask) {
        return false;
      }
    }
    return true;
  }

  private static long wordMask(int w, int firstWord, int lastWord, int firstBit, int lastBit) {
    long mask = -1L;
    if (w == firstWord) {
      mask &= -1L << (firstBit & 63);
    }
    if (w == lastWord) {
      mask &= -1L >>> (63 - (lastBit & 63));
    }
    return mask;
  }

  private static void markInPage(long[] page, int firstBit, int lastBit) {
    int firstWord = firstBit >>> 6;
    int lastWord = lastBit >>> 6;
    for (int w = firstWord; w <= lastWord; w++) {
      long mask = wordMask(w, firstWord, lastWord, firstBit, lastBit);
      // Check before set: a word that already has every bit costs no atomic operation.
      long current = (long) WORD.getOpaque(page, w);
      if ((current & mask) != mask) {
        WORD.getAndBitwiseOr(page, w, mask);
      }
    }
  }

  /**
   * The page of {@code block}, installed if absent, in the current table (grown if needed); {@code
   * whole}: the caller marks every block of the page, so an absent page is installed as {@link
   * #FULL}.
   */
  private long[] pageFor(long block, boolean whole) {
    int pageIndex = (int) (block >>> PAGE_SHIFT);
    long[][] t = table;
    while (true) {
      if (pageIndex >= t.length) {
        // Beyond the table (the disk's capacity was not announced): grow by doubling.
        t = grow(pageIndex + 1, (int) Math.min(MAX_PAGES, Math.max(pageIndex + 1L, 2L * t.length)));
        continue;
      }
      long[] page = (long[]) SLOT.getAcquire(t, pageIndex);
      if (page == null) {
        long[] fresh = whole ? FULL : new long[PAGE_WORDS];
        long[] witness = (long[]) SLOT.compareAndExchange(t, pageIndex, null, fresh);
        page = witness == null ? fresh : witness;
      }
      if (page != MOVED) {
        return page;
      }
      // The table was replaced by a larger one: the page, if any, is there.
      t = table;
    }
  }

  /** Heap bytes held by the table and its pages. */
  public long sizeInBytes() {
    long[][] t = table;
    long bytes = 16L + t.length * 4L;
    for (int i = 0; i < t.length; i++) {
      long[] page = (long[]) SLOT.getAcquire(t, i);
      if (page != null && page != MOVED && page != FULL) {
        bytes += 16L + PAGE_WORDS * 8L;
      }
    }
    return bytes;
  }

  /**
   * Compresses the marked blocks into a run-optimized {@link BlockSet}, one Roaring container per
   * 65,536 blocks built straight from the words (a bitmap container above 4,096 blocks, an array
   * container below). Call only once the epoch is cut; bits set during or after the call may be
   * missed, and are marked elsewhere too.
   */
  public BlockSet toBlockSet() {
    return toBlockSet(() -> false);
  }

  /**
   * {@link #toBlockSet()}; while {@code paced} says so (a background freeze that nobody waits for),
   * sleeps {@value #PACING_PAUSE_NANOS} ns after each container it builds, so that the freeze takes
   * about a sixth of a CPU (it parks for about 80 µs in practice) and a writer that shares a core
   * with it waits for one container's work (microseconds) rather than for an OS time slice.
   * Measured on the pause probe (2 vCPUs, docs/benchmarks.md): writer stall p50 28 to 64 µs paced,
   * 181 to 318 µs with a yield after each container. The price is a background freeze about six
   * times slower in wall-clock time; queries and backpressure freeze unpaced, and a query that
   * finds a paced freeze running ends its pacing (see {@code Epoch}).
   */
  public BlockSet toBlockSet(BooleanSupplier paced) {
    long[][] t = table;
    int chunks = (int) ((MAX_BLOCKS + BlockSet.CHUNK_BLOCKS - 1) >>> BlockSet.CHUNK_SHIFT);
    RoaringBitmap[] out = new RoaringBitmap[chunks];
    long[] words = new long[2 * PAGE_WORDS];
    // Two pages make one container of 2^16 blocks; 2^17 pages make one chunk of 2^32 blocks.
    for (int pair = 0; pair < (t.length + 1) >>> 1; pair++) {
      long[] low = page(t, 2 * pair);
      long[] high = page(t, 2 * pair + 1);
      if (low == null && high == null) {
        continue;
      }
      Container container;
      if (low == FULL && high == FULL) {
        // A whole container written at once: one run, without copying 8 KiB of ones.
        container = RunContainer.full();
      } else {
        int cardinality = copyWords(low, words, 0) + copyWords(high, words, PAGE_WORDS);
        if (cardinality == 0) {
          continue;
        }
        if (cardinality > ARRAY_MAX) {
          container = new BitmapContainer(words, cardinality);
          words = new long[2 * PAGE_WORDS];
        } else {
          container = new ArrayContainer(toValues(words, cardinality));
        }
        // Each container is run-optimized as it is built, so that this work is paced with the
        // rest (run-optimizing the containers of 10^6 random blocks at the end took 0.65 to 1 ms
        // in one go, on the freezer thread, preempting whichever writer shared its CPU).
        container = container.runOptimize();
      }
      int chunk = pair >>> (BlockSet.CHUNK_SHIFT - 16);
      RoaringBitmap bitmap = out[chunk];
      if (bitmap == null) {
        bitmap = new RoaringBitmap();
        out[chunk] = bitmap;
      }
      bitmap.append((char) pair, container);
      if (paced.getAsBoolean()) {
        LockSupport.parkNanos(PACING_PAUSE_NANOS);
      }
    }
    return BlockSet.of(out);
  }

  /** The page at {@code index} of table {@code t}; {@code null} if absent, sealed or beyond it. */
  private static long[] page(long[][] t, long index) {
    if (index >= t.length) {
      return null;
    }
    long[] page = (long[]) SLOT.getAcquire(t, (int) index);
    return page == MOVED ? null : page;
  }

  /** Copies a page's words (volatile reads) to {@code to[at..]}, zeros if absent; the bit count. */
  private static int copyWords(long[] page, long[] to, int at) {
    int cardinality = 0;
    for (int w = 0; w < PAGE_WORDS; w++) {
      long word = page == null ? 0 : (long) WORD.getVolatile(page, w);
      to[at + w] = word;
      cardinality += Long.bitCount(word);
    }
    return cardinality;
  }

  private static char[] toValues(long[] words, int cardinality) {
    char[] values = new char[cardinality];
    int n = 0;
    for (int w = 0; w < words.length && n < cardinality; w++) {
      long word = words[w];
      while (word != 0) {
        values[n++] = (char) ((w << 6) + Long.numberOfTrailingZeros(word));
        word &= word - 1;
      }
    }
    return values;
  }
}
