package io.cbtengine.simulator.trace.disksim;

import io.cbtengine.simulator.trace.LineTraceReader;
import io.cbtengine.simulator.trace.TraceFormat;
import io.cbtengine.simulator.trace.TraceWrite;
import java.io.InputStream;

/**
 * DiskSim ASCII input traces, whitespace-separated, no header:
 *
 * <pre>
 * time device lba size flags
 * 26214000 0 303574 7 0
 * </pre>
 *
 * <p>Time in nanoseconds (a fraction is accepted); LBA and size in 512-byte sectors; flags {@code
 * 0} write, {@code 1} read (DiskSim's read bit), anything else an unknown opcode; the device is the
 * device number. Not thread-safe.
 */
public final class DiskSimTraceReader extends LineTraceReader {
  public DiskSimTraceReader(InputStream in, String name, boolean strict) {
    super(in, name, strict);
  }

  @Override
  protected TraceWrite parseLine(String line) throws Skip {
    String[] f = splitWhitespace(line);
    if (f.length != 5) {
      throw Skip.MALFORMED;
    }
    long nanos = parseDecimalTime(f[0], 1L);
    long device = parseLong(f[1]);
    long lba = parseLong(f[2]);
    long size = parseLong(f[3]);
    long flags = parseLong(f[4]);
    if (flags != 0 && flags != 1) {
      throw Skip.UNKNOWN_OPCODE;
    }
    if (device < 0) {
      throw Skip.MALFORMED;
    }
    long offset = sectors(lba);
    long length = sectors(size);
    checkRequest(offset, length);
    if (flags == 1) {
      counters().countRead();
      return null;
    }
    return new TraceWrite(Long.toString(device), offset, length, nanos, lineNumber());
  }

  @Override
  public TraceFormat format() {
    return TraceFormat.DISKSIM;
  }
}
