package io.cbtengine.simulator.truth;

import java.util.Map;
import java.util.TreeMap;

/**
 * A map from disjoint byte ranges {@code [start, end)} to values; bytes outside every range map to
 * {@code null}. A {@link TreeMap} from start offset to an immutable segment.
 *
 * <p>Segments are immutable, so {@link #copy()} shares them and costs one tree copy, O(n): this is
 * how the simulator freezes a disk's content at a snapshot while writes go on.
 *
 * <p>Cost: {@link #assign} is O((k + 1) log n) for k segments overwritten; a segment takes about 80
 * bytes. Not thread-safe.
 *
 * @param <V> the value type; values are compared by identity where it matters
 */
public final class ByteRangeMap<V> {
  private final TreeMap<Long, Segment<V>> segments;

  public ByteRangeMap() {
    this.segments = new TreeMap<>();
  }

  private ByteRangeMap(TreeMap<Long, Segment<V>> segments) {
    this.segments = segments;
  }

  /** A copy that later changes of either map do not affect. */
  public ByteRangeMap<V> copy() {
    return new ByteRangeMap<>(new TreeMap<>(segments));
  }

  /** The number of segments. */
  public int segmentCount() {
    return segments.size();
  }

  /** Maps every byte of {@code [start, end)} to {@code value}, or clears it if {@code null}. */
  public void assign(long start, long end, V value) {
    if (start >= end) {
      return;
    }

    // Cut the segment that begins before start and reaches into the range.
    Map.Entry<Long, Segment<V>> lower = segments.lowerEntry(start);
    if (lower != null && lower.getValue().end > start) {
      Segment<V> s = lower.getValue();
      segments.put(s.start, new Segment<>(s.start, start, s.value));
      if (s.end > end) {
        segments.put(end, new Segment<>(end, s.end, s.value));
      }
    }

    // Drop the segments that begin inside the range, keeping the tail of the last one.
    Map.Entry<Long, Segment<V>> e;
    while ((e = segments.ceilingEntry(start)) != null && e.getKey() < end) {
      Segment<V> s = e.getValue();
      segments.remove(s.start);
      if (s.end > end) {
        segments.put(end, new Segment<>(end, s.end, s.value));
      }
    }

    if (value != null) {
      segments.put(start, new Segment<>(start, end, value));
    }
  }

  /**
   * Visits {@code [start, end)} as consecutive pieces, in order, each with one value ({@code null}
   * for bytes outside every range). The pieces tile the range exactly.
   */
  public void visit(long start, long end, PieceVisitor<V> visitor) {
    long pos = start;
    Map.Entry<Long, Segment<V>> floor = segments.floorEntry(start);
    if (floor != null && floor.getValue().end > start) {
      long to = Math.min(floor.getValue().end, end);
      visitor.piece(pos, to, floor.getValue().value);
      pos = to;
    }
    if (pos < end) {
      for (Segment<V> s : segments.subMap(start, false, end, false).values()) {
        if (s.start > pos) {
          visitor.piece(pos, s.start, null);
        }
        long to = Math.min(s.end, end);
        visitor.piece(s.start, to, s.value);
        pos = to;
      }
    }
    if (pos < end) {
      visitor.piece(pos, end, null);
    }
  }

  /** The number of bytes in {@code [start, end)} whose value differs (by identity) from other's. */
  public long differingBytes(ByteRangeMap<V> other, long start, long end) {
    long[] sum = new long[1];
    visit(
        start,
        end,
        (a, b, mine) ->
            other.visit(
                a,
                b,
                (c, d, theirs) -> {
                  if (mine != theirs) {
                    sum[0] += d - c;
                  }
                }));
    return sum[0];
  }

  /** The number of bytes in {@code [start, end)} that map to a value. */
  public long coveredBytes(long start, long end) {
    long[] sum = new long[1];
    visit(
        start,
        end,
        (a, b, v) -> {
          if (v != null) {
            sum[0] += b - a;
          }
        });
    return sum[0];
  }

  /** Receives the pieces of {@link #visit}. */
  @FunctionalInterface
  public interface PieceVisitor<V> {
    void piece(long start, long end, V value);
  }

  private record Segment<V>(long start, long end, V value) {}
}
