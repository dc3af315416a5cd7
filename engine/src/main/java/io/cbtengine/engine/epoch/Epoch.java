package io.cbtengine.engine.epoch;

import io.cbtengine.engine.write.DenseEpochBitmap;
import io.cbtengine.engine.write.WriterGate;

/**
 * The blocks written in one interval of a disk's history: epoch {@code k} holds the writes after
 * the point with sequence {@code k - 1} and at or before the point with sequence {@code k}.
 *
 * <p>Life cycle: <em>open</em> (writers mark its {@link DenseEpochBitmap}), <em>cut</em> (a newer
 * epoch is open; late writers may still be inside its {@link WriterGate}), <em>frozen</em> (the
 * dense bitmap was compressed into a {@link BlockSet} and dropped). {@link #frozen()} freezes on
 * demand, so a query never waits for the background freezer, only for the freeze of the epochs it
 * reads.
 *
 * <p>Thread-safety: {@link #dense()} and {@link #gate()} serve writers without locks; {@link
 * #freeze()} is idempotent and serialised on the epoch.
 */
public final class Epoch {
  private final long number;
  private final WriterGate gate;
  private final boolean lost;
  private volatile DenseEpochBitmap dense;
  private volatile BlockSet frozen;
  private volatile IntentLog intentLog;

  private Epoch(long number, DenseEpochBitmap dense, BlockSet frozen, IntentLog intentLog,
      boolean lost) {
    this.number = number;
    this.gate = new WriterGate();
    this.dense = dense;
    this.frozen = frozen;
    this.intentLog = intentLog;
    this.lost = lost;
  }

  /** A new open epoch; {@code intentLog} may be {@code null} (no write-intent logging). */
  public static Epoch open(long number, IntentLog intentLog) {
    return new Epoch(number, new DenseEpochBitmap(), null, intentLog, false);
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

  /** The write-intent log of this epoch while it is open, else {@code null}. */
  public IntentLog intentLog() {
    return intentLog;
  }

  public long number() {
    return number;
  }

  public WriterGate gate() {
    return gate;
  }

  /** The dense bitmap while the epoch is not frozen, else {@code null}. */
  public DenseEpochBitmap dense() {
    return dense;
  }

  public boolean isFrozen() {
    return frozen != null;
  }

  /**
   * The frozen blocks, freezing first if needed. Must only be called once the epoch is cut: it
   * waits for writers still inside the epoch's gate.
   */
  public BlockSet frozen() {
    BlockSet f = frozen;
    return f != null ? f : freeze();
  }

  /** The frozen blocks if the epoch is frozen, else {@code null}; never waits. */
  public BlockSet frozenIfReady() {
    return frozen;
  }

  /** Drains late writers and compresses the dense bitmap; idempotent. */
  public synchronized BlockSet freeze() {
    if (lost) {
      throw new EpochLostException(number);
    }
    BlockSet f = frozen;
    if (f != null) {
      return f;
    }
    gate.awaitDrained();
    f = dense.toBlockSet();
    frozen = f;
    dense = null;
    intentLog = null;
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
