package io.cbtengine.simulator.trace.spc;

import io.cbtengine.simulator.trace.LineTraceReader;
import io.cbtengine.simulator.trace.TraceFormat;
import io.cbtengine.simulator.trace.TraceWrite;
import java.io.InputStream;

/**
 * UMass trace repository, SPC format (Financial1/2, WebSearch), CSV without header:
 *
 * <pre>
 * ASU,LBA,Size,Opcode,Timestamp[,optional fields]
 * 0,303567,3584,w,0.000000
 * </pre>
 *
 * <p>LBA in 512-byte sectors; size in bytes; opcode {@code r}/{@code w} in either case; timestamp
 * in seconds with a fraction; the device is the application storage unit (ASU). Not thread-safe.
 */
public final class UmassSpcTraceReader extends LineTraceReader {
  public UmassSpcTraceReader(InputStream in, String name, boolean strict) {
    super(in, name, strict);
  }

  @Override
  protected TraceWrite parseLine(String line) throws Skip {
    String[] f = split(line, ',');
    if (f.length < 5) {
      throw Skip.MALFORMED;
    }
    long asu = parseLong(f[0]);
    long lba = parseLong(f[1]);
    long size = parseLong(f[2]);
    boolean write;
    if (f[3].equalsIgnoreCase("w")) {
      write = true;
    } else if (f[3].equalsIgnoreCase("r")) {
      write = false;
    } else {
      throw Skip.UNKNOWN_OPCODE;
    }
    long nanos = parseDecimalTime(f[4], 1_000_000_000L);
    if (asu < 0) {
      throw Skip.MALFORMED;
    }
    long offset = sectors(lba);
    checkRequest(offset, size);
    if (!write) {
      counters().countRead();
      return null;
    }
    return new TraceWrite(Long.toString(asu), offset, size, nanos, lineNumber());
  }

  @Override
  public TraceFormat format() {
    return TraceFormat.SPC;
  }
}
