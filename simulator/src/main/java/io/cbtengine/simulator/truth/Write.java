package io.cbtengine.simulator.truth;

/**
 * One replayed write: the unit of content in the truth model. A byte of a disk "holds" the last
 * write that touched it, so two bytes are equal exactly when they hold the same {@code Write}
 * object. Equality is identity.
 *
 * <p>Immutable and thread-safe.
 */
public final class Write {
  /** The content of a byte no write has touched: the disk's initial zeros. */
  public static final Write NONE = new Write(0, "", 0, 0, "initial content", -1);

  private final long serial;
  private final String disk;
  private final long offset;
  private final long length;
  private final String source;
  private final long position;
  private final Candidates alone;

  /**
   * @param serial the write's number in the replay, from 1
   * @param disk the disk id
   * @param offset the first byte written
   * @param length the number of bytes written
   * @param source where the write came from (a trace file name, or {@code synthetic})
   * @param position the line or record in the source, or -1
   */
  public Write(long serial, String disk, long offset, long length, String source, long position) {
    this.serial = serial;
    this.disk = disk;
    this.offset = offset;
    this.length = length;
    this.source = source;
    this.position = position;
    this.alone = new Candidates(new Write[] {this});
  }

  public long serial() {
    return serial;
  }

  public String disk() {
    return disk;
  }

  public long offset() {
    return offset;
  }

  public long length() {
    return length;
  }

  /** The first byte after the write. */
  public long end() {
    return offset + length;
  }

  public String source() {
    return source;
  }

  public long position() {
    return position;
  }

  /** The candidate set holding only this write. */
  Candidates alone() {
    return alone;
  }

  /** E.g. {@code write #812 [4096, 8192) from trace.csv:1204}. */
  @Override
  public String toString() {
    if (this == NONE) {
      return "initial content";
    }
    String where = position < 0 ? source : source + ":" + position;
    return "write #" + serial + " [" + offset + ", " + end() + ") from " + where;
  }
}
