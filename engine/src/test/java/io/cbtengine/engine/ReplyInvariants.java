package io.cbtengine.engine;

import io.cbtengine.api.DiskChangeExtent;
import io.cbtengine.api.DiskChangeInfo;
import java.util.List;

/**
 * The reply invariants of CONTRACT section 4, checked on one reply of {@code queryChangedDiskAreas}
 * and on the sequence of replies a paging client collects. Each failed check throws an {@link
 * AssertionError} naming the values involved.
 */
final class ReplyInvariants {
  private ReplyInvariants() {}

  /**
   * The shape a reply must have.
   *
   * @param requestedStart the {@code startOffset} the client sent
   * @param capacity the capacity of the disk at the queried snapshot
   * @param blockSize the disk's tracking granularity
   * @param maxExtentsPerReply the disk's shaping limit on extents
   * @param maxWindowBytes the disk's shaping limit on window length
   */
  static void checkReply(
      DiskChangeInfo r,
      long requestedStart,
      long capacity,
      int blockSize,
      int maxExtentsPerReply,
      long maxWindowBytes) {
    String where =
        " in reply "
            + r
            + " (request startOffset="
            + requestedStart
            + ", capacity="
            + capacity
            + ", blockSize="
            + blockSize
            + ")";

    // The window: where the client asked, non-empty, inside the disk, within the shaping limit.
    check(r.startOffset() == requestedStart, "startOffset differs from the request" + where);
    check(r.length() > 0, "window length not positive" + where);
    check(r.end() <= capacity && r.end() > 0, "window ends past the capacity" + where);
    check(
        r.length() <= maxWindowBytes,
        "window longer than maxWindowBytes=" + maxWindowBytes + where);
    check(
        r.changedArea().size() <= maxExtentsPerReply,
        "more extents than maxExtentsPerReply=" + maxExtentsPerReply + where);

    // The extents: sorted, coalesced, inside the window, block-aligned unless clipped.
    List<DiskChangeExtent> area = r.changedArea();
    for (int i = 0; i < area.size(); i++) {
      DiskChangeExtent e = area.get(i);
      String at = " at extent " + i + "=" + e + where;
      check(e.length() > 0, "extent length not positive" + at);
      check(e.start() >= r.startOffset() && e.end() <= r.end(), "extent outside the window" + at);
      check(
          e.start() % blockSize == 0 || e.start() == r.startOffset(),
          "extent start neither block-aligned nor the window start" + at);
      check(
          e.end() % blockSize == 0 || e.end() == r.end() || e.end() == capacity,
          "extent end neither block-aligned nor the window end nor the capacity" + at);
      if (i > 0) {
        DiskChangeExtent p = area.get(i - 1);
        check(
            p.end() < e.start(),
            "extents not sorted, or overlapping, or adjacent (not coalesced): previous=" + p + at);
      }
    }
  }

  /**
   * Across the replies of one paging loop: consecutive windows tile the range, and an extent is
   * split between two windows only if the whole extent is longer than {@code maxWindowBytes}.
   */
  static void checkPaging(List<DiskChangeInfo> replies, long maxWindowBytes) {
    for (int i = 1; i < replies.size(); i++) {
      check(
          replies.get(i).startOffset() == replies.get(i - 1).end(),
          "windows do not tile: reply "
              + (i - 1)
              + "="
              + replies.get(i - 1)
              + ", reply "
              + i
              + "="
              + replies.get(i));
    }

    // Walk the extents in order; a run is a maximal chain of pieces that touch across windows.
    long runStart = -1;
    long runEnd = -1;
    int runPieces = 0;
    int runFirstReply = -1;
    for (int i = 0; i < replies.size(); i++) {
      for (DiskChangeExtent e : replies.get(i).changedArea()) {
        if (runPieces > 0 && e.start() == runEnd) {
          runEnd = e.end();
          runPieces++;
          continue;
        }
        checkRun(runStart, runEnd, runPieces, runFirstReply, maxWindowBytes, replies);
        runStart = e.start();
        runEnd = e.end();
        runPieces = 1;
        runFirstReply = i;
      }
    }
    checkRun(runStart, runEnd, runPieces, runFirstReply, maxWindowBytes, replies);
  }

  private static void checkRun(
      long start,
      long end,
      int pieces,
      int firstReply,
      long maxWindowBytes,
      List<DiskChangeInfo> replies) {
    if (pieces > 1 && end - start <= maxWindowBytes) {
      throw new AssertionError(
          "extent ["
              + start
              + ", "
              + end
              + ") of length "
              + (end - start)
              + " split into "
              + pieces
              + " pieces across windows although it fits maxWindowBytes="
              + maxWindowBytes
              + "; first piece in reply "
              + firstReply
              + "="
              + replies.get(firstReply)
              + ", next reply="
              + replies.get(firstReply + 1));
    }
  }

  static void check(boolean condition, String message) {
    if (!condition) {
      throw new AssertionError(message);
    }
  }
}
