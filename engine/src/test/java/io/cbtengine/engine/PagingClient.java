package io.cbtengine.engine;

import io.cbtengine.api.ChangeTracker;
import io.cbtengine.api.DiskChangeExtent;
import io.cbtengine.api.DiskChangeInfo;
import io.cbtengine.api.DiskId;
import io.cbtengine.api.DiskOptions;
import io.cbtengine.api.SnapshotId;
import io.cbtengine.api.TrackedDisk;
import java.util.ArrayList;
import java.util.List;

/**
 * The loop a backup client runs: ask from {@code startOffset}, then from {@code r.startOffset() +
 * r.length()} until the capacity of the snapshot is reached, checking every reply against {@link
 * ReplyInvariants} on the way. Returns every reply and the union of their extents.
 */
final class PagingClient {
  private PagingClient() {}

  /** One request of the loop: the reply for a start offset. */
  @FunctionalInterface
  interface Request {
    DiskChangeInfo from(long startOffset);
  }

  /** What the loop collected. */
  record Result(List<DiskChangeInfo> replies, ByteRangeSet changed) {
    /** The number of extents over all replies, before joining pieces across windows. */
    long extentCount() {
      long n = 0;
      for (DiskChangeInfo r : replies) {
        n += r.changedArea().size();
      }
      return n;
    }
  }

  /** Pages through the disk's reply at {@code snapshot} from {@code startOffset}. */
  static Result queryAll(TrackedDisk disk, SnapshotId snapshot, long startOffset, String changeId) {
    long capacity = disk.snapshot(snapshot).capacityBytes();
    return queryAll(
        off -> disk.queryChangedDiskAreas(snapshot, off, changeId),
        startOffset,
        capacity,
        disk.options());
  }

  /** As {@link #queryAll(TrackedDisk, SnapshotId, long, String)}, through the engine's entry. */
  static Result queryAll(
      ChangeTracker tracker, DiskId disk, SnapshotId snapshot, long startOffset, String changeId) {
    TrackedDisk d = tracker.disk(disk);
    long capacity = d.snapshot(snapshot).capacityBytes();
    return queryAll(
        off -> tracker.queryChangedDiskAreas(disk, snapshot, off, changeId),
        startOffset,
        capacity,
        d.options());
  }

  /**
   * Runs the loop against any request function.
   *
   * @param capacity the capacity of the queried snapshot, where the loop stops
   */
  static Result queryAll(Request request, long startOffset, long capacity, DiskOptions options) {
    List<DiskChangeInfo> replies = new ArrayList<>();
    ByteRangeSet.Builder changed = ByteRangeSet.builder();
    long off = startOffset;
    while (off != capacity) {
      ReplyInvariants.check(
          off < capacity, "paging overshot the capacity: off=" + off + ", capacity=" + capacity);
      DiskChangeInfo r = request.from(off);
      ReplyInvariants.checkReply(
          r,
          off,
          capacity,
          options.blockSize(),
          options.maxExtentsPerReply(),
          options.maxWindowBytes());
      replies.add(r);
      for (DiskChangeExtent e : r.changedArea()) {
        changed.add(e.start(), e.end());
      }
      off = r.startOffset() + r.length();
    }
    ReplyInvariants.checkPaging(replies, options.maxWindowBytes());
    return new Result(replies, changed.build());
  }
}
