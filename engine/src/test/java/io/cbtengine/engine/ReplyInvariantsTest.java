package io.cbtengine.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cbtengine.api.DiskChangeExtent;
import io.cbtengine.api.DiskChangeInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checks of the test helpers, on hand-made replies, so that they are known to bite. */
class ReplyInvariantsTest {
  private static DiskChangeInfo reply(long start, long length, long... extents) {
    List<DiskChangeExtent> area = new java.util.ArrayList<>();
    for (int i = 0; i < extents.length; i += 2) {
      area.add(new DiskChangeExtent(extents[i], extents[i + 1]));
    }
    return new DiskChangeInfo(start, length, area);
  }

  @Test
  void checkReply_wellFormed_passes() {
    ReplyInvariants.checkReply(reply(0, 8192, 0, 1024, 4096, 1024), 0, 8192, 1024, 2, 8192);
    ReplyInvariants.checkReply(reply(100, 924, 100, 924), 100, 1024, 1024, 1, 1024);
  }

  @Test
  void checkReply_eachBrokenInvariant_throws() {
    // wrong start, window past capacity, too many extents, window too long
    assertThrows(
        AssertionError.class,
        () -> ReplyInvariants.checkReply(reply(512, 512), 0, 8192, 512, 9, 8192));
    assertThrows(
        AssertionError.class,
        () -> ReplyInvariants.checkReply(reply(0, 9216), 0, 8192, 512, 9, Long.MAX_VALUE));
    assertThrows(
        AssertionError.class,
        () ->
            ReplyInvariants.checkReply(
                reply(0, 8192, 0, 512, 1024, 512), 0, 8192, 512, 1, Long.MAX_VALUE));
    assertThrows(
        AssertionError.class,
        () -> ReplyInvariants.checkReply(reply(0, 8192), 0, 8192, 512, 9, 4096));
    // adjacent, overlapping, unsorted, outside the window, unaligned
    assertThrows(
        AssertionError.class,
        () ->
            ReplyInvariants.checkReply(
                reply(0, 8192, 0, 512, 512, 512), 0, 8192, 512, 9, Long.MAX_VALUE));
    assertThrows(
        AssertionError.class,
        () ->
            ReplyInvariants.checkReply(
                reply(0, 8192, 0, 1024, 512, 1024), 0, 8192, 512, 9, Long.MAX_VALUE));
    assertThrows(
        AssertionError.class,
        () ->
            ReplyInvariants.checkReply(
                reply(0, 8192, 2048, 512, 0, 512), 0, 8192, 512, 9, Long.MAX_VALUE));
    assertThrows(
        AssertionError.class,
        () ->
            ReplyInvariants.checkReply(
                reply(0, 4096, 3584, 1024), 0, 8192, 512, 9, Long.MAX_VALUE));
    assertThrows(
        AssertionError.class,
        () ->
            ReplyInvariants.checkReply(reply(0, 8192, 100, 412), 0, 8192, 512, 9, Long.MAX_VALUE));
    assertThrows(
        AssertionError.class,
        () -> ReplyInvariants.checkReply(reply(0, 8192, 0, 100), 0, 8192, 512, 9, Long.MAX_VALUE));
  }

  @Test
  void checkPaging_extentSplitThatFitsOneWindow_throws() {
    List<DiskChangeInfo> replies =
        List.of(reply(0, 4096, 3072, 1024), reply(4096, 4096, 4096, 1024));

    assertThrows(AssertionError.class, () -> ReplyInvariants.checkPaging(replies, 4096));
  }

  @Test
  void checkPaging_extentLongerThanWindowSplit_passes() {
    List<DiskChangeInfo> replies =
        List.of(reply(0, 4096, 1024, 3072), reply(4096, 4096, 4096, 2048));

    ReplyInvariants.checkPaging(replies, 4096);
  }

  @Test
  void checkPaging_windowsWithGap_throws() {
    List<DiskChangeInfo> replies = List.of(reply(0, 4096), reply(8192, 4096));

    assertThrows(AssertionError.class, () -> ReplyInvariants.checkPaging(replies, 4096));
  }

  @Test
  void byteRangeSet_mergesAdjacentAndFindsGaps() {
    ByteRangeSet s = ByteRangeSet.builder().add(10, 20).add(20, 30).add(40, 50).add(5, 12).build();

    assertEquals("{[5, 30), [40, 50)}", s.toString());
    assertTrue(s.covers(5, 30));
    assertTrue(!s.covers(29, 41));
    assertEquals(1, s.gaps(0, 45).get(1)[0] == 30 ? 1 : 0);
    assertEquals(2, s.gaps(0, 45).size());
    assertEquals(null, s.firstRangeOutside(ByteRangeSet.of(0, 100)));
    assertTrue(ByteRangeSet.of(0, 100).firstRangeOutside(s) != null);
  }
}
