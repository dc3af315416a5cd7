package io.cbtengine.benchmarks;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cbtengine.api.DiskChangeExtent;
import java.util.List;
import org.roaringbitmap.RoaringBitmap;

/** Test helpers: trackers that skip while the engine is a stub, and a block-set oracle. */
final class Trackers {
  private Trackers() {}

  /** A tracker of the kind, or a skipped test if the engine is not built yet. */
  static WriteTracker create(TrackerKind kind, long capacity, int blockSize) {
    try {
      return kind.create(capacity, blockSize);
    } catch (UnsupportedOperationException e) {
      assumeTrue(false, "engine not available yet: " + e.getMessage());
      throw e;
    }
  }

  /** Skips the test if the engine is not built yet. */
  static void assumeAvailable(TrackerKind kind) {
    create(kind, 1 << 20, 4096).close();
  }

  /** The blocks that writes of {@code length} bytes at each offset touch. */
  static RoaringBitmap blocks(long[] offsets, int from, int to, long length, int blockSize) {
    RoaringBitmap blocks = new RoaringBitmap();
    for (int i = from; i < to; i++) {
      blocks.add(offsets[i] / blockSize, (offsets[i] + length - 1) / blockSize + 1);
    }
    return blocks;
  }

  /** The blocks the extents cover. */
  static RoaringBitmap blocks(List<DiskChangeExtent> extents, int blockSize) {
    RoaringBitmap blocks = new RoaringBitmap();
    for (DiskChangeExtent e : extents) {
      blocks.add(e.start() / blockSize, (e.start() + e.length() - 1) / blockSize + 1);
    }
    return blocks;
  }
}
