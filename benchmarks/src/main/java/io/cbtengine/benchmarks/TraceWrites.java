package io.cbtengine.benchmarks;

import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;

/**
 * The writes of the sample traces in {@code ../shared/traces/}, just enough to measure footprints.
 * The simulator module has the full readers; this one knows the five sample files by name, keeps
 * only writes, and counts what it skips (zero-size requests, malformed lines) instead of failing.
 */
final class TraceWrites {
  /** Receives one write: a volume name (traces may hold several), byte offset and length. */
  interface Sink {
    void write(String volume, long offset, long length);
  }

  /** What was read: writes delivered and records skipped. */
  record Counts(long writes, long skipped) {}

  private TraceWrites() {}

  /** Whether {@link #read} knows the file's format. */
  static boolean isKnown(Path file) {
    return format(file) != null;
  }

  private static String format(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".vscsi")) {
      return "vscsi";
    } else if (name.startsWith("tencent") && name.endsWith(".csv.bz2")) {
      return "tencent";
    } else if (name.startsWith("msr") && name.endsWith(".csv")) {
      return "msr";
    } else if (name.startsWith("systor") && name.endsWith(".csv.gz")) {
      return "systor";
    } else if (name.endsWith(".disksim")) {
      return "disksim";
    }
    return null;
  }

  static Counts read(Path file, Sink sink) throws IOException {
    String format = format(file);
    if (format == null) {
      throw new IllegalArgumentException("unknown trace format: file=" + file);
    }
    if (format.equals("vscsi")) {
      return readVscsi(file, sink);
    }
    try (InputStream raw = Files.newInputStream(file);
        InputStream in =
            format.equals("tencent")
                ? new BZip2CompressorInputStream(raw)
                : format.equals("systor") ? new GZIPInputStream(raw) : raw;
        BufferedReader lines =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
      long writes = 0;
      long skipped = 0;
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.isBlank() || line.startsWith("Timestamp")) {
          continue;
        }
        try {
          long[] w = parseLine(format, line);
          if (w == null) {
            continue;
          }
          if (w[1] <= 0 || w[0] < 0) {
            skipped++;
            continue;
          }
          sink.write(volume(format, line), w[0], w[1]);
          writes++;
        } catch (RuntimeException e) {
          skipped++;
        }
      }
      return new Counts(writes, skipped);
    }
  }

  /** {offset, length} of a write, or null for a read. */
  private static long[] parseLine(String format, String line) {
    switch (format) {
      case "tencent":
        { // timestamp_s,offset_sectors,size_sectors,io_type(1=write),volume_id
          String[] f = line.split(",");
          return f[3].trim().equals("1")
              ? new long[] {Long.parseLong(f[1].trim()) * 512, Long.parseLong(f[2].trim()) * 512}
              : null;
        }
      case "msr":
        { // timestamp,hostname,disk,Read|Write,offset_bytes,size_bytes,response_time
          String[] f = line.split(",");
          return f[3].trim().equalsIgnoreCase("Write")
              ? new long[] {Long.parseLong(f[4].trim()), Long.parseLong(f[5].trim())}
              : null;
        }
      case "systor":
        { // Timestamp,Response,IOType,LUN,Offset,Size
          String[] f = line.split(",");
          return f[2].trim().equalsIgnoreCase("W")
              ? new long[] {Long.parseLong(f[4].trim()), Long.parseLong(f[5].trim())}
              : null;
        }
      case "disksim":
        { // time_ns device lba_sectors size_sectors op(0=write)
          String[] f = line.trim().split("\\s+");
          return f[4].equals("0")
              ? new long[] {Long.parseLong(f[2]) * 512, Long.parseLong(f[3]) * 512}
              : null;
        }
      default:
        throw new AssertionError(format);
    }
  }

  private static String volume(String format, String line) {
    switch (format) {
      case "tencent":
        return line.split(",")[4].trim();
      case "msr":
        {
          String[] f = line.split(",");
          return f[1].trim() + "_" + f[2].trim();
        }
      case "systor":
        return line.split(",")[3].trim();
      case "disksim":
        return line.trim().split("\\s+")[1];
      default:
        throw new AssertionError(format);
    }
  }

  /** 32-byte little-endian records; SCSI WRITE(10/12/16) are 0x2a, 0xaa, 0x8a. */
  private static Counts readVscsi(Path file, Sink sink) throws IOException {
    long writes = 0;
    long skipped = 0;
    byte[] record = new byte[32];
    ByteBuffer buf = ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN);
    try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
      while (true) {
        try {
          in.readFully(record);
        } catch (EOFException e) {
          break;
        }
        long length = Integer.toUnsignedLong(buf.getInt(4));
        int command = Short.toUnsignedInt(buf.getShort(12)) & 0xff;
        long lba = buf.getLong(16);
        if (command != 0x2a && command != 0xaa && command != 0x8a) {
          continue;
        }
        if (length == 0 || lba < 0) {
          skipped++;
          continue;
        }
        sink.write("0", lba * 512, length);
        writes++;
      }
    }
    return new Counts(writes, skipped);
  }
}
