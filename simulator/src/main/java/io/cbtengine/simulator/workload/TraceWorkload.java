package io.cbtengine.simulator.workload;

import io.cbtengine.simulator.trace.SkipReason;
import io.cbtengine.simulator.trace.TraceCounters;
import io.cbtengine.simulator.trace.TraceFormat;
import io.cbtengine.simulator.trace.TraceFormatException;
import io.cbtengine.simulator.trace.TraceInput;
import io.cbtengine.simulator.trace.TraceReader;
import io.cbtengine.simulator.trace.TraceWrite;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replays trace files one after the other as one workload. Each device of a trace becomes a disk
 * named {@code <format>-<device>}; the same device in two files is the same disk.
 *
 * <h2>Implementation notes</h2>
 *
 * <p>The files are read twice. A first pass finds the disks and, unless a disk size is given, each
 * disk's capacity: the end of its furthest write rounded up to {@value #CAPACITY_ROUNDING} bytes.
 * The second pass streams the writes. With a disk size, writes that end past it are skipped as
 * {@link SkipReason#PAST_DISK_SIZE} (an error when strict).
 *
 * <p>Not thread-safe.
 */
public final class TraceWorkload implements Workload {
  /** Capacities found in the trace are rounded up to a multiple of this: 1 MiB. */
  public static final long CAPACITY_ROUNDING = 1 << 20;

  private final List<Path> files;
  private final List<TraceFormat> formats;
  private final boolean strict;
  private final long diskSize;
  private final long maxWrites;
  private final List<DiskSpec> disks;
  private final long expectedWrites;
  private final TraceCounters finished = new TraceCounters();

  private int fileIndex = -1;
  private TraceReader reader;
  private long writesReturned;

  private TraceWorkload(
      List<Path> files,
      List<TraceFormat> formats,
      boolean strict,
      long diskSize,
      long maxWrites,
      List<DiskSpec> disks,
      long expectedWrites) {
    this.files = files;
    this.formats = formats;
    this.strict = strict;
    this.diskSize = diskSize;
    this.maxWrites = maxWrites;
    this.disks = disks;
    this.expectedWrites = expectedWrites;
  }

  /**
   * Checks the files, detects their formats (unless {@code format} is given) and scans them for
   * disks and capacities.
   *
   * @param format the format of every file, or {@code null} to detect each one
   * @param diskSize the capacity of every disk in bytes, or 0 to take it from the trace
   * @param maxWrites replay at most this many writes in all, or 0 for no limit
   * @throws NoSuchFileException, AccessDeniedException if a file is missing or unreadable
   * @throws TraceFormatException if a format cannot be detected, or a record is bad when strict
   */
  public static TraceWorkload open(
      List<Path> files, TraceFormat format, boolean strict, long diskSize, long maxWrites)
      throws IOException {
    // Fail on missing and unreadable files before reading any.
    for (Path f : files) {
      if (!Files.exists(f)) {
        throw new NoSuchFileException(f.toString(), null, "trace file not found");
      }
      if (!Files.isRegularFile(f)) {
        throw new AccessDeniedException(
            f.toString(), null, "not a regular file (a directory, a device or a pipe?)");
      }
      if (!Files.isReadable(f)) {
        throw new AccessDeniedException(f.toString());
      }
    }
    List<TraceFormat> formats = new ArrayList<>();
    for (Path f : files) {
      formats.add(format != null ? format : TraceFormat.detect(f));
    }

    // First pass: the disks in order of first write, and the furthest byte written on each.
    Map<String, Long> ends = new LinkedHashMap<>();
    // The device (and its first file) each disk id came from: two devices must not share a disk.
    // The id starts with the format's own prefix, so only devices of one format can collide.
    Map<String, DeviceSource> sources = new HashMap<>();
    String conflict = null;
    long writes = 0;
    scan:
    for (int i = 0; i < files.size(); i++) {
      try (TraceReader r = formats.get(i).open(files.get(i), strict)) {
        TraceWrite w;
        while ((w = r.next()) != null) {
          long end = w.offset() + w.length();
          if (end < 0 || (diskSize > 0 && end > diskSize)) {
            continue;
          }
          String id = DiskNames.diskId(formats.get(i), w.device());
          DeviceSource first = sources.get(id);
          if (first == null) {
            sources.put(id, new DeviceSource(w.device(), i));
          } else if (!first.device().equals(w.device())) {
            conflict =
                "devices '"
                    + first.device()
                    + "' ("
                    + files.get(first.file())
                    + ") and '"
                    + w.device()
                    + "' ("
                    + files.get(i)
                    + ") would both become disk "
                    + id
                    + " (characters other than letters, digits, '.', '_' and '-' become '_', and"
                    + " disk ids are cut to 128 characters); rename one of them in its trace";
            break scan;
          }
          ends.merge(id, end, Math::max);
          writes++;
          if (maxWrites > 0 && writes >= maxWrites) {
            break scan;
          }
        }
      } catch (TraceFormatException e) {
        throw e;
      } catch (IOException e) {
        throw new IOException("cannot read " + files.get(i) + ": " + TraceInput.describe(e), e);
      }
    }
    if (conflict != null) {
      throw new IOException(conflict);
    }
    List<DiskSpec> disks = new ArrayList<>();
    for (Map.Entry<String, Long> e : ends.entrySet()) {
      long capacity = diskSize > 0 ? diskSize : roundUp(e.getValue());
      disks.add(new DiskSpec(e.getKey(), capacity));
    }
    return new TraceWorkload(
        List.copyOf(files), List.copyOf(formats), strict, diskSize, maxWrites, disks, writes);
  }

  /**
   * {@code end} rounded up to {@link #CAPACITY_ROUNDING}; {@link Long#MAX_VALUE} if that does not
   * fit in a long (the engine then refuses the disk, which the simulator reports as a usage error).
   */
  static long roundUp(long end) {
    long units = end / CAPACITY_ROUNDING + (end % CAPACITY_ROUNDING == 0 ? 0 : 1);
    if (units > Long.MAX_VALUE / CAPACITY_ROUNDING) {
      return Long.MAX_VALUE;
    }
    return Math.max(units * CAPACITY_ROUNDING, CAPACITY_ROUNDING);
  }

  /** The format of each file, detected or forced. */
  public List<TraceFormat> formats() {
    return formats;
  }

  @Override
  public String description() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < files.size(); i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(files.get(i).getFileName()).append(" (").append(formats.get(i).id()).append(')');
    }
    return sb.toString();
  }

  @Override
  public List<DiskSpec> disks() {
    return disks;
  }

  @Override
  public long expectedEvents() {
    return expectedWrites;
  }

  @Override
  public WorkloadEvent next() throws IOException {
    while (maxWrites == 0 || writesReturned < maxWrites) {
      if (reader == null) {
        if (fileIndex + 1 >= files.size()) {
          return null;
        }
        fileIndex++;
        reader = formats.get(fileIndex).open(files.get(fileIndex), strict);
      }
      TraceWrite w;
      try {
        w = reader.next();
      } catch (TraceFormatException e) {
        throw e;
      } catch (IOException e) {
        throw new IOException(
            "cannot read " + files.get(fileIndex) + ": " + TraceInput.describe(e), e);
      }
      if (w == null) {
        finished.add(reader.counters());
        reader.close();
        reader = null;
        continue;
      }
      String name = files.get(fileIndex).getFileName().toString();
      long end = w.offset() + w.length();
      // An end past 2^63 is not a disk position at all: malformed, whatever --disk-size says.
      SkipReason reason =
          end < 0
              ? SkipReason.MALFORMED
              : diskSize > 0 && end > diskSize ? SkipReason.PAST_DISK_SIZE : null;
      if (reason != null) {
        if (strict) {
          throw new TraceFormatException(
              formats.get(fileIndex).displayName()
                  + " trace "
                  + name
                  + ", "
                  + (formats.get(fileIndex) == TraceFormat.VSCSI ? "record " : "line ")
                  + w.position()
                  + ": "
                  + reason.label()
                  + ": offset="
                  + w.offset()
                  + ", length="
                  + w.length()
                  + (reason == SkipReason.MALFORMED
                      ? " (their sum overflows)"
                      : ", diskSize=" + diskSize));
        }
        reader.counters().moveWriteToSkip(reason);
        continue;
      }
      writesReturned++;
      String disk = DiskNames.diskId(formats.get(fileIndex), w.device());
      return new WorkloadEvent.Write(
          disk, w.offset(), w.length(), w.timeNanos(), name, w.position());
    }
    return null;
  }

  @Override
  public TraceCounters counters() {
    TraceCounters all = new TraceCounters();
    all.add(finished);
    if (reader != null) {
      all.add(reader.counters());
    }
    return all;
  }

  @Override
  public void close() throws IOException {
    if (reader != null) {
      finished.add(reader.counters());
      reader.close();
      reader = null;
    }
  }

  /** The device a disk id was first seen for, and the index of the file it was seen in. */
  private record DeviceSource(String device, int file) {}
}
