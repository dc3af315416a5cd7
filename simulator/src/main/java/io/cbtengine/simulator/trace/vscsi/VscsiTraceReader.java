package io.cbtengine.simulator.trace.vscsi;

import io.cbtengine.simulator.trace.SkipReason;
import io.cbtengine.simulator.trace.TraceCounters;
import io.cbtengine.simulator.trace.TraceFormat;
import io.cbtengine.simulator.trace.TraceFormatException;
import io.cbtengine.simulator.trace.TraceReader;
import io.cbtengine.simulator.trace.TraceWrite;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * VMware VSCSI traces as published by CloudPhysics (version 1 records), one disk per file. Each
 * record is 32 bytes, little-endian:
 *
 * <pre>
 *   0               4               8               12      14      16
 *   +---------------+---------------+---------------+-------+-------+
 *   | serial u32    | length u32    | sg_count u32  | cmd   | ver   |
 *   +---------------+---------------+---------------+-------+-------+
 *   | lba u64 (512-byte sectors)    | timestamp u64 (microseconds)  |
 *   +-------------------------------+-------------------------------+
 *   16                              24                              32
 * </pre>
 *
 * <p>SCSI WRITE(10/12/16) ({@code 0x2a, 0xaa, 0x8a}) are writes, READ(10/12/16) ({@code 0x28, 0xa8,
 * 0x88}) reads, any other command an unknown opcode. A file whose length is not a multiple of 32
 * ends in a truncated record. The device is the file name without its extensions. Not thread-safe.
 */
public final class VscsiTraceReader implements TraceReader {
  /** The size of one record in bytes. */
  public static final int RECORD_BYTES = 32;

  private final InputStream in;
  private final String name;
  private final String device;
  private final boolean strict;
  private final TraceCounters counters = new TraceCounters();
  private final byte[] record = new byte[RECORD_BYTES];
  private final ByteBuffer view = ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN);
  private long index = -1;
  private boolean ended;
  private long recordLimit = Long.MAX_VALUE;

  public VscsiTraceReader(InputStream in, String name, boolean strict) {
    this.in = in;
    this.name = name;
    this.strict = strict;
    int dot = name.indexOf('.');
    this.device = dot > 0 ? name.substring(0, dot) : name;
  }

  @Override
  public void limitRecords(long records) {
    recordLimit = records;
  }

  @Override
  public TraceWrite next() throws IOException {
    while (!ended && counters.records() < recordLimit) {
      int n = in.readNBytes(record, 0, RECORD_BYTES);
      if (n == 0) {
        ended = true;
        return null;
      }
      index++;
      if (n < RECORD_BYTES) {
        ended = true;
        skip(SkipReason.TRUNCATED, "record of " + n + " bytes at end of file");
        return null;
      }
      long length = view.getInt(4) & 0xffff_ffffL;
      int cmd = view.getShort(12) & 0xffff;
      long lba = view.getLong(16);
      long micros = view.getLong(24);
      boolean write = cmd == 0x2a || cmd == 0xaa || cmd == 0x8a;
      boolean read = cmd == 0x28 || cmd == 0xa8 || cmd == 0x88;
      if (!write && !read) {
        skip(SkipReason.UNKNOWN_OPCODE, "scsi command 0x" + Integer.toHexString(cmd));
        continue;
      }
      // Both fields are unsigned. An lba of 2^54 sectors or more puts the offset past 2^63 bytes,
      // which no disk reaches: malformed, as an offset past the end of the clock is in the text
      // formats. A timestamp of 2^63 µs or more is capped at the end of the clock below.
      if (lba < 0 || lba > Long.MAX_VALUE / 512) {
        skip(
            SkipReason.MALFORMED,
            "lba=" + Long.toUnsignedString(lba) + " sectors puts the offset past 2^63 bytes");
        continue;
      }
      if (length == 0) {
        skip(SkipReason.ZERO_SIZE, "length=0");
        continue;
      }
      if (read) {
        counters.countRead();
        continue;
      }
      counters.countWrite();
      long nanos = micros < 0 || micros > Long.MAX_VALUE / 1000 ? Long.MAX_VALUE : micros * 1000;
      return new TraceWrite(device, lba * 512, length, nanos, index + 1);
    }
    return null;
  }

  private void skip(SkipReason reason, String detail) throws TraceFormatException {
    if (strict) {
      throw new TraceFormatException(
          format().displayName()
              + " trace "
              + name
              + ", record "
              + (index + 1)
              + " (byte offset "
              + index * RECORD_BYTES
              + "): "
              + reason.label()
              + ": "
              + detail);
    }
    counters.countSkip(reason);
  }

  @Override
  public TraceCounters counters() {
    return counters;
  }

  @Override
  public TraceFormat format() {
    return TraceFormat.VSCSI;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
