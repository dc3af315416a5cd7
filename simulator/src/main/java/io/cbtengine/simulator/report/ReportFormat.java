package io.cbtengine.simulator.report;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** Writes a {@link SimulationReport} as a terminal table, as JSON, or as CSV. Stateless. */
public final class ReportFormat {
  private ReportFormat() {}

  /** The report as an aligned two-column table, without the verdict line. */
  public static void table(SimulationReport r, PrintWriter out) {
    row(out, "workload", "%s", r.workload());
    row(out, "settings", "%s", r.settings());
    row(
        out,
        "requests read",
        "%,d (reads %,d, writes %,d, skipped %,d)",
        r.requests(),
        r.reads(),
        r.requests() - r.reads() - r.skippedTotal(),
        r.skippedTotal());
    for (Map.Entry<?, Long> e : sortedSkips(r).entrySet()) {
      if (e.getValue() > 0) {
        row(
            out,
            "  " + ((io.cbtengine.simulator.trace.SkipReason) e.getKey()).label(),
            "%,d",
            e.getValue());
      }
    }
    row(out, "writes replayed", "%,d", r.writesReplayed());
    row(
        out,
        "disks",
        "%,d (%,d extended), %,d tracked blocks",
        r.disks(),
        r.diskExtensions(),
        r.trackedBlocks());
    long full = r.backups().stream().filter(BackupStats::full).count();
    row(out, "snapshots", "%,d, each followed by a backup and deleted", r.snapshots());
    row(
        out,
        "backups",
        "%,d (%,d full, %,d incremental)",
        r.backups().size(),
        full,
        r.backups().size() - full);
    row(out, "bytes changed", "%s", bytes(r.bytesChanged()));
    row(
        out,
        "bytes reported",
        "%s, false positives %s",
        bytes(r.bytesReported()),
        percent(r.falsePositivePercent()));
    long maxExtents = r.backups().stream().mapToLong(BackupStats::extents).max().orElse(0);
    long maxReplies = r.backups().stream().mapToLong(BackupStats::replies).max().orElse(0);
    int n = Math.max(1, r.backups().size());
    row(
        out,
        "extents",
        "%,d (%.1f per backup, max %,d)",
        r.extents(),
        (double) r.extents() / n,
        maxExtents);
    row(
        out,
        "replies",
        "%,d (%.1f per backup, max %,d)",
        r.replies(),
        (double) r.replies() / n,
        maxReplies);
    long inFlight = r.backups().stream().mapToLong(BackupStats::writesInFlight).sum();
    long openThroughout = r.backups().stream().mapToLong(BackupStats::writesOpenThroughout).sum();
    if (r.threads() > 0) {
      row(
          out,
          "writes in flight",
          "%,d possibly at snapshots, %,d certainly open throughout one "
              + "(over %d writer threads)",
          inFlight,
          openThroughout,
          r.threads());
    }
    row(
        out,
        "query latency",
        "p50 %s, p99 %s, max %s (%,d queries)",
        micros(r.queryP50Nanos()),
        micros(r.queryP99Nanos()),
        micros(r.queryMaxNanos()),
        r.queries());
    row(
        out,
        "replay",
        "%,.0f writes/s (%.2f s, of which backups and checks %.2f s)",
        r.writesPerSecond(),
        r.replayNanos() / 1e9,
        r.backupNanos() / 1e9);
    if (r.engineHeapBytes() >= 0 && r.engineHeapCounted()) {
      row(
          out,
          "engine memory",
          "%s at the end (peak %s), %s per tracked block "
              + "(the engine's own count of its tracking heap)",
          bytes(r.engineHeapBytes()),
          bytes(r.engineHeapPeakBytes()),
          perBlock(r.engineBytesPerBlock()));
    } else if (r.engineHeapBytes() >= 0) {
      row(
          out,
          "engine memory",
          "%s, %s per tracked block (estimate: heap after GC with and without the engine)",
          bytes(r.engineHeapBytes()),
          perBlock(r.engineBytesPerBlock()));
    } else {
      row(out, "engine memory", "not measured");
    }
    if (!r.complete()) {
      row(
          out,
          "missed",
          "%,d writes in %,d byte ranges; %,d malformed replies",
          r.missedWrites(),
          r.missedRanges(),
          r.protocolViolations());
    }
    out.flush();
  }

  private static Map<?, Long> sortedSkips(SimulationReport r) {
    return new java.util.TreeMap<>(r.skips());
  }

  private static void row(PrintWriter out, String label, String format, Object... args) {
    String padded = label.length() < 18 ? String.format(Locale.ROOT, "%-18s", label) : label + " ";
    out.print(padded + String.format(Locale.ROOT, format, args) + System.lineSeparator());
  }

