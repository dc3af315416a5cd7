package io.cbtengine.engine.epoch;

/** Thrown when a query needs an epoch whose content could not be recovered. */
public final class EpochLostException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final long epoch;

  public EpochLostException(long epoch) {
    super("epoch content lost: epoch=" + epoch);
    this.epoch = epoch;
  }

  public long epoch() {
    return epoch;
  }
}
