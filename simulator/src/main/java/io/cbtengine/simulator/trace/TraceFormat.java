package io.cbtengine.simulator.trace;

import io.cbtengine.simulator.trace.alibaba.AlibabaBlockTraceReader;
import io.cbtengine.simulator.trace.blkparse.BlkparseTraceReader;
import io.cbtengine.simulator.trace.disksim.DiskSimTraceReader;
import io.cbtengine.simulator.trace.msr.MsrCambridgeTraceReader;
import io.cbtengine.simulator.trace.spc.UmassSpcTraceReader;
import io.cbtengine.simulator.trace.systor.Systor17TraceReader;
import io.cbtengine.simulator.trace.tencent.TencentCbsTraceReader;
import io.cbtengine.simulator.trace.vscsi.VscsiTraceReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The trace formats the simulator reads, each mapped to its reader, and the detection that picks
 * one for a file.
 *
 * <p>Detection opens the file with every reader in turn, lets it parse the first {@value
 * #SAMPLE_RECORDS} records of at most {@value #SAMPLE_BYTES} decompressed bytes, and keeps the
 * formats for which at least one record parsed and at least 80 % of the records had the format's
 * shape (a malformed record, an unknown opcode or a truncated record counts against a format; a
 * zero or negative size does not). Of these the one that parsed the most records wins; a tie goes
 * to the format declared first.
 */
public enum TraceFormat {
  MSR("msr", "MSR Cambridge CSV", MsrCambridgeTraceReader::new),
  SYSTOR("systor", "SNIA SYSTOR '17 CSV", Systor17TraceReader::new),
  TENCENT("tencent", "Tencent CBS CSV", TencentCbsTraceReader::new),
  ALIBABA("alibaba", "Alibaba block CSV", AlibabaBlockTraceReader::new),
  SPC("spc", "UMass SPC CSV", UmassSpcTraceReader::new),
  DISKSIM("disksim", "DiskSim ASCII", DiskSimTraceReader::new),
  VSCSI("vscsi", "VMware VSCSI binary", VscsiTraceReader::new),
  BLKPARSE("blkparse", "blkparse text", BlkparseTraceReader::new);

  /** How many records detection parses per format. */
  public static final int SAMPLE_RECORDS = 64;

  /** How many decompressed bytes detection reads at most per format. */
  public static final int SAMPLE_BYTES = 256 * 1024;

  private final String id;
  private final String displayName;
  private final ReaderFactory factory;

  TraceFormat(String id, String displayName, ReaderFactory factory) {
    this.id = id;
    this.displayName = displayName;
    this.factory = factory;
  }

  /** The name used on the command line, e.g. {@code msr}. */
  public String id() {
    return id;
  }

  /** A descriptive name, e.g. {@code MSR Cambridge CSV}. */
  public String displayName() {
    return displayName;
  }

  /** Opens {@code path} (compressed or not) with this format's reader. */
  public TraceReader open(Path path, boolean strict) throws IOException {
    return factory.create(TraceInput.open(path), path.getFileName().toString(), strict);
  }

  /** Creates a reader of this format over an already decompressed stream. */
  public TraceReader open(InputStream in, String name, boolean strict) {
    return factory.create(in, name, strict);
  }

  /**
   * The format named {@code id}, ignoring case.
   *
   * @throws IllegalArgumentException naming the known formats if none matches
   */
  public static TraceFormat byId(String id) {
    for (TraceFormat f : values()) {
      if (f.id.equalsIgnoreCase(id)) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown trace format '" + id + "'; known: " + ids());
  }

  /** The ids of all formats, comma-separated. */
  public static String ids() {
    List<String> names = new ArrayList<>();
    for (TraceFormat f : values()) {
      names.add(f.id);
    }
    return String.join(", ", names);
  }

  /**
   * Detects the format of {@code path} by parsing its first records with every reader.
   *
   * @throws TraceFormatException listing each format tried and what it made of the sample, if no
   *     format fits
   * @throws IOException if the file cannot be read
   */
  public static TraceFormat detect(Path path) throws IOException {
    TraceFormat best = null;
    long bestRequests = 0;
    List<String> tried = new ArrayList<>();
    IOException readError = null;
    long mostConsidered = 0;
    for (TraceFormat f : values()) {
      Sample sample = f.sample(path);
      TraceCounters c = sample.counters();
      if (sample.error() != null) {
        readError = sample.error();
      }
      // Zero sizes and negative values come in the right shape; only misfits speak against. A
      // record cut short can only be the last one read (the file's torn tail, or the sample's
      // byte limit), so it does not speak against a format either; the replay reports it.
      long parsed =
          c.reads() + c.writes() + c.skipped(SkipReason.ZERO_SIZE) + c.skipped(SkipReason.NEGATIVE);
      long considered =
          parsed + c.skipped(SkipReason.MALFORMED) + c.skipped(SkipReason.UNKNOWN_OPCODE);
      mostConsidered = Math.max(mostConsidered, considered);
      boolean fits = parsed > 0 && parsed * 5 >= considered * 4;
      tried.add(
          String.format(
              Locale.ROOT,
              "%s (%d of %d records parsed%s)",
              f.id,
              parsed,
              considered,
              c.skipped(SkipReason.TRUNCATED) > 0 ? ", then a record cut short" : ""));
      if (fits && parsed > bestRequests) {
        best = f;
        bestRequests = parsed;
      }
    }
    if (best == null && readError != null) {
      throw new IOException(
          "cannot read " + path + ": " + TraceInput.describe(readError), readError);
    }
    if (best == null && mostConsidered == 0) {
      throw new TraceFormatException(
          "cannot detect the format of "
              + path
              + ": it holds no records (it is empty or holds only blank lines)");
    }
    if (best == null) {
      throw new TraceFormatException(
          "cannot detect the format of "
              + path
              + "; tried "
              + String.join(", ", tried)
              + "; name one with --format");
    }
    return best;
  }

  private Sample sample(Path path) throws IOException {
    TraceCounters counted = new TraceCounters();
    try (TraceReader reader =
        factory.create(
            new LimitedInputStream(TraceInput.open(path), SAMPLE_BYTES),
            path.getFileName().toString(),
            false)) {
      counted = reader.counters();
      reader.limitRecords(SAMPLE_RECORDS);
      while (reader.next() != null) {
        // keep sampling
      }
      return new Sample(counted, null);
    } catch (java.nio.file.NoSuchFileException | java.nio.file.AccessDeniedException e) {
      throw e;
    } catch (IOException e) {
      // Corrupt or cut compressed data: judge the format on what parsed before it.
      return new Sample(counted, e);
    }
  }

  private record Sample(TraceCounters counters, IOException error) {}

  /** Creates a reader over a decompressed stream. */
  @FunctionalInterface
  interface ReaderFactory {
    TraceReader create(InputStream in, String name, boolean strict);
  }

  /** Ends the stream after a fixed number of bytes. */
  private static final class LimitedInputStream extends FilterInputStream {
    private long remaining;

    LimitedInputStream(InputStream in, long limit) {
      super(in);
      this.remaining = limit;
    }

    @Override
    public int read() throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int b = super.read();
      if (b >= 0) {
        remaining--;
      }
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int n = super.read(buf, off, (int) Math.min(len, remaining));
      if (n > 0) {
        remaining -= n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long s = super.skip(Math.min(n, remaining));
      remaining -= s;
      return s;
    }

    @Override
    public boolean markSupported() {
      return false;
    }
  }
}
