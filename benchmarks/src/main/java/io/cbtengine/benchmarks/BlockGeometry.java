package io.cbtengine.benchmarks;

import io.cbtengine.api.DiskChangeExtent;
import java.util.ArrayList;
import java.util.List;
import org.roaringbitmap.RoaringBitmap;

/**
 * A disk's capacity cut into blocks of a power-of-two size, as the baselines index it. Block
 * numbers fit an {@code int} (RoaringBitmap's key), which limits baselines to 2^31 blocks: 2 TiB at
 * 1 KiB blocks, more than any benchmark here needs. Immutable and thread-safe.
 */
final class BlockGeometry {
  final long capacityBytes;
  final int blockSize;
  final int shift;
  final int blockCount;

  BlockGeometry(long capacityBytes, int blockSize) {
    if (blockSize <= 0 || Integer.bitCount(blockSize) != 1) {
      throw new IllegalArgumentException(
          "blockSize must be a power of two: blockSize=" + blockSize);
    }
    long blocks = (capacityBytes + blockSize - 1) / blockSize;
    if (capacityBytes <= 0 || blocks > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "capacity must hold 1..2^31-1 blocks: capacityBytes="
              + capacityBytes
              + ", blockSize="
              + blockSize);
    }
    this.capacityBytes = capacityBytes;
    this.blockSize = blockSize;
    this.shift = Integer.numberOfTrailingZeros(blockSize);
    this.blockCount = (int) blocks;
  }

  /** The first block a write touches. */
  int firstBlock(long offset) {
    return (int) (offset >>> shift);
  }

  /** The last block a write of positive length touches. */
  int lastBlock(long offset, long length) {
    return (int) ((offset + length - 1) >>> shift);
  }

  void checkWrite(long offset, long length) {
    if (offset < 0 || length < 0 || offset + length > capacityBytes) {
      throw new IllegalArgumentException(
          "write outside the disk: offset="
              + offset
              + ", length="
              + length
              + ", capacity="
              + capacityBytes);
    }
  }

  /** The byte extent of blocks {@code [first, endExclusive)}, clipped to the capacity. */
  DiskChangeExtent extent(long first, long endExclusive) {
    long start = first << shift;
    long end = Math.min(endExclusive << shift, capacityBytes);
    return new DiskChangeExtent(start, end - start);
  }

  /** Coalesced byte extents of the set blocks of a bitmap. */
  List<DiskChangeExtent> extents(RoaringBitmap blocks) {
    List<DiskChangeExtent> out = new ArrayList<>();
    long next = blocks.nextValue(0);
    while (next >= 0) {
      long end = blocks.nextAbsentValue((int) next);
      out.add(extent(next, end));
      next = end >= blockCount ? -1 : blocks.nextValue((int) end);
    }
    return out;
  }

  /**
   * Coalesced byte extents of the set bits of a dense bitmap, bit {@code b} of word {@code b/64}.
   */
  List<DiskChangeExtent> extents(long[] words) {
    List<DiskChangeExtent> out = new ArrayList<>();
    long block = nextSetBit(words, 0);
    while (block >= 0 && block < blockCount) {
      long end = Math.min(nextClearBit(words, block), blockCount);
      out.add(extent(block, end));
      block = nextSetBit(words, end);
    }
    return out;
  }

  private static long nextSetBit(long[] words, long from) {
    int w = (int) (from >>> 6);
    if (w >= words.length) {
      return -1;
    }
    long word = words[w] & (-1L << from);
    while (word == 0) {
      if (++w == words.length) {
        return -1;
      }
      word = words[w];
    }
    return ((long) w << 6) + Long.numberOfTrailingZeros(word);
  }

  private static long nextClearBit(long[] words, long from) {
    int w = (int) (from >>> 6);
    if (w >= words.length) {
      return from;
    }
    long word = ~words[w] & (-1L << from);
    while (word == 0) {
      if (++w == words.length) {
        return (long) w << 6;
      }
      word = ~words[w];
    }
    return ((long) w << 6) + Long.numberOfTrailingZeros(word);
  }

  /** The set of blocks the extents cover, for checking answers. */
  RoaringBitmap blocksOf(List<DiskChangeExtent> extents) {
    RoaringBitmap blocks = new RoaringBitmap();
    for (DiskChangeExtent e : extents) {
      blocks.add((long) firstBlock(e.start()), (long) lastBlock(e.start(), e.length()) + 1);
    }
    return blocks;
  }
}
