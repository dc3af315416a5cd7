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
  private volatile DenseEpochBitmap dense;
  private volatile BlockSet frozen;

  private Epoch(long number, DenseEpochBitmap dense, BlockSet frozen) {
    this.number = number;
    this.gate = new WriterGate();
    this.dense = dense;
    this.frozen = frozen;
  }

  /** A new open epoch. */
  public static Epoch open(long number) {
    return new Epoch(number, new DenseEpochBitmap(), null);
  }

  /** An epoch restored in frozen form (for example from disk). */
  public static Epoch ofFrozen(long number, BlockSet blocks) {
    return new Epoch(number, null, blocks);
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

  /** Drains late writers and compresses the dense bitmap; idempotent. */
  public synchronized BlockSet freeze() {
    BlockSet f = frozen;
    if (f != null) {
      return f;
    }
    gate.awaitDrained();
    f = dense.toBlockSet();
    frozen = f;
    dense = null;
    return f;
  }

  /** Approximate heap bytes held: the dense pages before the freeze, the bitmaps after. */
  public long sizeInBytes() {
    BlockSet f = frozen;
    if (f != null) {
      return f.sizeInBytes();
    }
    DenseEpochBitmap d = dense;
    return d == null ? 0 : d.sizeInBytes();
  }
}
