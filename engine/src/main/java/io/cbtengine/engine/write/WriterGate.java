package io.cbtengine.engine.write;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts the writers inside one epoch, striped by thread so that writers on different cores do not
 * share a cache line. A writer {@link #enter enters} the gate of the epoch it read as open,
 * re-checks that the epoch is still open, marks, and {@link #exit exits}; the freezer {@link
 * #awaitDrained() waits} for every stripe to be seen at zero after the epoch was cut.
 *
 * <p>Why seeing each stripe at zero once is enough: a writer enters and exits on the same stripe,
 * and every operation here and on the open-epoch reference is sequentially consistent. A writer
 * that enters a stripe after the freezer saw it at zero entered after the cut, so its re-check
 * fails and it leaves without marking. A writer that entered before keeps the stripe above zero
 * until it has marked.
 *
 * <p>Not guaranteed: the sum of the stripes is not an atomic snapshot; only {@link
 * #awaitDrained()} gives a meaningful answer, and only once no new writer can pass the re-check.
 */
public final class WriterGate {
  /** Longs between two stripes: 128 bytes, two cache lines, against false sharing. */
  private static final int PAD = 16;

  private static final int STRIPES = stripesFor(Runtime.getRuntime().availableProcessors());

  private final AtomicLongArray counts = new AtomicLongArray(STRIPES * PAD);

  private static int stripesFor(int cpus) {
    int n = Integer.highestOneBit(Math.max(1, cpus) * 2 - 1) * 2;
    return Math.max(4, Math.min(n, 256));
  }

  /** The stripe of the calling thread; pass the same value to {@link #enter} and {@link #exit}. */
  public static int stripe() {
    long id = Thread.currentThread().getId();
    int h = (int) (id * 0x9E3779B97F4A7C15L >>> 40);
    return (h & (STRIPES - 1)) * PAD;
  }

  public void enter(int stripe) {
    counts.getAndIncrement(stripe);
  }

  public void exit(int stripe) {
    counts.getAndDecrement(stripe);
  }

  /** Waits until every stripe has been seen at zero. Call only after the epoch was cut. */
  public void awaitDrained() {
    for (int s = 0; s < STRIPES * PAD; s += PAD) {
      int spins = 0;
      while (counts.get(s) != 0) {
        if (++spins < 100) {
          Thread.onSpinWait();
        } else {
          Thread.yield();
        }
      }
    }
  }
}
