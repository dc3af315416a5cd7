package io.cbtengine.engine.epoch;

import io.cbtengine.engine.write.DenseEpochBitmap;
import io.cbtengine.engine.write.WriterGate;
import java.util.ArrayList;
import java.util.List;

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
 *   <li>Fast path: if every block of the write is already marked in {@code e}, return. The bits
 *       are in {@code e} and stay there until it is frozen.
 *   <li>Otherwise enter {@code e}'s {@link WriterGate} and re-read the open epoch. If it is no
 *       longer {@code e}, exit and start again from step 1.
 *   <li>Mark the blocks in {@code e}'s dense bitmap (check before set, atomic OR), then exit.
 * </ol>
 *
 * <p>The snapshot, in {@link #cut}, under the disk's lock (so at most one cut at a time):
 *
 * <ol>
 *   <li>Creates epoch {@code k + 1} and publishes it as open (a volatile write). From here on no
 *       writer passes the re-check of step 3 with epoch {@code k}.
 *   <li>Publishes {@code k} as the last cut sequence; queries may now read epoch {@code k}.
 *   <li>Hands epoch {@code k} to the freezer and returns, without waiting for anything.
 * </ol>
 *
 * <p>The freezer (or the first query that needs the epoch) waits for epoch {@code k}'s gate to
 * drain, then compresses it. Progress: writers never wait for a lock or for the freezer; a writer
 * retries step 1 at most once per concurrent cut. The freeze waits only for writers already
 * inside the gate, which each finish in a bounded number of steps.
 *
 * <p>Not guaranteed: a {@code recordWrite} that runs concurrently with a cut may land on either
 * side of it. Writes whose data may land after a snapshot must use write scopes (see {@code
 * EpochTrackedDisk}).
 *
 * <p>Thread-safety: {@link #mark} from any thread, without locks; {@link #cut} under the owner's
 * lock; the read methods from any thread.
 */
public final class EpochLog {
  private volatile Epoch open;
  private volatile Epoch[] epochs;
  private volatile long lastCut;
  private volatile CachedUnion cache;

  private record CachedUnion(long from, long to, BlockSet blocks) {}

  /** A log whose epoch 1 is open, without write-intent logging. */
  public EpochLog() {
    this(null);
  }

  /** A log whose epoch 1 is open, with the given write-intent log (or {@code null}). */
  public EpochLog(IntentLog firstIntents) {
    this.open = Epoch.open(1, firstIntents);
    Epoch[] arr = new Epoch[16];
    arr[1] = open;
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
        throw new IllegalArgumentException("epochs out of order: index=" + i + ", epoch=" + e.number());
      }
      arr[i + 1] = e;
    }
    Epoch next = n == 0 ? log.open : Epoch.open(n + 1L, openIntents);
    arr[n + 1] = next;
    log.epochs = arr;
    log.open = next;
    log.lastCut = n;
    return log;
  }

  /** Marks blocks {@code first..last} in the open epoch; see the protocol above. */
  public void mark(long first, long last) {
    // Step 2, the fast path: blocks already dirty in the open epoch cost plain reads.
    Epoch e = open;
    DenseEpochBitmap d = e.dense();
    if (d != null && d.allMarked(first, last)) {
      return;
    }

    int stripe = WriterGate.stripe();
    while (true) {
      e = open;
      WriterGate gate = e.gate();
      gate.enter(stripe);
      try {
        if (open == e) {
          // Inside the gate the epoch cannot freeze: log the intent durably, then mark.
          IntentLog intents = e.intentLog();
          if (intents != null) {
            intents.ensureLogged(first, last);
          }
          e.dense().mark(first, last);
          return;
        }
      } finally {
        gate.exit(stripe);
      }
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

  /** The open epoch. */
  public Epoch openEpoch() {
    return open;
  }

  /**
   * Cuts the open epoch {@code k}, opens {@code k + 1} with the given write-intent log (or {@code
   * null}), and returns the cut epoch. The caller holds the disk's lock and hands the result to
   * the freezer.
   */
  public Epoch cut(IntentLog nextIntents) {
    Epoch old = open;
    long k = old.number();
    Epoch next = Epoch.open(k + 1, nextIntents);
    Epoch[] arr = epochs;
    if (k + 1 >= arr.length) {
      Epoch[] grown = new Epoch[arr.length * 2];
      System.arraycopy(arr, 0, grown, 0, arr.length);
      arr = grown;
    }
    arr[(int) (k + 1)] = next;
    epochs = arr;
    open = next;
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
   * epochs {@code from + 1 .. to}, freezing them first if needed. The last answer is cached, so a
   * client paging through one interval pays for the union once.
   */
  public BlockSet union(long from, long to) {
    if (from >= to) {
      return BlockSet.EMPTY;
    }
    CachedUnion c = cache;
    if (c != null && c.from == from && c.to == to) {
      return c.blocks;
    }
    List<BlockSet> parts = new ArrayList<>((int) Math.min(to - from, 1 << 16));
    for (long k = from + 1; k <= to; k++) {
      BlockSet b = epoch(k).frozen(); // throws EpochLostException for a lost epoch
      if (!b.isEmpty()) {
        parts.add(b);
      }
    }
    BlockSet u = BlockSet.union(parts);
    cache = new CachedUnion(from, to, u);
    return u;
  }

  /** Heap bytes of every epoch, open and closed. */
  public long sizeInBytes() {
    long bytes = 0;
    long n = open.number();
    Epoch[] arr = epochs;
    for (int k = 1; k <= n && k < arr.length; k++) {
      if (arr[k] != null) {
        bytes += arr[k].sizeInBytes();
      }
    }
    return bytes;
  }
}
