package io.cbtengine.simulator.trace.blkparse;

import io.cbtengine.simulator.trace.LineTraceReader;
import io.cbtengine.simulator.trace.TraceFormat;
import io.cbtengine.simulator.trace.TraceWrite;
import java.io.InputStream;

/**
 * The default text output of {@code blkparse}:
 *
 * <pre>
 * maj,min cpu seq time pid action rwbs sector + count [process]
 *   8,0    3        1     0.000000000  4162  Q  WS 3417048 + 8 [jbd2/sda3-8]
 * </pre>
 *
 * <p>Only queue ({@code Q}) events are requests: the other actions ({@code G}, {@code I}, {@code
 * D}, {@code C}, ...) repeat the same request and are ignored, as are the summary lines at the end.
 * A {@code Q} event whose rwbs holds {@code W} is a write, {@code R} a read; a discard or a flush
 * without data is an unknown opcode or a zero-size request. Time in seconds; sector and count in
 * 512-byte sectors; the device is {@code maj,min}. Not thread-safe.
 */
public final class BlkparseTraceReader extends LineTraceReader {
  public BlkparseTraceReader(InputStream in, String name, boolean strict) {
    super(in, name, strict);
  }

  @Override
  protected TraceWrite parseLine(String line) throws Skip {
    String[] f = splitWhitespace(line);

    // Lines that do not start with maj,min are blkparse's summary, not events.
    if (f.length == 0 || !isDevice(f[0])) {
      counters().countIgnored();
      return null;
    }
    if (f.length < 7) {
      throw Skip.MALFORMED;
    }
    if (!f[5].equals("Q")) {
      counters().countIgnored();
      return null;
    }
    if (f.length < 10 || !f[8].equals("+")) {
      throw Skip.MALFORMED;
    }
    long nanos = parseDecimalTime(f[3], 1_000_000_000L);
    String rwbs = f[6];
    long sector = parseLong(f[7]);
    long count = parseLong(f[9]);
    boolean write = rwbs.indexOf('W') >= 0;
    boolean read = rwbs.indexOf('R') >= 0;
    if (write == read) {
      throw Skip.UNKNOWN_OPCODE;
    }
    long offset = sectors(sector);
    long length = sectors(count);
    checkRequest(offset, length);
    if (read) {
      counters().countRead();
      return null;
    }
    return new TraceWrite(f[0], offset, length, nanos, lineNumber());
  }

  private static boolean isDevice(String field) {
    int comma = field.indexOf(',');
    if (comma <= 0 || comma == field.length() - 1) {
      return false;
    }
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (i != comma && (c < '0' || c > '9')) {
        return false;
      }
    }
    return true;
  }

  @Override
  public TraceFormat format() {
    return TraceFormat.BLKPARSE;
  }
}
