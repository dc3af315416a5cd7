package io.cbtengine.simulator.trace.tencent;

import io.cbtengine.simulator.trace.LineTraceReader;
import io.cbtengine.simulator.trace.TraceFormat;
import io.cbtengine.simulator.trace.TraceWrite;
import java.io.InputStream;

/**
 * Tencent Cloud Block Storage traces (SNIA IOTTA 2018), CSV without header:
 *
 * <pre>
 * Timestamp,Offset,Size,IOType,VolumeID
 * 1538323200,4247200,128,1,1058
 * </pre>
 *
 * <p>Timestamp in whole seconds; offset and size in 512-byte sectors; IOType {@code 1} write,
 * {@code 0} read; the device is the volume id. Not thread-safe.
 */
public final class TencentCbsTraceReader extends LineTraceReader {
  public TencentCbsTraceReader(InputStream in, String name, boolean strict) {
    super(in, name, strict);
  }

  @Override
  protected TraceWrite parseLine(String line) throws Skip {
    String[] f = split(line, ',');
    if (f.length != 5) {
      throw Skip.MALFORMED;
    }
    long nanos = parseDecimalTime(f[0], 1_000_000_000L);
    long offsetSectors = parseLong(f[1]);
    long sizeSectors = parseLong(f[2]);
    long type = parseLong(f[3]);
    long volume = parseLong(f[4]);
    if (type != 0 && type != 1) {
      throw Skip.UNKNOWN_OPCODE;
    }
    if (volume < 0) {
      throw Skip.MALFORMED;
    }
    long offset = sectors(offsetSectors);
    long size = sectors(sizeSectors);
    checkRequest(offset, size);
    if (type == 0) {
      counters().countRead();
      return null;
    }
    return new TraceWrite(Long.toString(volume), offset, size, nanos, lineNumber());
  }

  @Override
  public TraceFormat format() {
    return TraceFormat.TENCENT;
  }
}
