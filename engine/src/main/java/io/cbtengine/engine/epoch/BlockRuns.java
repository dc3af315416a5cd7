package io.cbtengine.engine.epoch;

import java.util.Arrays;
import org.roaringbitmap.BatchIterator;
import org.roaringbitmap.RoaringBitmap;

/**
 * The maximal runs of consecutive blocks of a {@link BlockSet}, in increasing order, found once so
 * that every reply of a paging client costs a binary search plus one step per extent.
 *
 * <p>Representation: two parallel {@code long[]} of run starts and (exclusive) ends, 16 bytes per
 * run. Sets with more than {@link #MAX_RUNS} runs are walked with searches instead ({@link
 * #search(BlockSet)}), so the cost stays bounded. Immutable and thread-safe once built.
 */
public abstract class BlockRuns {
  /** Runs kept in arrays at most: 4 Mi runs, 64 MiB. */
  public static final int MAX_RUNS = 1 << 22;

  private static final int BATCH = 256;

  /** Runs of {@code set}: in arrays when there are at most {@link #MAX_RUNS}, else searched. */
  public static BlockRuns of(BlockSet set) {
    ArrayRuns runs = ArrayRuns.build(set);
    return runs != null ? runs : search(set);
  }

  /** Runs found by searching the set for each one (no memory beyond the set). */
  public static BlockRuns search(BlockSet set) {
    return new SearchedRuns(set);
  }

  /** Walks the runs that end after {@code fromBlock}, the first one clipped to start there. */
  public abstract Cursor cursor(long fromBlock);

  /** A position among the runs. Not thread-safe. */
  public abstract static class Cursor {
    long start;
    long end;

    /** Moves to the next run; {@code false} if none. */
    public abstract boolean next();

    /**
     * An upper bound of the runs {@link #next()} can still return, for sizing a reply; {@code
     * Integer.MAX_VALUE} if unknown.
     */
    public int remainingAtMost() {
      return Integer.MAX_VALUE;
    }

    /** The first block of the current run. */
    public long start() {
      return start;
    }

    /** The block after the current run. */
    public long end() {
      return end;
    }
  }

  private static final class ArrayRuns extends BlockRuns {
    private final long[] starts;
    private final long[] ends;
    private final int size;

    private ArrayRuns(long[] starts, long[] ends, int size) {
      this.starts = starts;
      this.ends = ends;
      this.size = size;
    }

    static ArrayRuns build(BlockSet set) {
      long[] starts = new long[1024];
      long[] ends = new long[1024];
      int n = 0;
      int[] buffer = new int[BATCH];
      for (int c = 0; c < set.chunkCount(); c++) {
        RoaringBitmap r = set.chunk(c);
        if (r == null) {
          continue;
        }
        long base = (long) c << BlockSet.CHUNK_SHIFT;
        BatchIterator it = r.getBatchIterator();
        while (it.hasNext()) {
          int got = it.nextBatch(buffer);
          for (int i = 0; i < got; i++) {
            long block = base + Integer.toUnsignedLong(buffer[i]);
            if (n > 0 && ends[n - 1] == block) {
              ends[n - 1] = block + 1;
              continue;
            }
            if (n == MAX_RUNS) {
              return null;
            }
            if (n == starts.length) {
              int grown = (int) Math.min((long) n * 2, MAX_RUNS);
              starts = Arrays.copyOf(starts, grown);
              ends = Arrays.copyOf(ends, grown);
            }
            starts[n] = block;
            ends[n] = block + 1;
            n++;
          }
        }
      }
      return new ArrayRuns(starts, ends, n);
    }

    @Override
    public Cursor cursor(long fromBlock) {
      // The first run that ends after fromBlock.
      int lo = 0;
      int hi = size;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (ends[mid] <= fromBlock) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      int first = lo;
      return new Cursor() {
        int i = first;

        @Override
        public int remainingAtMost() {
          return size - i;
        }

        @Override
        public boolean next() {
          if (i >= size) {
            return false;
          }
          start = Math.max(starts[i], fromBlock);
          end = ends[i];
          i++;
          return true;
        }
      };
    }
  }

  private static final class SearchedRuns extends BlockRuns {
    private final BlockSet set;

    SearchedRuns(BlockSet set) {
      this.set = set;
    }

    @Override
    public Cursor cursor(long fromBlock) {
      return new Cursor() {
        long pos = fromBlock;

        @Override
        public boolean next() {
          long s = set.nextSet(pos);
          if (s < 0) {
            return false;
          }
          start = s;
          end = set.nextClear(s);
          pos = end;
          return true;
        }
      };
    }
  }
}
