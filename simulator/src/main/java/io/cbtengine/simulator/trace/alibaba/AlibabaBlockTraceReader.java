package io.cbtengine.simulator.trace.alibaba;

import io.cbtengine.simulator.trace.LineTraceReader;
import io.cbtengine.simulator.trace.TraceFormat;
import io.cbtengine.simulator.trace.TraceWrite;
import java.io.InputStream;

/**
 * Alibaba Cloud block traces (2020), CSV without header:
 *
 * <pre>
 * device_id,opcode,offset,length,timestamp
 * 0,R,126703644672,4096,1577808000000047
 * </pre>
 *
 * <p>Opcode {@code R} or {@code W}; offset and length in bytes; timestamp in microseconds; the
 * device is the device id. Not thread-safe.
 */
public final class AlibabaBlockTraceReader extends LineTraceReader {
  public AlibabaBlockTraceReader(InputStream in, String name, boolean strict) {
    super(in, name, strict);
  }

  @Override
  protected TraceWrite parseLine(String line) throws Skip {
    String[] f = split(line, ',');
    if (f.length != 5) {
      throw Skip.MALFORMED;
    }
    long device = parseLong(f[0]);
    boolean write;
    if (f[1].equalsIgnoreCase("W")) {
      write = true;
    } else if (f[1].equalsIgnoreCase("R")) {
      write = false;
    } else {
      throw Skip.UNKNOWN_OPCODE;
    }
    long offset = parseLong(f[2]);
    long length = parseLong(f[3]);
    long nanos = parseDecimalTime(f[4], 1_000L);
    if (device < 0) {
      throw Skip.MALFORMED;
    }
    checkRequest(offset, length);
    if (!write) {
      counters().countRead();
      return null;
    }
    return new TraceWrite(Long.toString(device), offset, length, nanos, lineNumber());
  }

  @Override
  public TraceFormat format() {
    return TraceFormat.ALIBABA;
  }
}
