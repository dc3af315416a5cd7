package io.cbtengine.simulator.trace.msr;

import io.cbtengine.simulator.trace.LineTraceReader;
import io.cbtengine.simulator.trace.TraceFormat;
import io.cbtengine.simulator.trace.TraceWrite;
import java.io.InputStream;

/**
 * Microsoft Research Cambridge block traces (SNIA IOTTA), one CSV line per request, no header:
 *
 * <pre>
 * Timestamp,Hostname,DiskNumber,Type,Offset,Size,ResponseTime
 * 128166385295514663,hm,0,Write,9056014336,2048,2833
 * </pre>
 *
 * <p>The timestamp is a Windows FILETIME (100 ns ticks since 1601); times are reported relative to
 * the first record. Offset and size are bytes. The device is {@code hostname_disk}, e.g. {@code
 * hm_0}; a disk number that is not digits makes the line malformed. Not thread-safe.
 */
public final class MsrCambridgeTraceReader extends LineTraceReader {
  private long firstTicks;
  private boolean seenFirst;

  public MsrCambridgeTraceReader(InputStream in, String name, boolean strict) {
    super(in, name, strict);
  }

  @Override
  protected TraceWrite parseLine(String line) throws Skip {
    String[] f = split(line, ',');
    if (f.length != 7) {
      throw Skip.MALFORMED;
    }
    long ticks = parseLong(f[0]);
    // The disk number must be digits: the device name joins host and disk with '_', which host
    // names may hold too, so a disk number "y_1" on host "x" would merge with disk 1 of "x_y".
    // Checked before the type, so that a line wrong in both counts as malformed.
    if (f[1].isEmpty() || !isDiskNumber(f[2])) {
      throw Skip.MALFORMED;
    }
    boolean write;
    if (f[3].equalsIgnoreCase("Write")) {
      write = true;
    } else if (f[3].equalsIgnoreCase("Read")) {
      write = false;
    } else {
      throw Skip.UNKNOWN_OPCODE;
    }
    long offset = parseLong(f[4]);
    long size = parseLong(f[5]);
    checkRequest(offset, size);
    if (!seenFirst) {
      firstTicks = ticks;
      seenFirst = true;
    }
    if (!write) {
      counters().countRead();
      return null;
    }
    // 100 ns ticks after the first record, saturated at the ends of the clock.
    long nanos;
    try {
      nanos = Math.multiplyExact(Math.subtractExact(ticks, firstTicks), 100);
    } catch (ArithmeticException e) {
      nanos = ticks < firstTicks ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    return new TraceWrite(f[1] + "_" + f[2], offset, size, nanos, lineNumber());
  }

  private static boolean isDiskNumber(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  @Override
  public TraceFormat format() {
    return TraceFormat.MSR;
  }
}
