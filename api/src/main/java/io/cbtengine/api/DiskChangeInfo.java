package io.cbtengine.api;

import java.util.List;

/**
 * One reply of {@code queryChangedDiskAreas}: the window {@code [startOffset, startOffset +
 * length)} of the disk and the changed extents inside it, sorted, coalesced and non-overlapping.
 */
public record DiskChangeInfo(long startOffset, long length, List<DiskChangeExtent> changedArea) {
  public DiskChangeInfo {
    changedArea = List.copyOf(changedArea);
  }

  /** The first byte after the window: where a client's next request starts. */
  public long end() {
    return startOffset + length;
  }

  /** The number of changed bytes in this window. */
  public long changedBytes() {
    long sum = 0;
    for (DiskChangeExtent e : changedArea) {
      sum += e.length();
    }
    return sum;
  }
}
