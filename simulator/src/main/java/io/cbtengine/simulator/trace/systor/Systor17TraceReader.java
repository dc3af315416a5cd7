package io.cbtengine.simulator.trace.systor;

import io.cbtengine.simulator.trace.LineTraceReader;
import io.cbtengine.simulator.trace.TraceFormat;
import io.cbtengine.simulator.trace.TraceWrite;
import java.io.InputStream;

/**
 * SNIA SYSTOR '17 enterprise VDI traces, CSV with a header line:
 *
 * <pre>
 * Timestamp,Response,IOType,LUN,Offset,Size
 * 1456095145.133076000,0.000806000,R,0,899056122368,131072
 * </pre>
 *
 * <p>Timestamp in seconds with a fraction; IOType {@code R} or {@code W}; offset and size in bytes;
 * the device is the LUN number. A header line anywhere is ignored. Not thread-safe.
 */
public final class Systor17TraceReader extends LineTraceReader {
  public Systor17TraceReader(InputStream in, String name, boolean strict) {
    super(in, name, strict);
  }

  @Override
  protected TraceWrite parseLine(String line) throws Skip {
    String[] f = split(line, ',');
    if (f.length != 6) {
      throw Skip.MALFORMED;
    }
    if (f[0].equalsIgnoreCase("Timestamp")) {
      counters().countIgnored();
      return null;
    }
    long nanos = parseDecimalTime(f[0], 1_000_000_000L);
    boolean write;
    if (f[2].equalsIgnoreCase("W")) {
      write = true;
    } else if (f[2].equalsIgnoreCase("R")) {
      write = false;
    } else {
      throw Skip.UNKNOWN_OPCODE;
    }
    long lun = parseLong(f[3]);
    long offset = parseLong(f[4]);
    long size = parseLong(f[5]);
    checkRequest(offset, size);
    if (lun < 0) {
      throw Skip.MALFORMED;
    }
    if (!write) {
      counters().countRead();
      return null;
    }
    return new TraceWrite(Long.toString(lun), offset, size, nanos, lineNumber());
  }

  @Override
  public TraceFormat format() {
    return TraceFormat.SYSTOR;
  }
}
