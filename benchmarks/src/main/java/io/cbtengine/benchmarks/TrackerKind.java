package io.cbtengine.benchmarks;

import java.util.Arrays;

/** The implementations a benchmark's {@code impl} parameter names. */
public enum TrackerKind {
  ENGINE("engine"),
  FLOOR("floor"),
  SYNC_ROARING("syncRoaring"),
  LOCKED_BIT_SET("lockedBitSet"),
  RANGE_SET("rangeSet");

  private final String paramName;

  TrackerKind(String paramName) {
    this.paramName = paramName;
  }

  /** The name used in {@code @Param} values and in the report. */
  public String paramName() {
    return paramName;
  }

  /**
   * @throws IllegalArgumentException if no implementation has that parameter name
   */
  public static TrackerKind of(String paramName) {
    for (TrackerKind kind : values()) {
      if (kind.paramName.equals(paramName)) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        "unknown impl: impl=" + paramName + ", known=" + Arrays.toString(values()));
  }

  /**
   * A new, empty tracker of a disk of {@code capacityBytes} tracked in blocks of {@code blockSize}.
   */
  public WriteTracker create(long capacityBytes, int blockSize) {
    switch (this) {
      case ENGINE:
        return new EngineTracker(capacityBytes, blockSize);
      case FLOOR:
        return new FloorBitSetTracker(capacityBytes, blockSize);
      case SYNC_ROARING:
        return new SynchronizedRoaringTracker(capacityBytes, blockSize);
      case LOCKED_BIT_SET:
        return new LockedBitSetTracker(capacityBytes, blockSize);
      case RANGE_SET:
        return new LockedRangeSetTracker(capacityBytes, blockSize);
      default:
        throw new AssertionError(this);
    }
  }

  @Override
  public String toString() {
    return paramName;
  }
}