  private static String bytes(long b) {
    if (b < 1024) {
      return String.format(Locale.ROOT, "%,d B", b);
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
    double v = b;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%,d B (%.1f %s)", b, v, units[u]);
  }

  private static String percent(double p) {
    return Double.isNaN(p) ? "n/a" : String.format(Locale.ROOT, "+%.1f %%", p);
  }

  /** Bytes per tracked block; "n/a" when no block was tracked. */
  private static String perBlock(double b) {
    return Double.isNaN(b) || Double.isInfinite(b)
        ? "n/a (no block tracked)"
        : String.format(Locale.ROOT, "%.3f B", b);
  }

  private static String micros(long nanos) {
    return String.format(Locale.ROOT, "%.1f us", nanos / 1000.0);
  }

  /** The report as one JSON object: the totals and one entry per backup. */
  public static void json(SimulationReport r, Path file) throws IOException {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      StringBuilder sb = new StringBuilder();
      sb.append("{\n");
      field(sb, "workload", r.workload());
      field(sb, "settings", r.settings());
      field(sb, "verified", r.verified());
      field(sb, "requests", r.requests());
      field(sb, "reads", r.reads());
      field(sb, "writesReplayed", r.writesReplayed());
      sb.append("  \"skipped\": {");
      boolean first = true;
      for (Map.Entry<?, Long> e : sortedSkips(r).entrySet()) {
        sb.append(first ? "" : ", ")
            .append('"')
            .append(((io.cbtengine.simulator.trace.SkipReason) e.getKey()).key())
            .append("\": ")
            .append(e.getValue());
        first = false;
      }
      sb.append("},\n");
      field(sb, "disks", r.disks());
      field(sb, "diskExtensions", r.diskExtensions());
      field(sb, "trackedBlocks", r.trackedBlocks());
      field(sb, "snapshots", r.snapshots());
      field(sb, "bytesChanged", r.bytesChanged());
      field(sb, "bytesReported", r.bytesReported());
      field(sb, "falsePositivePercent", r.falsePositivePercent());
      field(sb, "extents", r.extents());
      field(sb, "replies", r.replies());
      field(sb, "missedWrites", r.missedWrites());
      field(sb, "missedRanges", r.missedRanges());
      field(sb, "malformedReplies", r.protocolViolations());
      field(sb, "threads", r.threads());
      field(sb, "replaySeconds", r.replayNanos() / 1e9);
      field(sb, "backupSeconds", r.backupNanos() / 1e9);
      field(sb, "writesPerSecond", r.writesPerSecond());
      field(sb, "queries", r.queries());
      field(sb, "queryP50Micros", r.queryP50Nanos() / 1000.0);
      field(sb, "queryP99Micros", r.queryP99Nanos() / 1000.0);
      field(sb, "queryMaxMicros", r.queryMaxNanos() / 1000.0);
      field(sb, "engineHeapBytes", r.engineHeapBytes());
      field(sb, "engineHeapPeakBytes", r.engineHeapPeakBytes());
      field(sb, "engineHeapCounted", r.engineHeapCounted());
      field(sb, "engineBytesPerTrackedBlock", r.engineBytesPerBlock());
      sb.append("  \"backups\": [");
      for (int i = 0; i < r.backups().size(); i++) {
        BackupStats b = r.backups().get(i);
        sb.append(i == 0 ? "\n" : ",\n").append("    {");
        sb.append("\"disk\": ").append(quote(b.disk()));
        sb.append(", \"number\": ").append(b.number());
        sb.append(", \"full\": ").append(b.full());
        sb.append(", \"snapshot\": ").append(quote(b.snapshotId()));
        sb.append(", \"fromChangeId\": ").append(quote(b.fromChangeId()));
        sb.append(", \"capacity\": ").append(b.capacity());
        sb.append(", \"bytesChanged\": ").append(b.bytesChanged());
        sb.append(", \"bytesReported\": ").append(b.bytesReported());
        sb.append(", \"falsePositivePercent\": ").append(number(b.falsePositivePercent()));
        sb.append(", \"extents\": ").append(b.extents());
        sb.append(", \"replies\": ").append(b.replies());
        sb.append(", \"writesInFlight\": ").append(b.writesInFlight());
        sb.append(", \"writesOpenThroughout\": ").append(b.writesOpenThroughout());
        sb.append(", \"missedRanges\": ").append(b.missedRanges());
        sb.append(", \"queryMicros\": ").append(number(b.queryNanos() / 1000.0));
        sb.append('}');
      }
      sb.append(r.backups().isEmpty() ? "]\n" : "\n  ]\n");
      sb.append("}\n");
      w.write(sb.toString());
    }
  }

  /** One CSV row per backup, with a header. */
  public static void csv(SimulationReport r, Path file) throws IOException {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(
          "disk,backup,full,snapshot,from_change_id,capacity,bytes_changed,bytes_reported,"
              + "false_positive_percent,extents,replies,writes_in_flight,writes_open_throughout,"
              + "missed_ranges,query_micros\n");
      for (BackupStats b : r.backups()) {
        w.write(
            String.join(
                ",",
                csvText(b.disk()),
                Integer.toString(b.number()),
                Boolean.toString(b.full()),
                csvText(b.snapshotId()),
                csvText(b.fromChangeId()),
                Long.toString(b.capacity()),
                Long.toString(b.bytesChanged()),
                Long.toString(b.bytesReported()),
                Double.isNaN(b.falsePositivePercent())
                    ? ""
                    : String.format(Locale.ROOT, "%.3f", b.falsePositivePercent()),
                Long.toString(b.extents()),
                Long.toString(b.replies()),
                Integer.toString(b.writesInFlight()),
                Integer.toString(b.writesOpenThroughout()),
                Integer.toString(b.missedRanges()),
                String.format(Locale.ROOT, "%.1f", b.queryNanos() / 1000.0)));
        w.write('\n');
      }
    }
  }

  private static void field(StringBuilder sb, String name, Object value) {
    sb.append("  ").append(quote(name)).append(": ");
    if (value instanceof String s) {
      sb.append(quote(s));
    } else if (value instanceof Double d) {
      sb.append(number(d));
    } else {
      sb.append(value);
    }
    sb.append(",\n");
  }

  private static String number(double d) {
    return Double.isNaN(d) || Double.isInfinite(d) ? "null" : String.format(Locale.ROOT, "%.3f", d);
  }

  private static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  private static String csvText(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }
}
