package io.cbtengine.simulator.trace;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * Opens a trace file, decompressing gzip, bzip2 or xz transparently. The compression is recognised
 * by the magic bytes at the start of the file, never by its name, so {@code trace.csv} holding gzip
 * data and {@code trace.gz} holding plain text both read correctly.
 */
public final class TraceInput {
  private static final int BUFFER = 1 << 16;

  private TraceInput() {}

  /** The compression a file's first bytes announce. */
  public enum Compression {
    NONE,
    GZIP,
    BZIP2,
    XZ
  }

  /**
   * Opens {@code path} for reading its decompressed bytes. Concatenated gzip and bzip2 members are
   * read as one stream.
   *
   * @throws NoSuchFileException if the file does not exist
   * @throws IOException if it cannot be read, or its compressed data is corrupt
   */
  public static InputStream open(Path path) throws IOException {
    InputStream raw = new BufferedInputStream(Files.newInputStream(path), BUFFER);
    try {
      switch (sniff(raw)) {
        case GZIP:
          return new BufferedInputStream(new GzipCompressorInputStream(raw, true), BUFFER);
        case BZIP2:
          return new BufferedInputStream(new BZip2CompressorInputStream(raw, true), BUFFER);
        case XZ:
          return new BufferedInputStream(new XZInputStream(raw), BUFFER);
        default:
          return raw;
      }
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }

  /** Looks at the first bytes of {@code in} (which must support mark/reset) without consuming. */
  public static Compression sniff(InputStream in) throws IOException {
    byte[] head = new byte[6];
    in.mark(head.length);
    int n = in.readNBytes(head, 0, head.length);
    in.reset();
    if (n >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
      return Compression.GZIP;
    }
    if (n >= 3 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h') {
      return Compression.BZIP2;
    }
    if (n >= 6
        && (head[0] & 0xff) == 0xfd
        && head[1] == '7'
        && head[2] == 'z'
        && head[3] == 'X'
        && head[4] == 'Z'
        && head[5] == 0) {
      return Compression.XZ;
    }
    return Compression.NONE;
  }

  /** A short description of a read failure, for messages that already name the file. */
  public static String describe(IOException e) {
    return io.cbtengine.simulator.IoProblems.describe(e);
  }
}
