package io.cbtengine.engine.epoch;

import io.cbtengine.engine.write.DenseEpochBitmap;
import java.util.function.BooleanSupplier;

/**
 * The blocks written in one interval of a disk's history: epoch {@code k} holds the writes after
 * the point with sequence {@code k - 1} and at or before the point with sequence {@code k}.
 *
 * <p>Life cycle: <em>open</em> (writers mark its {@link DenseEpochBitmap}), <em>cut</em> (a newer
 * epoch is open), <em>frozen</em> (the dense bitmap was compressed into a {@link BlockSet} and
 * dropped). A writer that marked a cut epoch also marks the open one (see {@link EpochLog}), so
 * bits that reach the dense bitmap after the freeze are not needed. {@link #frozen()} freezes on
 * demand, so a query never waits for the background freezer.
 *
 * <p>Thread-safety: {@link #dense()} serves writers without locks; {@link #freeze()} is idempotent
 * and serialised on the epoch.
 */
public final class Epoch {
  private final long number;
  private final boolean lost;
  private volatile DenseEpochBitmap dense;
  private volatile BlockSet frozen;
  private final IntentLog intentLog;

  /** Set by a thread that needs the frozen form now: a paced background freeze stops pacing. */
  private volatile boolean wanted;

  private Epoch(
      long number, DenseEpochBitmap dense, BlockSet frozen, IntentLog intentLog, boolean lost) {
    this.number = number;
    this.dense = dense;
    this.frozen = frozen;
    this.intentLog = intentLog;
    this.lost = lost;
  }

  /** A new open epoch; {@code intentLog} may be {@code null} (no write-intent logging). */
  public static Epoch open(long number, IntentLog intentLog) {
    return open(number, intentLog, 0);
  }

  /** A new open epoch whose dense bitmap covers {@code blocks} blocks from the start. */
  public static Epoch open(long number, IntentLog intentLog, long blocks) {
    return new Epoch(number, new DenseEpochBitmap(blocks), null, intentLog, false);
  }

  /** An epoch restored in frozen form (for example from disk). */
  public static Epoch ofFrozen(long number, BlockSet blocks) {
    return new Epoch(number, null, blocks, null, false);
  }

  /**
   * An epoch whose content could not be recovered: every query whose interval includes it is
   * refused with {@link EpochLostException}.
   */
  public static Epoch lost(long number) {
    return new Epoch(number, null, null, null, true);
  }

  /** Whether the epoch's content was lost (see {@link #lost(long)}). */
  public boolean isLost() {
    return lost;
  }

  /** The write-intent log of this epoch, or {@code null}; closed once the epoch is on disk. */
  public IntentLog intentLog() {
    return intentLog;
  }

  public long number() {
    return number;
  }

  /** The dense bitmap while the epoch is not frozen, else {@code null}. */
  public DenseEpochBitmap dense() {
    return dense;
  }

  public boolean isFrozen() {
    return frozen != null;
  }

  /** The frozen blocks, freezing first if needed. Must only be called once the epoch is cut. */
  public BlockSet frozen() {
    BlockSet f = frozen;
    return f != null ? f : freeze();
  }

  /**
   * Compresses the dense bitmap of a cut epoch and drops it; idempotent. If a background freeze of
   * this epoch is running, it ends that freeze's pacing and waits for it.
   */
  public BlockSet freeze() {
    wanted = true;
    return freeze(() -> false);
  }

  /**
   * {@link #freeze()} for a background thread: paced, it sleeps between containers until someone
   * needs the result or {@code hurry} says to stop (see {@link
   * DenseEpochBitmap#toBlockSet(BooleanSupplier)}).
   */
  public BlockSet freezeInBackground(BooleanSupplier hurry) {
    return freeze(() -> !wanted && !hurry.getAsBoolean());
  }

  private synchronized BlockSet freeze(BooleanSupplier paced) {
    if (lost) {
      throw new EpochLostException(number);
    }
    BlockSet f = frozen;
    if (f != null) {
      return f;
    }
    f = dense.toBlockSet(paced);
    frozen = f;
    dense = null;
    return f;
  }

  /** Approximate heap bytes held: the dense pages before the freeze, the bitmaps after. */
  public long sizeInBytes() {
    if (lost) {
      return 0;
    }
    BlockSet f = frozen;
    if (f != null) {
      return f.sizeInBytes();
    }
    DenseEpochBitmap d = dense;
    return d == null ? 0 : d.sizeInBytes();
  }
}
