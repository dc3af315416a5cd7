package io.cbtengine.benchmarks;

/**
 * What every baseline shares: its name and the disk's geometry. The baselines' marking, snapshot
 * and query code stays in each class, as a user would write it.
 */
abstract class BaselineTracker implements WriteTracker {
  final BlockGeometry geometry;
  private final TrackerKind kind;

  BaselineTracker(TrackerKind kind, long capacityBytes, int blockSize) {
    this.kind = kind;
    this.geometry = new BlockGeometry(capacityBytes, blockSize);
  }

  @Override
  public String name() {
    return kind.paramName();
  }

  @Override
  public long capacityBytes() {
    return geometry.capacityBytes;
  }

  @Override
  public int blockSize() {
    return geometry.blockSize;
  }
}
