package io.cbtengine.engine.epoch;

import org.roaringbitmap.BitmapContainer;
import org.roaringbitmap.Container;
import org.roaringbitmap.ContainerPointer;
import org.roaringbitmap.PeekableCharIterator;
import org.roaringbitmap.RoaringBitmap;
import org.roaringbitmap.RunContainer;

/**
 * The maximal runs of consecutive blocks of a {@link BlockSet}, in increasing order, found once so
 * that every reply of a paging client costs a binary search plus one step per extent.
 *
 * <p>Representation: two parallel {@code long[]} of run starts and (exclusive) ends, 16 bytes per
 * run. Sets with more than {@link #MAX_RUNS} runs (counted per Roaring container, so a run that
 * crosses a container's edge counts twice) are walked with searches instead ({@link
 * #search(BlockSet)}), so the memory stays bounded. Immutable and thread-safe once built.
 */
public abstract class BlockRuns {
  /** Runs kept in arrays at most: 4 Mi runs, 64 MiB. */
  public static final int MAX_RUNS = 1 << 22;

  /**
   * Runs of {@code set}: in arrays when there are at most about {@link #MAX_RUNS}, else searched.
   */
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

    /**
     * Two passes over the containers: the first counts each container's runs exactly, so the arrays
     * are allocated once at their final size (growing them by doubling had allocated about twice
     * the final size and copied it); the second copies the runs, joining a run that ends at a
     * container's (or a chunk's) last block with one that starts at the next container's first.
     * Runs are read per container type: a run container's runs are copied, a bitmap container's
     * words are scanned a word at a time, an array container's values are walked.
     */
    static ArrayRuns build(BlockSet set) {
      long[] words = new long[BITMAP_WORDS];
      RunCounter counter = new RunCounter();
      forEachRun(set, counter, words);
      if (counter.runs > MAX_RUNS) {
        return null;
      }
      RunAppender appender = new RunAppender((int) counter.runs);
      forEachRun(set, appender, words);
      return new ArrayRuns(appender.starts, appender.ends, appender.size);
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

  /** Words of a Roaring bitmap container: 2^16 bits. */
  private static final int BITMAP_WORDS = 1 << 10;

  /** Receives runs {@code [start, end)} in increasing order. */
  private interface RunSink {
    void run(long start, long end);
  }

  /** Counts runs as the containers report them (an upper bound: joins are not subtracted). */
  private static final class RunCounter implements RunSink {
    long runs;

    @Override
    public void run(long start, long end) {
      runs++;
    }
  }

  /** Appends runs to arrays sized by a {@link RunCounter}, joining touching runs. */
  private static final class RunAppender implements RunSink {
    final long[] starts;
    final long[] ends;
    int size;

    RunAppender(int capacity) {
      starts = new long[capacity];
      ends = new long[capacity];
    }

    @Override
    public void run(long start, long end) {
      if (size > 0 && ends[size - 1] == start) {
        ends[size - 1] = end;
      } else {
        starts[size] = start;
        ends[size] = end;
        size++;
      }
    }
  }

  /** Reports every run of every container of {@code set}, in order; {@code words} is scratch. */
  private static void forEachRun(BlockSet set, RunSink sink, long[] words) {
    for (int c = 0; c < set.chunkCount(); c++) {
      RoaringBitmap r = set.chunk(c);
      if (r == null) {
        continue;
      }
      long chunkBase = (long) c << BlockSet.CHUNK_SHIFT;
      for (ContainerPointer p = r.getContainerPointer(); p.getContainer() != null; p.advance()) {
        long base = chunkBase + ((long) p.key() << 16);
        Container container = p.getContainer();
        if (container instanceof RunContainer run) {
          for (int i = 0; i < run.numberOfRuns(); i++) {
            long start = base + run.getValue(i);
            sink.run(start, start + run.getLength(i) + 1);
          }
        } else if (container instanceof BitmapContainer bitmap) {
          bitmap.copyBitmapTo(words, 0);
          wordRuns(words, base, sink);
        } else {
          valueRuns(container.getCharIterator(), base, sink);
        }
      }
    }
  }

  /** The runs of a container's 2^16 bits, a word at a time. */
  private static void wordRuns(long[] words, long base, RunSink sink) {
    int w = 0;
    long word = words[0];
    while (true) {
      while (word == 0) {
        if (++w == BITMAP_WORDS) {
          return;
        }
        word = words[w];
      }
      int start = (w << 6) + Long.numberOfTrailingZeros(word);
      // Fill the zeros below the run's first bit; the run ends at the lowest zero left.
      word |= word - 1;
      while (word == -1L) {
        if (++w == BITMAP_WORDS) {
          sink.run(base + start, base + (BITMAP_WORDS << 6));
          return;
        }
        word = words[w];
      }
      int end = (w << 6) + Long.numberOfTrailingZeros(~word);
      sink.run(base + start, base + end);
      // Clear the run's bits (the trailing ones) and go on with the same word.
      word &= word + 1;
    }
  }

  /** The runs of a container's values, walked in increasing order. */
  private static void valueRuns(PeekableCharIterator values, long base, RunSink sink) {
    int start = -1;
    int end = -1;
    while (values.hasNext()) {
      int v = values.nextAsInt();
      if (v != end) {
        if (start >= 0) {
          sink.run(base + start, base + end);
        }
        start = v;
      }
      end = v + 1;
    }
    if (start >= 0) {
      sink.run(base + start, base + end);
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
