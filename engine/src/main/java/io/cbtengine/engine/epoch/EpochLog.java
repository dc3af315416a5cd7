package io.cbtengine.engine.epoch;

import io.cbtengine.engine.write.DenseEpochBitmap;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The epochs of one tracking generation of a disk: epoch 1 starts when tracking starts, and the
 * snapshot with sequence {@code k} cuts epoch {@code k} and opens epoch {@code k + 1}.
 *
 * <h2>The cut protocol</h2>
 *
 * <p>Writers, in {@link #mark}, obey:
 *
 * <ol>
 *   <li>Read the open epoch {@code e} (a volatile read).
 *   <li>If some block of the write is not yet marked in {@code e}: record the intent (persistent
 *       engines, see {@link IntentLog}), then mark the blocks (check before set, atomic OR).
 *   <li>Re-read the open epoch. If it is still {@code e}, return. Otherwise a cut happened
 *       meanwhile: repeat from step 2 with the new open epoch.
 * </ol>
 *
 * <p>The snapshot, in {@link #cut}, under the disk's lock (so at most one cut at a time):
 *
 * <ol>
 *   <li>Creates epoch {@code k + 1} and publishes it as open (a volatile write).
 *   <li>Publishes {@code k} as the last cut sequence; queries may now read epoch {@code k}.
 *   <li>Hands epoch {@code k} to the freezer and returns, without waiting for anything.
 * </ol>
 *
 * <p>Why no write is lost: a writer whose re-read (step 3) still saw {@code e} open did its atomic
 * OR before the cut's volatile write, so the freezer, which reads the pages after the cut, sees the
 * bits. A writer whose re-read saw a newer epoch marks that one too, and loops until a re-read
 * confirms the epoch it marked is open. A mark that reaches epoch {@code k} after its freeze is
 * therefore never the only copy. All the accesses involved are volatile or atomic, hence
 * sequentially consistent.
 *
 * <p>Progress: writers never wait (no lock, no counter to drain); a writer repeats step 2 once per
 * cut that overlaps it. The freezer never waits for writers either.
 *
 * <p>Not guaranteed: a {@code recordWrite} that runs concurrently with a cut may land on either
 * side of it, or both. Writes whose data may land after a snapshot must use write scopes (see
 * {@code EpochTrackedDisk}).
 *
 * <p>Thread-safety: {@link #mark} from any thread, without locks; {@link #cut} under the owner's
 * lock; the read methods from any thread.
 */
public final class EpochLog {
  /**
   * The open epoch with its dense bitmap held strongly ({@link Epoch#dense()} is dropped at the
   * freeze, and a writer late on a cut may still mark the old bitmap). Replaced at every cut;
   * writers compare it by identity.
   */
  private record Open(Epoch epoch, DenseEpochBitmap dense) {
    static Open of(Epoch epoch) {
      return new Open(epoch, epoch.dense());
    }
  }

  private volatile Open open;
  private volatile Epoch[] epochs;
  private volatile long lastCut;
  private volatile CachedUnion cache;

  /** Blocks the disk has: the size of the page table new epochs start with. */
  private volatile long blocks;

  private record CachedUnion(long from, long to, BlockSet blocks, BlockRuns runs) {}

  /** A log whose epoch 1 is open, without write-intent logging. */
  public EpochLog() {
    this(null);
  }

  /** A log whose epoch 1 is open, with the given write-intent log (or {@code null}). */
  public EpochLog(IntentLog firstIntents) {
    Epoch first = Epoch.open(1, firstIntents);
    this.open = Open.of(first);
    Epoch[] arr = new Epoch[16];
    arr[1] = first;
    this.epochs = arr;
    this.lastCut = 0;
  }

  /**
   * A log restored with closed epochs {@code 1..closed.size()} (frozen or lost), and epoch {@code
   * closed.size() + 1} open with the given write-intent log.
   */
  public static EpochLog restore(List<Epoch> closed, IntentLog openIntents) {
    EpochLog log = new EpochLog(openIntents);
    int n = closed.size();
    Epoch[] arr = new Epoch[Math.max(16, Integer.highestOneBit(n + 2) * 2)];
    for (int i = 0; i < n; i++) {
      Epoch e = closed.get(i);
      if (e.number() != i + 1) {
        throw new IllegalArgumentException(
            "epochs out of order: index=" + i + ", epoch=" + e.number());
      }
      arr[i + 1] = e;
    }
    Epoch next = n == 0 ? log.open.epoch() : Epoch.open(n + 1L, openIntents);
    arr[n + 1] = next;
    log.epochs = arr;
    log.open = Open.of(next);
    log.lastCut = n;
    return log;
  }

  /**
   * Makes the open epoch's bitmap, and every later epoch's, cover {@code blocks} blocks from the
   * start, so that writes to a grown disk find their page slot. Called under the disk's lock before
   * a larger capacity is published to writers. A write beyond the table is still correct (the
   * bitmap grows on demand), only slower.
   */
  public void ensureBlocks(long diskBlocks) {
    if (diskBlocks > blocks) {
      blocks = diskBlocks;
    }
    open.dense().ensureBlocks(diskBlocks);
  }

  /** Marks blocks {@code first..last} in the open epoch; see the protocol above. */
  public void mark(long first, long last) {
    Open o = open;
    // Steps 1 to 3 when every block is marked already: plain loads, no atomic operation.
    if (o.dense().allMarked(first, last) && open == o) {
      return;
    }
    Epoch e = o.epoch();
    DenseEpochBitmap d = o.dense();
    while (true) {
      // Step 2: the intent first (a block must never be marked without it), then the bits.
      IntentLog intents = e.intentLog();
      if (intents != null) {
        intents.ensureLogged(first, last);
      }
      d.mark(first, last);
      // Step 3: the epoch marked must still be open, else mark the new one.
      Open now = open;
      if (now.epoch() == e) {
        return;
      }
      e = now.epoch();
      d = now.dense();
    }
  }

  /** Marks blocks directly in {@code epoch}, which the caller keeps from being cut. */
  public static void markIn(Epoch epoch, long first, long last) {
    IntentLog intents = epoch.intentLog();
    if (intents != null) {
      intents.ensureLogged(first, last);
    }
    epoch.dense().mark(first, last);
  }

  /**
   * The open epoch's page table, for a caller's own fast path (see {@link
   * DenseEpochBitmap#allMarkedIn}); compare {@link #openEpoch()} or republish it after every cut.
   */
  public long[][] openTable() {
    return open.dense().table();
  }

  /** The open epoch. */
  public Epoch openEpoch() {
    return open.epoch();
  }

  /**
   * Cuts the open epoch {@code k}, opens {@code k + 1} with the given write-intent log (or {@code
   * null}), and returns the cut epoch. The caller holds the disk's lock and hands the result to the
   * freezer.
   */
  public Epoch cut(IntentLog nextIntents) {
    Epoch old = open.epoch();
    long k = old.number();
    Epoch next = Epoch.open(k + 1, nextIntents, blocks);
    Epoch[] arr = epochs;
    if (k + 1 >= arr.length) {
      Epoch[] grown = new Epoch[arr.length * 2];
      System.arraycopy(arr, 0, grown, 0, arr.length);
      arr = grown;
    }
    arr[(int) (k + 1)] = next;
    epochs = arr;
    open = Open.of(next);
    lastCut = k;
    return old;
  }

  /** The sequence of the last cut: the number of the newest closed epoch, 0 if none. */
  public long lastCut() {
    return lastCut;
  }

  /** Closed epoch {@code k}, {@code 1 <= k <= lastCut()}. */
  public Epoch epoch(long k) {
    long cut = lastCut;
    if (k < 1 || k > cut) {
      throw new IndexOutOfBoundsException("epoch not closed: epoch=" + k + ", lastCut=" + cut);
    }
    return epochs[(int) k];
  }

  /**
   * The blocks written after point {@code from} and at or before point {@code to}: the union of
   * epochs {@code from + 1 .. to}, freezing them first if needed.
   *
   * <p>Cost: an interval is split into aligned groups of 4096, 256 and 16 epochs whose unions are
   * computed once and kept ({@link #summary}), plus at most 15 single epochs at each end of each
   * level, so a query over thousands of epochs ORs a few dozen bitmaps. The last answer is also
   * cached, so a client paging through one interval pays for the union once.
   *
   * @throws EpochLostException if an epoch of the interval was lost in an unclean stop
   */
  public BlockSet union(long from, long to) {
    if (from >= to) {
      return BlockSet.EMPTY;
    }
    CachedUnion c = cache;
    if (c != null && c.from == from && c.to == to) {
      return c.blocks;
    }
    return cacheUnion(from, to).blocks;
  }

  /**
   * The runs of {@link #union(long, long)}, found once per interval and cached with it: a client
   * paging through one interval pays for the union and the run scan once.
   *
   * @throws EpochLostException if an epoch of the interval was lost in an unclean stop
   */
  public BlockRuns runs(long from, long to) {
    CachedUnion c = cache;
    if (c != null && c.from == from && c.to == to) {
      return c.runs;
    }
    return cacheUnion(from, to).runs;
  }

  private CachedUnion cacheUnion(long from, long to) {
    if (from >= to) {
      return new CachedUnion(from, to, BlockSet.EMPTY, BlockRuns.of(BlockSet.EMPTY));
    }
    List<BlockSet> parts = new ArrayList<>();
    long k = from + 1;
    while (k <= to) {
      // The highest level at which k starts a child of a group, and the children of that group
      // the interval covers from there: the whole group (a summary), a prefix or a suffix of it
      // (kept like a summary), or a middle run of children (each child's own union).
      // Level 1 always qualifies: its children are single epochs and k <= to.
      int level = SUMMARY_LEVELS;
      long groupStart;
      long child;
      int firstChild;
      int lastChild;
      while (true) {
        child = 1L << (SUMMARY_SHIFT * (level - 1));
        long size = child << SUMMARY_SHIFT;
        groupStart = ((k - 1) / size) * size + 1;
        firstChild = (int) ((k - groupStart) / child);
        lastChild = (int) Math.min(FAN_OUT - 1, (to - groupStart + 1) / child - 1);
        if ((k - 1) % child == 0 && lastChild >= firstChild) {
          break;
        }
        level--;
      }
      long group = (groupStart - 1) >>> (SUMMARY_SHIFT * level);
      if (firstChild == 0 || lastChild == FAN_OUT - 1) {
        parts.add(childrenUnion(level, group, firstChild, lastChild));
      } else {
        for (int c = firstChild; c <= lastChild; c++) {
          parts.add(childUnion(level, group, c));
        }
      }
      k = groupStart + (lastChild + 1L) * child;
    }
    parts.removeIf(BlockSet::isEmpty);
    BlockSet u = BlockSet.union(parts);
    CachedUnion made = new CachedUnion(from, to, u, BlockRuns.of(u));
    cache = made;
    return made;
  }

  /** log2 of the fan-out of the summary levels: groups of 16, 256 and 4096 epochs. */
  private static final int SUMMARY_SHIFT = 4;

  private static final int FAN_OUT = 1 << SUMMARY_SHIFT;

  private static final int SUMMARY_LEVELS = 3;

  /**
   * Unions of closed epochs, kept once computed (closed epochs never change), keyed by {@link
   * #key}: for a group of {@code 16^level} epochs, the union of its children {@code first..last},
   * where the range is the whole group (a summary), a prefix ({@code first == 0}) or a suffix
   * ({@code last == 15}). At most 31 per group, each no larger than the group's summary.
   */
  private final ConcurrentHashMap<Long, BlockSet> summaries = new ConcurrentHashMap<>();

  private static long key(int level, long group, int first, int last) {
    return ((long) level << 60) | ((long) first << 56) | ((long) last << 52) | group;
  }

  /** The union of child {@code c} of group {@code group} at {@code level}. */
  private BlockSet childUnion(int level, long group, int c) {
    long index = (group << SUMMARY_SHIFT) + c;
    return level == 1 ? epoch(index + 1).frozen() : childrenUnion(level - 1, index, 0, FAN_OUT - 1);
  }

  /**
   * The union of children {@code first..last} of group {@code group} at {@code level} (the whole
   * group, a prefix or a suffix), computed from the children on first use and kept.
   */
  private BlockSet childrenUnion(int level, long group, int first, int last) {
    long key = key(level, group, first, last);
    BlockSet s = summaries.get(key);
    if (s != null) {
      return s;
    }
    List<BlockSet> parts = new ArrayList<>(last - first + 1);
    for (int c = first; c <= last; c++) {
      parts.add(childUnion(level, group, c));
    }
    parts.removeIf(BlockSet::isEmpty);
    s = BlockSet.union(parts);
    BlockSet raced = summaries.putIfAbsent(key, s);
    return raced != null ? raced : s;
  }

  /** Heap bytes of every epoch, open and closed, and of the summaries. */
  public long sizeInBytes() {
    long bytes = 0;
    for (BlockSet s : summaries.values()) {
      bytes += s.sizeInBytes();
    }
    long n = open.epoch().number();
    Epoch[] arr = epochs;
    for (int k = 1; k <= n && k < arr.length; k++) {
      if (arr[k] != null) {
        bytes += arr[k].sizeInBytes();
      }
    }
    return bytes;
  }
}
