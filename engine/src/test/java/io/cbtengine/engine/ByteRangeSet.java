package io.cbtengine.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An immutable set of bytes of a disk, stored as sorted, disjoint, non-adjacent half-open ranges
 * {@code [start, end)}. The test oracle for "which bytes must be / may be reported".
 *
 * <p>Membership tests cost {@code O(log n)} by binary search on the range starts. Thread-safe
 * (immutable); the {@link Builder} is not.
 */
final class ByteRangeSet {
  static final ByteRangeSet EMPTY = new ByteRangeSet(new long[0], new long[0]);

  private final long[] starts;
  private final long[] ends;

  private ByteRangeSet(long[] starts, long[] ends) {
    this.starts = starts;
    this.ends = ends;
  }

  static Builder builder() {
    return new Builder();
  }

  static ByteRangeSet of(long start, long end) {
    return builder().add(start, end).build();
  }

  /** The number of disjoint ranges. */
  int rangeCount() {
    return starts.length;
  }

  long start(int i) {
    return starts[i];
  }

  long end(int i) {
    return ends[i];
  }

  boolean isEmpty() {
    return starts.length == 0;
  }

  long totalBytes() {
    long sum = 0;
    for (int i = 0; i < starts.length; i++) {
      sum += ends[i] - starts[i];
    }
    return sum;
  }

  /** Whether every byte of {@code [start, end)} is in the set; an empty range is covered. */
  boolean covers(long start, long end) {
    if (start >= end) {
      return true;
    }
    int i = lastStartingAtOrBefore(start);
    return i >= 0 && ends[i] >= end;
  }

  /** The parts of {@code [start, end)} that are not in the set, in order. */
  List<long[]> gaps(long start, long end) {
    List<long[]> gaps = new ArrayList<>();
    long pos = start;
    int i = Math.max(0, lastStartingAtOrBefore(start));
    for (; i < starts.length && pos < end; i++) {
      if (ends[i] <= pos) {
        continue;
      }
      if (starts[i] >= end) {
        break;
      }
      if (starts[i] > pos) {
        gaps.add(new long[] {pos, starts[i]});
      }
      pos = Math.max(pos, ends[i]);
    }
    if (pos < end) {
      gaps.add(new long[] {pos, end});
    }
    return gaps;
  }

  /** The first range of this set that is not inside {@code other}, or null if this is a subset. */
  long[] firstRangeOutside(ByteRangeSet other) {
    for (int i = 0; i < starts.length; i++) {
      if (!other.covers(starts[i], ends[i])) {
        List<long[]> outside = other.gaps(starts[i], ends[i]);
        return outside.get(0);
      }
    }
    return null;
  }

  /** The first range of {@code other} whose bytes are not all in this set, or null. */
  long[] firstGapFor(ByteRangeSet other) {
    return other.firstRangeOutside(this);
  }

  /** This set intersected with {@code [lo, hi)}. */
  ByteRangeSet clip(long lo, long hi) {
    Builder b = builder();
    for (int i = 0; i < starts.length; i++) {
      b.add(Math.max(lo, starts[i]), Math.min(hi, ends[i]));
    }
    return b.build();
  }

  ByteRangeSet union(ByteRangeSet other) {
    Builder b = builder();
    b.addAll(this);
    b.addAll(other);
    return b.build();
  }

  private int lastStartingAtOrBefore(long pos) {
    int i = Arrays.binarySearch(starts, pos);
    return i >= 0 ? i : -i - 2;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ByteRangeSet s
        && Arrays.equals(starts, s.starts)
        && Arrays.equals(ends, s.ends);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(starts) * 31 + Arrays.hashCode(ends);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    int shown = Math.min(starts.length, 20);
    for (int i = 0; i < shown; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append('[').append(starts[i]).append(", ").append(ends[i]).append(')');
    }
    if (shown < starts.length) {
      sb.append(", ... ").append(starts.length - shown).append(" more");
    }
    return sb.append('}').toString();
  }

  /** Collects ranges in any order; empty ranges are ignored; overlapping or adjacent ones merge. */
  static final class Builder {
    private long[] starts = new long[16];
    private long[] ends = new long[16];
    private int size;

    Builder add(long start, long end) {
      if (start >= end) {
        return this;
      }
      if (size == starts.length) {
        starts = Arrays.copyOf(starts, size * 2);
        ends = Arrays.copyOf(ends, size * 2);
      }
      starts[size] = start;
      ends[size] = end;
      size++;
      return this;
    }

    Builder addAll(ByteRangeSet set) {
      for (int i = 0; i < set.starts.length; i++) {
        add(set.starts[i], set.ends[i]);
      }
      return this;
    }

    ByteRangeSet build() {
      // Sort by start through an index permutation, then merge overlapping or adjacent ranges.
      Integer[] order = new Integer[size];
      for (int i = 0; i < size; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (a, b) -> Long.compare(starts[a], starts[b]));
      long[] s = new long[size];
      long[] e = new long[size];
      int n = 0;
      for (int k = 0; k < size; k++) {
        int i = order[k];
        if (n > 0 && starts[i] <= e[n - 1]) {
          e[n - 1] = Math.max(e[n - 1], ends[i]);
        } else {
          s[n] = starts[i];
          e[n] = ends[i];
          n++;
        }
      }
      return new ByteRangeSet(Arrays.copyOf(s, n), Arrays.copyOf(e, n));
    }
  }
}
