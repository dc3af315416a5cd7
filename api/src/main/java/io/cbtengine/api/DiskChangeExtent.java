package io.cbtengine.api;

/** A changed byte range {@code [start, start + length)} of a disk. */
public record DiskChangeExtent(long start, long length) {
  public DiskChangeExtent {
    if (start < 0 || length <= 0 || start + length < 0) {
      throw new IllegalArgumentException(
          "extent out of range: start=" + start + ", length=" + length);
    }
  }

  /** The first byte after the extent. */
  public long end() {
    return start + length;
  }
}
